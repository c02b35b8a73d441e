//! `PATCH` and `DELETE` of `/v7/api_key(<id>)` and `/v7/api_key?$filter=...` (contract §6.3,
//! §6.4). Each is one statement over `id IN (<the keys the caller can see that match>)`, so
//! keys the caller cannot see are never touched and the answer is the same 200 either way.
//! Bodies are checked here; `crate::auth::api_key` runs the statements.
use serde_json::Value;

use super::Body;
use crate::auth::{api_key, session, Session};
use crate::db::Tx;
use crate::error::{AppError, AppResult};
use crate::odata::query::visible_keys;
use crate::odata::resource::{Params, Principal, SqlValue};
use crate::odata::resources::{API_KEY, V7};
use crate::odata::sql::Translator;
use crate::odata::write::Addressed;
use crate::routes::api_key::{check_description, check_name, parse_expiry};

/// The fields a PATCH may set; each is also its column.
const FIELDS: [&str; 3] = ["name", "description", "expiry_date"];

/// `SET` assignments from a PATCH body: each column with its value, `null` as `Null`.
fn assignments(body: &Body<'_>) -> AppResult<Vec<(&'static str, SqlValue)>> {
    body.only(&FIELDS)?;
    let mut sets = Vec::new();
    for (field, value) in body.fields() {
        // The column is taken from `FIELDS`, so no request text reaches the SQL.
        let Some(column) = FIELDS.into_iter().find(|c| *c == field) else {
            continue; // `only` has refused it.
        };
        let bound = match (column, value) {
            ("name", Value::String(s)) if !s.is_empty() => {
                check_name(s)?;
                SqlValue::Text(s.clone())
            }
            ("name", _) => return Err(AppError::bad_request("name must be a non-empty string")),
            ("description" | "expiry_date", Value::Null) => SqlValue::Null,
            ("description", Value::String(s)) => {
                check_description(s)?;
                SqlValue::Text(s.clone())
            }
            ("expiry_date", Value::String(s)) => SqlValue::Int(parse_expiry(s)?),
            _ => {
                return Err(AppError::bad_request(format!(
                    "{field} must be a string or null"
                )))
            }
        };
        sets.push((column, bound));
    }
    Ok(sets)
}

pub async fn patch(
    tx: &mut Tx,
    session: &Session,
    now: i64,
    rows: Addressed<'_>,
    body: &Body<'_>,
) -> AppResult<u64> {
    let principal = Principal {
        user_id: session.user_id,
    };
    let sets = assignments(body)?;
    let mut t = Translator::new(V7, &principal);
    let ids = visible_keys(&mut t, &API_KEY, rows.key, rows.filter)?;
    if lengthens_life(tx, body, &ids, &t.params).await? {
        // A stolen session must not make a key live longer than its owner chose.
        session::ensure_fresh(session, now)?;
    }
    api_key::update(tx, &sets, &ids, t.params).await
}

/// Whether the PATCH removes an expiry (`null`) or moves one later for any of the keys
/// `ids` selects. Shortening a key's life, or giving a permanent key an expiry, never is.
async fn lengthens_life(
    tx: &mut Tx,
    body: &Body<'_>,
    ids: &str,
    params: &Params,
) -> AppResult<bool> {
    let new_expiry = match body.fields().find(|(f, _)| *f == "expiry_date") {
        None => return Ok(false),
        Some((_, Value::Null)) => None,
        Some((_, Value::String(s))) => Some(parse_expiry(s)?),
        Some(_) => return Ok(false),
    };
    api_key::any_expiry_moves_later(tx, ids, params, new_expiry).await
}

pub async fn delete(tx: &mut Tx, rows: Addressed<'_>) -> AppResult<u64> {
    let principal = Principal { user_id: rows.me };
    let mut t = Translator::new(V7, &principal);
    let ids = visible_keys(&mut t, &API_KEY, rows.key, rows.filter)?;
    api_key::delete(tx, &ids, t.params).await
}
