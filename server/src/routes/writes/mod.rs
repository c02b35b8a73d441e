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
use sqlx::Row;

use crate::auth::Caller;
use crate::db::{self, Tx};
use crate::error::{AppError, AppResult};
use crate::odata::ast::Options;
use crate::odata::query::{statement, visible_keys};
use crate::odata::resource::{Create, Delete, Params, Patch, Principal, Resource, SqlValue};
use crate::odata::resources::V7;
use crate::odata::sql::Translator;
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

/// What a PATCH or DELETE of one resource may do, and who may do it.
pub struct Rule {
    /// SQL true for the rows (aliased `m`) the caller may change this way.
    pub manage: fn(i64, &mut Params) -> String,
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
    let now = state.now_ms();
    let mut tx = db::begin_write(&state.db).await?;
    let n = match rule {
        Patch::Organization => {
            organizations::patch_organization(&mut tx, me, key, filter, &body).await?
        }
        Patch::ApplicationMember => {
            members::patch_app_member(&mut tx, me, res, key, filter, &body).await?
        }
        Patch::OrganizationMember => {
            members::patch_org_member(&mut tx, me, res, key, filter, &body).await?
        }
        Patch::Device => devices::patch_device(&mut tx, me, res, key, filter, &body).await?,
        Patch::Pair(pair) => {
            devices::patch_pair(&mut tx, me, res, pair, key, filter, &body).await?
        }
        Patch::ApiKey => api_keys::patch(&mut tx, &session, now, key, filter, &body).await?,
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
    let mut tx = db::begin_write(&state.db).await?;
    let n = match rule {
        Delete::Application => organizations::delete_application(&mut tx, me, key, filter).await?,
        Delete::ApplicationMember => {
            members::delete_app_member(&mut tx, me, res, key, filter).await?
        }
        Delete::OrganizationMember => {
            members::delete_org_member(&mut tx, me, res, key, filter).await?
        }
        Delete::Device => devices::delete_device(&mut tx, me, res, key, filter).await?,
        Delete::Pair(pair) => devices::delete_pair(&mut tx, me, res, pair, key, filter).await?,
        Delete::ApiKey => api_keys::delete(&mut tx, me, key, filter).await?,
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

/// The ids of the rows a PATCH or DELETE addresses: those the caller can read that match.
/// 401 when the caller may not change one of them (`rule`), so nothing changes at all.
pub async fn targets(
    tx: &mut Tx,
    me: i64,
    res: &'static Resource,
    key: Option<i64>,
    filter: Option<&crate::odata::ast::Expr>,
    rule: &Rule,
) -> AppResult<Vec<i64>> {
    let principal = Principal { user_id: me };
    let mut t = Translator::new(V7, &principal);
    let visible = visible_keys(&mut t, res, key, filter)?;
    let manage = (rule.manage)(me, &mut t.params);
    let sql = format!(
        "SELECT m.{k}, CASE WHEN ({manage}) THEN 1 ELSE 0 END FROM {} m WHERE m.{k} IN ({visible})",
        res.table,
        k = res.key
    );
    let rows = statement(sql, t.params.0).fetch_all(&mut **tx).await?;
    let mut ids = Vec::with_capacity(rows.len());
    for r in rows {
        if r.try_get::<i64, _>(1)? == 0 {
            return Err(AppError::Unauthorized);
        }
        ids.push(r.try_get::<i64, _>(0)?);
    }
    Ok(ids)
}

/// `(<$1>, <$2>, ...)` of ids, bound.
pub fn id_list(ids: &[i64], params: &mut Params) -> String {
    let list: Vec<String> = ids.iter().map(|i| params.push(SqlValue::Int(*i))).collect();
    format!("({})", list.join(", "))
}

/// `DELETE FROM <table> WHERE <key> IN (ids)`.
pub async fn delete_ids(tx: &mut Tx, res: &'static Resource, ids: &[i64]) -> AppResult<u64> {
    if ids.is_empty() {
        return Ok(0);
    }
    let mut params = Params::default();
    let list = id_list(ids, &mut params);
    let sql = format!("DELETE FROM {} WHERE {} IN {list}", res.table, res.key);
    Ok(statement(sql, params.0)
        .execute(&mut **tx)
        .await?
        .rows_affected())
}

/// `UPDATE <table> SET <column> = <value> WHERE <key> IN (ids)`.
pub async fn update_ids(
    tx: &mut Tx,
    res: &'static Resource,
    ids: &[i64],
    sets: &[(&'static str, SqlValue)],
) -> AppResult<u64> {
    if ids.is_empty() {
        return Ok(0);
    }
    let mut params = Params::default();
    let assignments: Vec<String> = sets
        .iter()
        .map(|(c, v)| format!("{c} = {}", params.push(v.clone())))
        .collect();
    let list = id_list(ids, &mut params);
    let sql = format!(
        "UPDATE {} SET {} WHERE {} IN {list}",
        res.table,
        assignments.join(", "),
        res.key
    );
    Ok(statement(sql, params.0)
        .execute(&mut **tx)
        .await?
        .rows_affected())
}
