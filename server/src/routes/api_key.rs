//! `POST /api-key/user/full` (contract §6.1): a named API key for the caller's own actor.
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde_json::Value;
use wire::paths;
use wire::validate::{API_KEY_DESCRIPTION_MAX_CHARS, API_KEY_NAME_MAX_CHARS};
use wire::CreateApiKeyRequest;

use crate::auth::{api_key, FreshSession};
use crate::clock::parse_iso_ms;
use crate::error::{AppError, AppResult};
use crate::http::json::Json;
use crate::http::json_response;
use crate::state::AppState;

/// balena's answers, word for word (pine rule texts and OBA's date check).
pub const MSG_BAD_EXPIRY: &str = "Key expiry date should be a valid date";
pub const MSG_NAME_TOO_LONG: &str = "It is necessary that each api key that has a name, has a name that has a Length (Type) that is less than or equal to 50.";
pub const MSG_DESCRIPTION_TOO_LONG: &str = "It is necessary that each api key that has a description, has a description that has a Length (Type) that is less than or equal to 150.";

pub fn router() -> Router<AppState> {
    Router::new().route(paths::USER_API_KEY, post(create))
}

pub fn check_name(name: &str) -> AppResult<()> {
    if name.chars().count() > API_KEY_NAME_MAX_CHARS {
        return Err(AppError::bad_request(MSG_NAME_TOO_LONG));
    }
    Ok(())
}

pub fn check_description(description: &str) -> AppResult<()> {
    if description.chars().count() > API_KEY_DESCRIPTION_MAX_CHARS {
        return Err(AppError::bad_request(MSG_DESCRIPTION_TOO_LONG));
    }
    Ok(())
}

pub fn parse_expiry(s: &str) -> AppResult<i64> {
    parse_iso_ms(s).ok_or_else(|| AppError::bad_request(MSG_BAD_EXPIRY))
}

/// Answers the new key as a JSON string, the only time it is ever shown. It is not logged;
/// the log names the key's id.
async fn create(
    State(state): State<AppState>,
    FreshSession(session): FreshSession,
    Json(body): Json<Value>,
) -> AppResult<Response> {
    // balena's zod schema failures (missing or empty name, wrong types) are empty 400s.
    let req = match serde_json::from_value::<CreateApiKeyRequest>(body) {
        Ok(req) if !req.name.is_empty() => req,
        _ => return Ok(StatusCode::BAD_REQUEST.into_response()),
    };
    let expiry = req.expiry_date.as_deref().map(parse_expiry).transpose()?;
    check_name(&req.name)?;
    if let Some(d) = &req.description {
        check_description(d)?;
    }
    let key = api_key::generate()?;
    let now = state.now_ms();
    let new_key = api_key::NewKey {
        key: &key,
        name: Some(&req.name),
        description: req.description.as_deref(),
        expiry_date: expiry,
    };
    let id = api_key::create(&state.db, session.user_id, &new_key, now)
        .await?
        .ok_or(AppError::Unauthorized)?;
    tracing::info!(user_id = session.user_id, key_id = id, "API key created");
    Ok(json_response(StatusCode::OK, &key))
}
