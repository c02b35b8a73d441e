//! Applications, organizations and their members (contract §7 and §12), through the OData
//! resources `/v7/application`, `/v7/organization`, `/v7/organization_membership`,
//! `/v7/user_application_membership` and `/v7/application_membership_role`.
//!
//! The requests are those of server/README.md "Applications API"; the paths are pure
//! functions (unit-tested); the requests go through [`Client`]. Rows are read leniently
//! (a navigation may be `{"__id"}` or an expanded array), bodies are `wire`'s types.
use super::{ApiError, Auth, Client};
use gloo_net::http::Method;
use serde::{Deserialize, Serialize};
use wire::applications::{
    CreatedApplication, MembershipRoleChange, NewApplication, NewApplicationMembership, PlanChange,
};
use wire::{ForeignKey, ODataList};

/// A navigation property: `{"__id": N}` when not expanded, an array when `$expand`ed.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Nav<T> {
    Expanded(Vec<T>),
    Id(ForeignKey),
}

impl<T> Nav<T> {
    /// The expanded row, if the navigation was expanded and not empty.
    pub fn first(&self) -> Option<&T> {
        match self {
            Nav::Expanded(rows) => rows.first(),
            Nav::Id(_) => None,
        }
    }
}

/// Things with an id, so a navigation's id is known expanded or not.
pub trait HasId {
    fn id(&self) -> i64;
}

impl<T: HasId> Nav<T> {
    pub fn id(&self) -> Option<i64> {
        match self {
            Nav::Expanded(rows) => rows.first().map(HasId::id),
            Nav::Id(fk) => Some(fk.id),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Organization {
    pub id: i64,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub handle: String,
    #[serde(default)]
    pub billing_plan: Option<String>,
    /// Expanded (the viewer's own membership, or all of them on the organization page).
    #[serde(default)]
    pub organization_membership: Vec<OrganizationMembership>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Application {
    pub id: i64,
    pub app_name: String,
    #[serde(default)]
    pub slug: Option<String>,
    #[serde(default)]
    pub organization: Option<Nav<Organization>>,
    /// Expanded with `$filter=user eq <me>`: the viewer's own membership, if any.
    #[serde(default)]
    pub user_application_membership: Vec<ApplicationMembership>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct UserRef {
    pub id: i64,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Role {
    #[serde(default)]
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct OrganizationMembership {
    pub id: i64,
    #[serde(default)]
    pub user: Option<Nav<UserRef>>,
    #[serde(default)]
    pub organization_membership_role: Option<Nav<Role>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ApplicationMembership {
    pub id: i64,
    #[serde(default)]
    pub user: Option<Nav<UserRef>>,
    #[serde(default)]
    pub application_membership_role: Option<Nav<Role>>,
}

impl HasId for Organization {
    fn id(&self) -> i64 {
        self.id
    }
}
impl HasId for UserRef {
    fn id(&self) -> i64 {
        self.id
    }
}
impl HasId for Role {
    fn id(&self) -> i64 {
        self.id
    }
}

fn role_of(nav: &Option<Nav<Role>>) -> Option<&str> {
    nav.as_ref().and_then(Nav::first).map(|r| r.name.as_str())
}

fn user_of(nav: &Option<Nav<UserRef>>) -> Option<&UserRef> {
    nav.as_ref().and_then(Nav::first)
}

impl OrganizationMembership {
    pub fn role_name(&self) -> Option<&str> {
        role_of(&self.organization_membership_role)
    }
    pub fn is_administrator(&self) -> bool {
        self.role_name() == Some("administrator")
    }
    pub fn username(&self) -> String {
        user_of(&self.user)
            .map(|u| u.username.clone())
            .unwrap_or_default()
    }
    pub fn user_id(&self) -> Option<i64> {
        self.user.as_ref().and_then(Nav::id)
    }
}

impl ApplicationMembership {
    pub fn role_name(&self) -> Option<&str> {
        role_of(&self.application_membership_role)
    }
    pub fn username(&self) -> String {
        user_of(&self.user)
            .map(|u| u.username.clone())
            .unwrap_or_default()
    }
    pub fn user_id(&self) -> Option<i64> {
        self.user.as_ref().and_then(Nav::id)
    }
}

impl Organization {
    /// Whether the (expanded, filtered to the viewer) memberships make the viewer an
    /// administrator.
    pub fn viewer_is_admin(&self) -> bool {
        self.organization_membership
            .iter()
            .any(OrganizationMembership::is_administrator)
    }
}

impl Application {
    pub fn organization(&self) -> Option<&Organization> {
        self.organization.as_ref().and_then(Nav::first)
    }
    /// The viewer's own membership (the expansion is filtered to the viewer).
    pub fn my_membership(&self) -> Option<&ApplicationMembership> {
        self.user_application_membership.first()
    }
}

const ORG_SELECT: &str = "$select=id,name,handle,billing_plan";

/// The `$expand` that tells, per application, its organization, whether the viewer
/// administers it and the viewer's own membership (server/README "Applications API").
fn app_expand(me: i64) -> String {
    format!(
        "$expand=organization({ORG_SELECT};$expand=organization_membership($select=id;\
         $filter=user%20eq%20{me};$expand=organization_membership_role($select=name))),\
         user_application_membership($select=id;$filter=user%20eq%20{me};\
         $expand=application_membership_role($select=name))"
    )
}

/// Every application the viewer can see, with their organization and own role.
pub fn applications_path(me: i64) -> String {
    format!(
        "/v7/application?$select=id,app_name,slug&$orderby=app_name%20asc&{}",
        app_expand(me)
    )
}

/// One application, the same way (an empty `d` when missing or not visible).
pub fn application_path(id: i64, me: i64) -> String {
    format!(
        "/v7/application({id})?$select=id,app_name,slug&{}",
        app_expand(me)
    )
}

/// The organizations the viewer belongs to, with the viewer's own role in each.
pub fn my_organizations_path(me: i64) -> String {
    format!(
        "/v7/organization?{ORG_SELECT}&$orderby=name%20asc&$expand=organization_membership($select=id;\
         $filter=user%20eq%20{me};$expand=organization_membership_role($select=name))"
    )
}

/// An application's members, as the SDK's `membership.getAllByApplication` asks.
pub fn app_members_path(application_id: i64) -> String {
    format!(
        "/v7/user_application_membership?$filter=is_member_of__application%20eq%20{application_id}\
         &$expand=user($select=id,username,email),application_membership_role($select=name)"
    )
}

/// The administrators of an organization.
pub fn org_admins_path(organization_id: i64) -> String {
    format!(
        "/v7/organization_membership?$filter=is_member_of__organization%20eq%20{organization_id}\
         %20and%20organization_membership_role/name%20eq%20'administrator'\
         &$expand=user($select=id,username,email)"
    )
}

pub const ROLES_PATH: &str = "/v7/application_membership_role?$select=id,name";

/// Percent-encodes an OData string literal (quotes doubled) for a query string.
pub fn odata_string(value: &str) -> String {
    let quoted = value.replace('\'', "''");
    let mut out = String::from("'");
    for b in quoted.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~'".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out.push('\'');
    out
}

/// An organization by its handle, with every membership (user and role).
pub fn organization_by_handle_path(handle: &str) -> String {
    format!(
        "/v7/organization?$filter=handle%20eq%20{}&{ORG_SELECT}&$expand=organization_membership($select=id;\
         $expand=user($select=id,username,email),organization_membership_role($select=name))",
        odata_string(handle)
    )
}

async fn list<T: serde::de::DeserializeOwned>(
    client: &Client,
    path: &str,
) -> Result<Vec<T>, ApiError> {
    let rows: ODataList<T> = client.get(path, Auth::Session).await?.json()?;
    Ok(rows.d)
}

async fn send<B: Serialize>(
    client: &Client,
    method: Method,
    path: &str,
    body: Option<&B>,
) -> Result<(), ApiError> {
    let json = body
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| ApiError::Network(e.to_string()))?;
    client
        .request(method, path, json, Auth::Session)
        .await
        .map(drop)
}

pub async fn my_organizations(client: &Client, me: i64) -> Result<Vec<Organization>, ApiError> {
    list(client, &my_organizations_path(me)).await
}

pub async fn applications(client: &Client, me: i64) -> Result<Vec<Application>, ApiError> {
    list(client, &applications_path(me)).await
}

pub async fn application(
    client: &Client,
    id: i64,
    me: i64,
) -> Result<Option<Application>, ApiError> {
    Ok(list(client, &application_path(id, me))
        .await?
        .into_iter()
        .next())
}

pub async fn app_members(
    client: &Client,
    application_id: i64,
) -> Result<Vec<ApplicationMembership>, ApiError> {
    list(client, &app_members_path(application_id)).await
}

pub async fn org_admins(
    client: &Client,
    organization_id: i64,
) -> Result<Vec<OrganizationMembership>, ApiError> {
    list(client, &org_admins_path(organization_id)).await
}

pub async fn roles(client: &Client) -> Result<Vec<Role>, ApiError> {
    list(client, ROLES_PATH).await
}

pub async fn organization_by_handle(
    client: &Client,
    handle: &str,
) -> Result<Option<Organization>, ApiError> {
    Ok(list(client, &organization_by_handle_path(handle))
        .await?
        .into_iter()
        .next())
}

pub async fn create_application(
    client: &Client,
    body: &NewApplication,
) -> Result<CreatedApplication, ApiError> {
    client
        .post("/v7/application", body, Auth::Session)
        .await?
        .json()
}

pub async fn delete_application(client: &Client, id: i64) -> Result<(), ApiError> {
    send::<()>(
        client,
        Method::DELETE,
        &format!("/v7/application({id})"),
        None,
    )
    .await
}

pub async fn add_member(client: &Client, body: &NewApplicationMembership) -> Result<(), ApiError> {
    client
        .post("/v7/user_application_membership", body, Auth::Session)
        .await
        .map(drop)
}

pub async fn change_member_role(
    client: &Client,
    membership_id: i64,
    role_id: i64,
) -> Result<(), ApiError> {
    send(
        client,
        Method::PATCH,
        &format!("/v7/user_application_membership({membership_id})"),
        Some(&MembershipRoleChange {
            application_membership_role: role_id,
        }),
    )
    .await
}

/// Removes a member; on your own membership this is leaving the application.
pub async fn remove_member(client: &Client, membership_id: i64) -> Result<(), ApiError> {
    send::<()>(
        client,
        Method::DELETE,
        &format!("/v7/user_application_membership({membership_id})"),
        None,
    )
    .await
}

/// Our stand-in for billing (administrators).
pub async fn set_plan(client: &Client, organization_id: i64, plan: &str) -> Result<(), ApiError> {
    send(
        client,
        Method::PATCH,
        &format!("/v7/organization({organization_id})"),
        Some(&PlanChange {
            billing_plan: plan.to_string(),
        }),
    )
    .await
}

/// The id of an application role by name (`developer`, `operator`, `observer`), as the SDK
/// resolves it before creating or changing a membership.
pub async fn role_id(client: &Client, name: &str) -> Result<i64, ApiError> {
    roles(client)
        .await?
        .into_iter()
        .find(|r| r.name == name)
        .map(|r| r.id)
        .ok_or_else(|| ApiError::InvalidResponse(format!("no application role named {name}")))
}
