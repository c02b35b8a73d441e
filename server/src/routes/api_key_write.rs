//! `PATCH` and `DELETE` of `/v7/api_key(<id>)` and `/v7/api_key?$filter=...` (contract §6.3,
//! §6.4). Session JWTs only: API-key callers get 401. Each is one statement over
//! `id IN (<the keys the caller can see that match>)`, so keys the caller cannot see are never
//! touched and the answer is the same 200 either way.
use axum::http::StatusCode;
use serde_json::{Map, Value};

use crate::auth::{session, Caller};
use crate::error::{AppError, AppResult};
use crate::odata::ast::{Expr, Options};
use crate::odata::query::{statement, visible_keys};
use crate::odata::resource::{Principal, SqlValue};
use crate::odata::resources::{API_KEY, V7};
use crate::odata::sql::Translator;
use crate::state::AppState;

use super::api_key::{check_description, check_name, parse_expiry};

/// Writes take `$filter` only; paging or shaping options would be silently meaningless.
fn write_filter(options: &Options) -> AppResult<Option<&Expr>> {
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

/// `SET` assignments from a PATCH body: each value bound, `NULL` written as SQL NULL.
fn assignments(body: &Map<String, Value>, t: &mut Translator<'_>) -> AppResult<Vec<String>> {
    if body.is_empty() {
        return Err(AppError::bad_request("No fields to update"));
    }
    let mut sets = Vec::new();
    for (field, value) in body {
        let (column, bound) = match (field.as_str(), value) {
            ("name", Value::String(s)) if !s.is_empty() => {
                check_name(s)?;
                ("name", Some(SqlValue::Text(s.clone())))
            }
            ("name", _) => return Err(AppError::bad_request("name must be a non-empty string")),
            ("description", Value::Null) => ("description", None),
            ("description", Value::String(s)) => {
                check_description(s)?;
                ("description", Some(SqlValue::Text(s.clone())))
            }
            ("expiry_date", Value::Null) => ("expiry_date", None),
            ("expiry_date", Value::String(s)) => {
                ("expiry_date", Some(SqlValue::Int(parse_expiry(s)?)))
            }
            ("description" | "expiry_date", _) => {
                return Err(AppError::bad_request(format!(
                    "{field} must be a string or null"
                )))
            }
            (f, _) if API_KEY.field(f).is_some() => {
                return Err(AppError::bad_request(format!(
                    "Field '{f}' of 'api_key' cannot be changed"
                )))
            }
            (f, _) => {
                return Err(AppError::bad_request(format!(
                    "Unknown field '{f}' of 'api_key'"
                )))
            }
        };
        let placeholder = bound.map_or_else(|| "NULL".to_owned(), |v| t.push(v));
        sets.push(format!("{column} = {placeholder}"));
    }
    Ok(sets)
}

pub async fn patch(
    state: &AppState,
    caller: Caller,
    key: Option<i64>,
    options: &Options,
    body: &Map<String, Value>,
) -> AppResult<StatusCode> {
    let session = caller.session()?;
    let filter = write_filter(options)?;
    let principal = Principal {
        user_id: session.user_id,
    };
    let mut t = Translator::new(V7, &principal);
    let sets = assignments(body, &mut t)?;
    let ids = visible_keys(&mut t, &API_KEY, key, filter)?;
    if lengthens_life(state, body, &ids, &t).await? {
        // A stolen session must not make a key live longer than its owner chose.
        session::ensure_fresh(&session, state.now_ms())?;
    }
    let sql = format!(
        "UPDATE api_keys SET {} WHERE id IN ({ids})",
        sets.join(", ")
    );
    let done = statement(sql, t.params.0).execute(&state.db).await?;
    tracing::info!(
        user_id = session.user_id,
        count = done.rows_affected(),
        "API keys updated"
    );
    Ok(StatusCode::OK)
}

/// Whether the PATCH removes an expiry (`null`) or moves one later for any of the keys
/// `ids` selects. Shortening a key's life, or giving a permanent key an expiry, never is.
async fn lengthens_life(
    state: &AppState,
    body: &Map<String, Value>,
    ids: &str,
    t: &Translator<'_>,
) -> AppResult<bool> {
    let new_expiry = match body.get("expiry_date") {
        None => return Ok(false),
        Some(Value::Null) => None,
        Some(Value::String(s)) => Some(parse_expiry(s)?),
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
        .fetch_optional(&state.db)
        .await?
        .is_some())
}

pub async fn delete(
    state: &AppState,
    caller: Caller,
    key: Option<i64>,
    options: &Options,
) -> AppResult<StatusCode> {
    let session = caller.session()?;
    let filter = write_filter(options)?;
    let principal = Principal {
        user_id: session.user_id,
    };
    let mut t = Translator::new(V7, &principal);
    let ids = visible_keys(&mut t, &API_KEY, key, filter)?;
    let sql = format!("DELETE FROM api_keys WHERE id IN ({ids})");
    let done = statement(sql, t.params.0).execute(&state.db).await?;
    tracing::info!(
        user_id = session.user_id,
        count = done.rows_affected(),
        "API keys revoked"
    );
    Ok(StatusCode::OK)
}
