//! The statements every OData write is built from.
//!
//! The rows a PATCH or DELETE addresses, checked against who may change them, and updates and
//! deletes of those rows by id.
use sqlx::Row;

use crate::db::Tx;
use crate::error::{AppError, AppResult};
use crate::odata::ast::Expr;
use crate::odata::query::{statement, visible_keys};
use crate::odata::resource::{Params, Principal, Resource, SqlValue};
use crate::odata::resources::V7;
use crate::odata::sql::Translator;

/// Who may change a resource's rows one way (a PATCH or DELETE rule).
pub struct Rule {
    /// SQL true for the rows (aliased `m`) the caller may change this way.
    pub manage: fn(i64, &mut Params) -> String,
}

/// The rows a PATCH or DELETE names (by key, `$filter` or both) for the caller `me`.
#[derive(Clone, Copy)]
pub struct Addressed<'a> {
    pub me: i64,
    pub res: &'static Resource,
    pub key: Option<i64>,
    pub filter: Option<&'a Expr>,
}

/// The ids of the rows a PATCH or DELETE addresses: those the caller can read that match.
/// 401 when the caller may not change one of them (`rule`), so nothing changes at all.
pub async fn targets(tx: &mut Tx, rows: Addressed<'_>, rule: &Rule) -> AppResult<Vec<i64>> {
    let Addressed { me, res, .. } = rows;
    let principal = Principal { user_id: me };
    let mut t = Translator::new(V7, &principal);
    let visible = visible_keys(&mut t, res, rows.key, rows.filter)?;
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

/// 401 unless `id` is one of the rows `ids_sql` selects (with its parameters): the same
/// answer for a row that does not exist and one the caller may not use, so nothing is
/// revealed.
pub async fn allowed(
    tx: &mut Tx,
    id: i64,
    ids_sql: impl FnOnce(&mut Params) -> String,
) -> AppResult<()> {
    let mut params = Params::default();
    let set = ids_sql(&mut params);
    let i = params.push(SqlValue::Int(id));
    let sql = format!("SELECT 1 WHERE {i} IN ({set})");
    match statement(sql, params.0).fetch_optional(&mut **tx).await? {
        Some(_) => Ok(()),
        None => Err(AppError::Unauthorized),
    }
}

/// `(<$1>, <$2>, ...)` of ids, bound.
pub fn id_list(ids: &[i64], params: &mut Params) -> String {
    let list: Vec<String> = ids.iter().map(|i| params.push(SqlValue::Int(*i))).collect();
    format!("({})", list.join(", "))
}

/// Deletes the rows a DELETE addresses, if the caller may delete every one of them (`rule`).
pub async fn delete_targets(tx: &mut Tx, rows: Addressed<'_>, rule: &Rule) -> AppResult<u64> {
    let ids = targets(tx, rows, rule).await?;
    delete_ids(tx, rows.res, &ids).await
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
