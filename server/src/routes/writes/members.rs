//! Application members (`user_application_membership`) and organization members
//! (`organization_membership`). Administrators add, change and remove; any member may remove
//! their own membership (leaving). An organization always keeps an administrator: the check
//! runs after the change inside the same write transaction, so two racing demotions or
//! removals are serialized and the second one is refused.
use wire::ErrorCode;

use super::Body;
use crate::db::Tx;
use crate::error::{AppError, AppResult};
use crate::memberships::{self, Kind, APP_ADMIN, ORG_ADMIN, ORG_ADMIN_OR_SELF};
use crate::odata::resources::{admin_orgs, app_ids, Level};
use crate::odata::write::{allowed, delete_ids, targets, Addressed};
use crate::users;

pub const MSG_NO_USER: &str = "No user with that username or email";
pub const MSG_ONE_OF: &str = "Give exactly one of username or email";
pub const MSG_PAID_PLAN: &str =
    "Operator and Observer need a paid plan: this organization is on the free plan";
pub const MSG_LAST_ADMIN: &str = "An organization must keep at least one administrator";

/// The user named by `username` or `email`: exactly one of them. Never by numeric id: that
/// would let anyone add (and so see) every account by counting up.
async fn resolve_user(tx: &mut Tx, body: &Body<'_>) -> AppResult<i64> {
    let found = match (body.opt_text("username")?, body.opt_text("email")?) {
        (Some(name), None) => users::id_by_username(&mut **tx, &name.trim().to_lowercase()).await?,
        (None, Some(email)) => users::id_by_email(&mut **tx, &email.trim().to_lowercase()).await?,
        _ => return Err(AppError::bad_request(MSG_ONE_OF)),
    };
    found.ok_or_else(|| AppError::bad_request(MSG_NO_USER).with_code(ErrorCode::NoSuchUser))
}

/// The name of role `id`, which the body names; 400 when there is none.
async fn role_name(tx: &mut Tx, kind: Kind, id: i64) -> AppResult<String> {
    memberships::role_name(tx, kind, id)
        .await?
        .ok_or_else(|| AppError::bad_request("Unknown role"))
}

/// On `free` only `developer` can be assigned (checked for every application in `apps`).
async fn check_plan(tx: &mut Tx, role: &str, apps: &[i64]) -> AppResult<()> {
    if role != "developer" && memberships::any_on_free_plan(tx, apps).await? {
        return Err(AppError::bad_request(MSG_PAID_PLAN).with_code(ErrorCode::PaidPlanRequired));
    }
    Ok(())
}

/// After a change, inside its transaction: refuse (and so roll back) if one of `orgs` has no
/// administrator left.
async fn keeps_an_administrator(tx: &mut Tx, orgs: &[i64]) -> AppResult<()> {
    if memberships::any_without_administrator(tx, orgs).await? {
        return Err(AppError::bad_request(MSG_LAST_ADMIN).with_code(ErrorCode::LastAdministrator));
    }
    Ok(())
}

/// `POST /v7/user_application_membership` (administrators; role defaults to `developer`).
pub async fn create_app_member(tx: &mut Tx, me: i64, body: &Body<'_>, now: i64) -> AppResult<i64> {
    body.only(&[
        "username",
        "email",
        "is_member_of__application",
        "application_membership_role",
    ])?;
    let app = body.id("is_member_of__application")?;
    allowed(tx, app, |p| app_ids(Level::Admin, me, p)).await?;
    let user = resolve_user(tx, body).await?;
    let role = match body.opt_id("application_membership_role")? {
        Some(id) => id,
        None => memberships::role_id(tx, Kind::Application, "developer").await?,
    };
    let name = role_name(tx, Kind::Application, role).await?;
    check_plan(tx, &name, &[app]).await?;
    memberships::add_app_member(tx, user, app, role, now).await
}

/// `POST /v7/organization_membership` (administrators; role defaults to `member`).
pub async fn create_org_member(tx: &mut Tx, me: i64, body: &Body<'_>, now: i64) -> AppResult<i64> {
    body.only(&[
        "username",
        "email",
        "is_member_of__organization",
        "organization_membership_role",
    ])?;
    let org = body.id("is_member_of__organization")?;
    allowed(tx, org, |p| admin_orgs(me, p)).await?;
    let user = resolve_user(tx, body).await?;
    let role = match body.opt_id("organization_membership_role")? {
        Some(id) => id,
        None => memberships::role_id(tx, Kind::Organization, "member").await?,
    };
    role_name(tx, Kind::Organization, role).await?;
    memberships::add(tx, Kind::Organization, user, org, role, now).await
}

/// Role changes only: `application_membership_role`.
pub async fn patch_app_member(tx: &mut Tx, rows: Addressed<'_>, body: &Body<'_>) -> AppResult<u64> {
    body.only(&["application_membership_role"])?;
    let role = body.id("application_membership_role")?;
    let name = role_name(tx, Kind::Application, role).await?;
    let ids = targets(tx, rows, &APP_ADMIN).await?;
    let apps = memberships::parents_of(tx, Kind::Application, &ids).await?;
    check_plan(tx, &name, &apps).await?;
    memberships::set_role(tx, rows.res, &ids, role).await
}

/// Role changes only: `organization_membership_role`.
pub async fn patch_org_member(tx: &mut Tx, rows: Addressed<'_>, body: &Body<'_>) -> AppResult<u64> {
    body.only(&["organization_membership_role"])?;
    let role = body.id("organization_membership_role")?;
    role_name(tx, Kind::Organization, role).await?;
    let ids = targets(tx, rows, &ORG_ADMIN).await?;
    let orgs = memberships::parents_of(tx, Kind::Organization, &ids).await?;
    let n = memberships::set_role(tx, rows.res, &ids, role).await?;
    keeps_an_administrator(tx, &orgs).await?;
    Ok(n)
}

/// Leaving an organization ends the memberships of its applications too.
pub async fn delete_org_member(tx: &mut Tx, rows: Addressed<'_>) -> AppResult<u64> {
    let ids = targets(tx, rows, &ORG_ADMIN_OR_SELF).await?;
    let orgs = memberships::parents_of(tx, Kind::Organization, &ids).await?;
    memberships::end_app_memberships_within(tx, &ids).await?;
    let n = delete_ids(tx, rows.res, &ids).await?;
    keeps_an_administrator(tx, &orgs).await?;
    Ok(n)
}
