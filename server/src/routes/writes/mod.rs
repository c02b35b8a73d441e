//! Creates, updates and deletes of the OData resources, by the rules their descriptors name
//! (`Resource::writes`). Every write needs a session JWT and runs in one write transaction
//! (`db::begin_write`) that holds the permission check and the change, so a role change or a
//! racing request can never slip between them (ASVS 15.4.2); its body passes a field
//! whitelist (`Body::only`).
//!
//! PATCH/DELETE semantics (pine's): the rows are those the caller can read that match the key
//! and `$filter`; none → 200 and nothing changes; if any of them the caller may not change →
//! an empty 401 and nothing changes; otherwise all of them change.
mod api_keys;
mod body;
mod devices;
mod members;
mod organizations;

use axum::http::StatusCode;
use serde_json::{Map, Value};

use crate::auth::Caller;
use crate::db;
use crate::devices::{pair_table, DEVICES};
use crate::error::{AppError, AppResult};
use crate::memberships::APP_ADMIN_OR_SELF;
use crate::odata::ast::Options;
use crate::odata::resource::{Create, Delete, Patch, Resource};
use crate::odata::write::{delete_targets, Addressed};
use crate::organizations::ADMINISTERED_APPS;
use crate::ratelimit;
use crate::state::AppState;

use super::{email_verification, user_delete};

pub use body::Body;

/// `POST /v7/<resource>`: the new row's id.
pub async fn post(
    state: &AppState,
    caller: Caller,
    res: &'static Resource,
    body: &Map<String, Value>,
) -> AppResult<i64> {
    let me = caller.session()?.user_id;
    let Some(rule) = res.writes.create else {
        return Err(AppError::Unauthorized);
    };
    let body = Body::new(res.name, body);
    let now = state.now_ms();
    // Adding a member names someone by username or email, so each failure says "no such
    // account": reserved before the transaction (whose rollback would undo the count), and
    // given back when the member was added.
    let lookup = match rule {
        Create::ApplicationMember | Create::OrganizationMember => {
            let key = ratelimit::member_lookup_key(me);
            Some(ratelimit::reserve(&state.db, &key, ratelimit::MEMBER_LOOKUPS, now).await?)
        }
        Create::Application | Create::Device | Create::Pair(_) => None,
    };
    let mut tx = db::begin_write(&state.db).await?;
    let id = match rule {
        Create::Application => organizations::create_application(&mut tx, me, &body, now).await?,
        Create::ApplicationMember => members::create_app_member(&mut tx, me, &body, now).await?,
        Create::OrganizationMember => members::create_org_member(&mut tx, me, &body, now).await?,
        Create::Device => devices::create_device(&mut tx, me, &body, now).await?,
        Create::Pair(pair) => devices::create_pair(&mut tx, me, res, pair, &body).await?,
    };
    tx.commit().await?;
    if let Some(slot) = lookup {
        ratelimit::give_back(&state.db, &slot).await?;
    }
    tracing::info!(user_id = me, resource = res.name, id, "created");
    Ok(id)
}

pub async fn patch(
    state: &AppState,
    caller: Caller,
    res: &'static Resource,
    key: Option<i64>,
    options: &Options,
    body: &Map<String, Value>,
) -> AppResult<StatusCode> {
    let session = caller.session()?;
    let rule = match res.writes.patch {
        None => return Err(AppError::Unauthorized),
        // Not a change of the row: a request for another verification email.
        Some(Patch::UserVerification) => {
            return email_verification::patch_user(state, &session, key, body).await
        }
        Some(rule) => rule,
    };
    let me = session.user_id;
    let filter = write_filter(options)?;
    let body = Body::new(res.name, body);
    if body.is_empty() {
        return Err(AppError::bad_request("No fields to update"));
    }
    let rows = Addressed {
        me,
        res,
        key,
        filter,
    };
    let now = state.now_ms();
    let mut tx = db::begin_write(&state.db).await?;
    let n = match rule {
        Patch::Organization => organizations::patch_organization(&mut tx, rows, &body).await?,
        Patch::ApplicationMember => members::patch_app_member(&mut tx, rows, &body).await?,
        Patch::OrganizationMember => members::patch_org_member(&mut tx, rows, &body).await?,
        Patch::Device => devices::patch_device(&mut tx, rows, &body).await?,
        Patch::Pair(pair) => devices::patch_pair(&mut tx, rows, pair, &body).await?,
        Patch::ApiKey => api_keys::patch(&mut tx, &session, now, rows, &body).await?,
        Patch::UserVerification => unreachable!("answered above"),
    };
    tx.commit().await?;
    tracing::info!(user_id = me, resource = res.name, count = n, "updated");
    Ok(StatusCode::OK)
}

pub async fn delete(
    state: &AppState,
    caller: Caller,
    res: &'static Resource,
    key: Option<i64>,
    options: &Options,
) -> AppResult<StatusCode> {
    let session = caller.session()?;
    let rule = match res.writes.delete {
        None => return Err(AppError::Unauthorized),
        // Everything the user owns goes, by its own rules (fresh authentication, the
        // organizations they administer).
        Some(Delete::Account) => return user_delete::delete(state, &session, key).await,
        Some(rule) => rule,
    };
    let me = session.user_id;
    let filter = write_filter(options)?;
    let rows = Addressed {
        me,
        res,
        key,
        filter,
    };
    let mut tx = db::begin_write(&state.db).await?;
    let n = match rule {
        // Everything under the application goes with it (cascades; its and its devices'
        // actors and API keys by trigger, see migration 0004).
        Delete::Application => delete_targets(&mut tx, rows, &ADMINISTERED_APPS).await?,
        Delete::ApplicationMember => delete_targets(&mut tx, rows, &APP_ADMIN_OR_SELF).await?,
        Delete::OrganizationMember => members::delete_org_member(&mut tx, rows).await?,
        Delete::Device => delete_targets(&mut tx, rows, &DEVICES).await?,
        Delete::Pair(pair) => delete_targets(&mut tx, rows, &pair_table(pair).manage).await?,
        Delete::ApiKey => api_keys::delete(&mut tx, rows).await?,
        Delete::Account => unreachable!("answered above"),
    };
    tx.commit().await?;
    tracing::info!(user_id = me, resource = res.name, count = n, "deleted");
    Ok(StatusCode::OK)
}

/// Writes take `$filter` only (and alternate keys, which arrive as a filter).
fn write_filter(options: &Options) -> AppResult<Option<&crate::odata::ast::Expr>> {
    let shaped = options.select.is_some()
        || !options.orderby.is_empty()
        || options.top.is_some()
        || options.skip.is_some()
        || !options.expand.is_empty();
    if shaped {
        return Err(AppError::bad_request(
            "Only $filter applies to PATCH and DELETE",
        ));
    }
    Ok(options.filter.as_ref())
}
