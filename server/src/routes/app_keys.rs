//! `POST /api-key/application/:id/provisioning` and `POST /api-key/device/:id/device-key`
//! (contract §6.1, "other create endpoints"): a key for the application's or device's actor,
//! answered as a JSON string, shown once (same generator and SHA-256 storage as user keys).
//! Administrators and developers of the application only; a session JWT, not a fresh one
//! (balena asks for fresh authentication for user keys only). Such keys do not authenticate
//! requests here: this product has no device endpoints; they can be listed and revoked.
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use serde::Deserialize;
use wire::paths;

use super::api_key::{check_description, check_name, parse_expiry};
use crate::auth::{api_key, Caller};
use crate::error::{AppError, AppResult};
use crate::http::json::OptionalJson;
use crate::http::json_response;
use crate::odata::resource::Params;
use crate::odata::resources::{app_ids, device_ids, Level};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(paths::PROVISIONING_KEY, post(provisioning_key))
        .route(paths::DEVICE_KEY, post(device_key))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyRequest {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(rename = "expiryDate", default)]
    expiry_date: Option<String>,
}

async fn provisioning_key(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<i64>, axum::extract::rejection::PathRejection>,
    OptionalJson(body): OptionalJson<KeyRequest>,
) -> AppResult<Response> {
    let Ok(Path(id)) = id else {
        return Err(AppError::NotFound);
    };
    create(
        &state,
        caller,
        "applications",
        id,
        body.unwrap_or_default(),
        |me, p| app_ids(Level::Fleet, me, p),
    )
    .await
}

async fn device_key(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<i64>, axum::extract::rejection::PathRejection>,
    OptionalJson(body): OptionalJson<KeyRequest>,
) -> AppResult<Response> {
    let Ok(Path(id)) = id else {
        return Err(AppError::NotFound);
    };
    create(
        &state,
        caller,
        "devices",
        id,
        body.unwrap_or_default(),
        |me, p| device_ids(Level::Fleet, me, p),
    )
    .await
}

/// The key is created only if `id` is among the rows `allowed` selects for the caller (one
/// conditional INSERT in `api_key::create_for`). `table` is a fixed table name: it is put
/// into the SQL as is.
async fn create(
    state: &AppState,
    caller: Caller,
    table: &'static str,
    id: i64,
    req: KeyRequest,
    allowed: fn(i64, &mut Params) -> String,
) -> AppResult<Response> {
    let me = caller.session()?.user_id;
    let expiry = req.expiry_date.as_deref().map(parse_expiry).transpose()?;
    if let Some(n) = &req.name {
        check_name(n)?;
    }
    if let Some(d) = &req.description {
        check_description(d)?;
    }
    let key = api_key::generate()?;
    let mut params = Params::default();
    let set = allowed(me, &mut params);
    let new_key = api_key::NewKey {
        key: &key,
        name: non_empty(req.name.as_deref()),
        description: non_empty(req.description.as_deref()),
        expiry_date: expiry,
    };
    let key_id = api_key::create_for(&state.db, table, id, &set, params, &new_key, state.now_ms())
        .await?
        .ok_or(AppError::Unauthorized)?;
    tracing::info!(user_id = me, key_id, table, owner = id, "API key created");
    Ok(json_response(StatusCode::OK, &key))
}

/// An empty name or description is stored as none, like an absent one.
fn non_empty(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.is_empty())
}
