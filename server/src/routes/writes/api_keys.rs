//! `PATCH` and `DELETE` of `/v7/api_key(<id>)` and `/v7/api_key?$filter=...` (contract §6.3,
//! §6.4). Each is one statement over `id IN (<the keys the caller can see that match>)`, so
//! keys the caller cannot see are never touched and the answer is the same 200 either way.
use serde_json::Value;

use super::Body;
use crate::auth::{session, Session};
use crate::db::Tx;
use crate::error::{AppError, AppResult};
use crate::odata::query::{statement, visible_keys};
use crate::odata::resource::{Principal, SqlValue};
use crate::odata::resources::{API_KEY, V7};
use crate::odata::sql::Translator;
use crate::odata::write::Addressed;
use crate::routes::api_key::{check_description, check_name, parse_expiry};

/// `SET` assignments from a PATCH body: each value bound, `NULL` written as SQL NULL.
fn assignments(body: &Body<'_>, t: &mut Translator<'_>) -> AppResult<Vec<String>> {
    body.only(&["name", "description", "expiry_date"])?;
    let mut sets = Vec::new();
    for (field, value) in body.fields() {
        let bound = match (field, value) {
            ("name", Value::String(s)) if !s.is_empty() => {
                check_name(s)?;
                Some(SqlValue::Text(s.clone()))
            }
            ("name", _) => return Err(AppError::bad_request("name must be a non-empty string")),
            ("description" | "expiry_date", Value::Null) => None,
            ("description", Value::String(s)) => {
                check_description(s)?;
                Some(SqlValue::Text(s.clone()))
            }
            ("expiry_date", Value::String(s)) => Some(SqlValue::Int(parse_expiry(s)?)),
            _ => {
                return Err(AppError::bad_request(format!(
                    "{field} must be a string or null"
                )))
            }
        };
        let placeholder = bound.map_or_else(|| "NULL".to_owned(), |v| t.push(v));
        sets.push(format!("{field} = {placeholder}"));
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
    let mut t = Translator::new(V7, &principal);
    let sets = assignments(body, &mut t)?;
    let ids = visible_keys(&mut t, &API_KEY, rows.key, rows.filter)?;
    if lengthens_life(tx, body, &ids, &t).await? {
        // A stolen session must not make a key live longer than its owner chose.
        session::ensure_fresh(session, now)?;
    }
    let sql = format!(
        "UPDATE api_keys SET {} WHERE id IN ({ids})",
        sets.join(", ")
    );
    Ok(statement(sql, t.params.0)
        .execute(&mut **tx)
        .await?
        .rows_affected())
}

/// Whether the PATCH removes an expiry (`null`) or moves one later for any of the keys
/// `ids` selects. Shortening a key's life, or giving a permanent key an expiry, never is.
async fn lengthens_life(
    tx: &mut Tx,
    body: &Body<'_>,
    ids: &str,
    t: &Translator<'_>,
) -> AppResult<bool> {
    let new_expiry = match body.fields().find(|(f, _)| *f == "expiry_date") {
        None => return Ok(false),
        Some((_, Value::Null)) => None,
        Some((_, Value::String(s))) => Some(parse_expiry(s)?),
        Some(_) => return Ok(false),
    };
    let mut params = t.params.0.clone();
    let later = match new_expiry {
        // Any key that has an expiry now would lose it.
        None => "TRUE".to_owned(),
        Some(at) => {
            params.push(SqlValue::Int(at));
            format!("expiry_date < ${}", params.len())
        }
    };
    let sql = format!(
        "SELECT 1 FROM api_keys WHERE id IN ({ids}) AND expiry_date IS NOT NULL AND {later}"
    );
    Ok(statement(sql, params)
        .fetch_optional(&mut **tx)
        .await?
        .is_some())
}

pub async fn delete(tx: &mut Tx, rows: Addressed<'_>) -> AppResult<u64> {
    let principal = Principal { user_id: rows.me };
    let mut t = Translator::new(V7, &principal);
    let ids = visible_keys(&mut t, &API_KEY, rows.key, rows.filter)?;
    let sql = format!("DELETE FROM api_keys WHERE id IN ({ids})");
    Ok(statement(sql, t.params.0)
        .execute(&mut **tx)
        .await?
        .rows_affected())
}
