//! Applications, organizations and their members (contract §7 and §12), through the OData
//! resources `/v7/application`, `/v7/organization`, `/v7/organization_membership`,
//! `/v7/user_application_membership` and `/v7/application_membership_role`.
//!
//! The requests are those of server/README.md "Applications API", built as [`Query`]s
//! (unit-tested); rows and bodies are `wire`'s types.
use super::odata::{Filter, Options, Query};
use super::{ApiError, Auth, Client};
use wire::applications::{
    ApplicationMembershipRow, ApplicationRole, ApplicationRow, CreatedApplication,
    MembershipRoleChange, NewApplication, NewApplicationMembership, OrganizationMembershipRow,
    OrganizationRow, PlanChange,
};

const ORG_FIELDS: [&str; 4] = ["id", "name", "handle", "billing_plan"];
const APP_FIELDS: [&str; 3] = ["id", "app_name", "slug"];
const MEMBER_USER_FIELDS: [&str; 3] = ["id", "username", "email"];

fn role_name() -> Options {
    Options::default().select(&["name"])
}

fn member_user() -> Options {
    Options::default().select(&MEMBER_USER_FIELDS)
}

/// The viewer's own organization memberships, with their role.
fn my_org_memberships(me: i64) -> Options {
    Options::default()
        .select(&["id"])
        .filter(Filter::eq("user", me))
        .expand("organization_membership_role", role_name())
}

/// The `$expand` that tells, per application, its organization, whether the viewer
/// administers it and the viewer's own membership (server/README "Applications API").
fn app_expand(options: Options, me: i64) -> Options {
    let organization = Options::default()
        .select(&ORG_FIELDS)
        .expand("organization_membership", my_org_memberships(me));
    let mine = Options::default()
        .select(&["id"])
        .filter(Filter::eq("user", me))
        .expand("application_membership_role", role_name());
    options
        .expand("organization", organization)
        .expand("user_application_membership", mine)
}

/// Every application the viewer can see, with their organization and own role.
pub fn applications_query(me: i64) -> Query {
    Query::new("application").with(|o| app_expand(o.select(&APP_FIELDS).order_by("app_name"), me))
}

/// One application, the same way (an empty `d` when missing or not visible).
pub fn application_query(id: i64, me: i64) -> Query {
    Query::new("application")
        .key(id)
        .with(|o| app_expand(o.select(&APP_FIELDS), me))
}

/// The organizations the viewer belongs to, with the viewer's own role in each.
pub fn my_organizations_query(me: i64) -> Query {
    Query::new("organization").with(|o| {
        o.select(&ORG_FIELDS)
            .order_by("name")
            .expand("organization_membership", my_org_memberships(me))
    })
}

/// An application's members, as the SDK's `membership.getAllByApplication` asks.
pub fn app_members_query(application_id: i64) -> Query {
    Query::new("user_application_membership").with(|o| {
        o.filter(Filter::eq("is_member_of__application", application_id))
            .expand("user", member_user())
            .expand("application_membership_role", role_name())
    })
}

/// The administrators of an organization.
pub fn org_admins_query(organization_id: i64) -> Query {
    let filter = Filter::eq("is_member_of__organization", organization_id).and(Filter::eq(
        "organization_membership_role/name",
        "administrator",
    ));
    Query::new("organization_membership").with(|o| o.filter(filter).expand("user", member_user()))
}

pub fn roles_query() -> Query {
    Query::new("application_membership_role").with(|o| o.select(&["id", "name"]))
}

/// An organization by its handle, with every membership (user and role).
pub fn organization_by_handle_query(handle: &str) -> Query {
    let memberships = Options::default()
        .select(&["id"])
        .expand("user", member_user())
        .expand("organization_membership_role", role_name());
    Query::new("organization").with(|o| {
        o.filter(Filter::eq("handle", handle))
            .select(&ORG_FIELDS)
            .expand("organization_membership", memberships)
    })
}

pub async fn my_organizations(client: &Client, me: i64) -> Result<Vec<OrganizationRow>, ApiError> {
    client.list(&my_organizations_query(me)).await
}

pub async fn applications(client: &Client, me: i64) -> Result<Vec<ApplicationRow>, ApiError> {
    client.list(&applications_query(me)).await
}

pub async fn application(
    client: &Client,
    id: i64,
    me: i64,
) -> Result<Option<ApplicationRow>, ApiError> {
    client.one(&application_query(id, me)).await
}

pub async fn app_members(
    client: &Client,
    application_id: i64,
) -> Result<Vec<ApplicationMembershipRow>, ApiError> {
    client.list(&app_members_query(application_id)).await
}

pub async fn org_admins(
    client: &Client,
    organization_id: i64,
) -> Result<Vec<OrganizationMembershipRow>, ApiError> {
    client.list(&org_admins_query(organization_id)).await
}

pub async fn organization_by_handle(
    client: &Client,
    handle: &str,
) -> Result<Option<OrganizationRow>, ApiError> {
    client.one(&organization_by_handle_query(handle)).await
}

pub async fn create_application(
    client: &Client,
    body: &NewApplication,
) -> Result<CreatedApplication, ApiError> {
    client
        .post(&Query::new("application").path(), body, Auth::Session)
        .await?
        .json()
}

pub async fn delete_application(client: &Client, id: i64) -> Result<(), ApiError> {
    client
        .delete(&Query::new("application").key(id).path())
        .await
}

pub async fn add_member(client: &Client, body: &NewApplicationMembership) -> Result<(), ApiError> {
    client
        .post(
            &Query::new("user_application_membership").path(),
            body,
            Auth::Session,
        )
        .await
        .map(drop)
}

pub async fn change_member_role(
    client: &Client,
    membership_id: i64,
    role_id: i64,
) -> Result<(), ApiError> {
    let body = MembershipRoleChange {
        application_membership_role: role_id,
    };
    let path = Query::new("user_application_membership")
        .key(membership_id)
        .path();
    client.patch(&path, &body).await
}

/// Removes a member; on your own membership this is leaving the application.
pub async fn remove_member(client: &Client, membership_id: i64) -> Result<(), ApiError> {
    let path = Query::new("user_application_membership")
        .key(membership_id)
        .path();
    client.delete(&path).await
}

/// Our stand-in for billing (administrators).
pub async fn set_plan(client: &Client, organization_id: i64, plan: &str) -> Result<(), ApiError> {
    let body = PlanChange {
        billing_plan: plan.to_string(),
    };
    let path = Query::new("organization").key(organization_id).path();
    client.patch(&path, &body).await
}

/// The id of an application role by name (`developer`, `operator`, `observer`), as the SDK
/// resolves it before creating or changing a membership.
pub async fn role_id(client: &Client, name: &str) -> Result<i64, ApiError> {
    let roles: Vec<ApplicationRole> = client.list(&roles_query()).await?;
    roles
        .into_iter()
        .find(|r| r.name == name)
        .map(|r| r.id)
        .ok_or_else(|| ApiError::InvalidResponse(format!("no application role named {name}")))
}
