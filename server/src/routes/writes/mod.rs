//! Creates, updates and deletes of the issue-6 resources (organizations, applications,
//! members, devices, tags, variables). Every write needs a session JWT and runs in one
//! `BEGIN IMMEDIATE` transaction that holds the permission check and the change, so a role
//! change or a racing request can never slip between them (ASVS 15.4.2).
//!
//! PATCH/DELETE semantics (pine's): the rows are those the caller can read that match the key
//! and `$filter`; none → 200 and nothing changes; if any of them the caller may not change →
//! an empty 401 and nothing changes; otherwise all of them change.
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
use crate::odata::resource::{Params, Principal, Resource, SqlValue};
use crate::odata::resources::V7;
use crate::odata::sql::Translator;
use crate::ratelimit;
use crate::state::AppState;

pub use body::Body;

/// `POST /v7/<resource>`: the new row's id.
pub async fn post(
    state: &AppState,
    caller: Caller,
    res: &'static Resource,
    body: &Map<String, Value>,
) -> AppResult<i64> {
    let me = caller.session()?.user_id;
    let body = Body::new(res.name, body);
    let now = state.now_ms();
    // Adding a member names someone by username or email, so each failure says "no such
    // account": reserved before the transaction (whose rollback would undo the count), and
    // given back when the member was added.
    let lookup = match res.name {
        "user_application_membership" | "organization_membership" => {
            let key = ratelimit::member_lookup_key(me);
            Some(ratelimit::reserve(&state.db, &key, ratelimit::MEMBER_LOOKUPS, now).await?)
        }
        _ => None,
    };
    let id = create(&state.db, me, res, &body, now).await?;
    if let Some(slot) = lookup {
        ratelimit::give_back(&state.db, &slot).await?;
    }
    tracing::info!(user_id = me, resource = res.name, id, "created");
    Ok(id)
}

async fn create(
    db: &crate::db::Db,
    me: i64,
    res: &'static Resource,
    body: &Body<'_>,
    now: i64,
) -> AppResult<i64> {
    let mut tx = db::begin_write(db).await?;
    let id = match res.name {
        "application" => organizations::create_application(&mut tx, me, body, now).await?,
        "user_application_membership" => members::create_app_member(&mut tx, me, body, now).await?,
        "organization_membership" => members::create_org_member(&mut tx, me, body, now).await?,
        "device" => devices::create_device(&mut tx, me, body, now).await?,
        "device_tag" | "device_environment_variable" | "application_environment_variable" => {
            devices::create_pair(&mut tx, me, res, body).await?
        }
        _ => return Err(AppError::Unauthorized),
    };
    tx.commit().await?;
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
    let me = caller.session()?.user_id;
    let filter = write_filter(options)?;
    let body = Body::new(res.name, body);
    if body.is_empty() {
        return Err(AppError::bad_request("No fields to update"));
    }
    let mut tx = db::begin_write(&state.db).await?;
    let n = match res.name {
        "organization" => {
            organizations::patch_organization(&mut tx, me, key, filter, &body).await?
        }
        "user_application_membership" | "organization_membership" => {
            members::patch(&mut tx, me, res, key, filter, &body).await?
        }
        "device"
        | "device_tag"
        | "device_environment_variable"
        | "application_environment_variable" => {
            devices::patch(&mut tx, me, res, key, filter, &body).await?
        }
        _ => return Err(AppError::Unauthorized),
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
    let me = caller.session()?.user_id;
    let filter = write_filter(options)?;
    let mut tx = db::begin_write(&state.db).await?;
    let n = match res.name {
        "application" => organizations::delete_application(&mut tx, me, key, filter).await?,
        "user_application_membership" | "organization_membership" => {
            members::delete(&mut tx, me, res, key, filter).await?
        }
        "device"
        | "device_tag"
        | "device_environment_variable"
        | "application_environment_variable" => {
            devices::delete(&mut tx, me, res, key, filter).await?
        }
        _ => return Err(AppError::Unauthorized),
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
