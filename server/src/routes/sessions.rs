//! Our own active-sessions endpoints (balena has none): `GET /user/v1/sessions`,
//! `DELETE /user/v1/sessions/{id}`, `POST /user/v1/sessions/revoke-others`. Like the other
//! session-management endpoints they take a session token; API keys get 401. A revoked
//! session's tokens get 401 on their next request, since every request looks the session up.
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{delete, get, post};
use axum::Router;
use wire::{RevokedSessions, REVOKE_OTHER_SESSIONS_PATH, SESSIONS_PATH, SESSION_PATH};

use crate::auth::{session_list, Caller};
use crate::error::{AppError, AppResult};
use crate::http::json_response;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(SESSIONS_PATH, get(list))
        .route(SESSION_PATH, delete(revoke))
        .route(REVOKE_OTHER_SESSIONS_PATH, post(revoke_others))
}

async fn list(State(state): State<AppState>, caller: Caller) -> AppResult<Response> {
    let session = caller.session()?;
    let rows = session_list::list(&state.db, &session, state.now_ms()).await?;
    Ok(json_response(StatusCode::OK, &rows))
}

/// 404 for an id that is not one of the caller's sessions, whoever's it is, and for one that
/// is no session id at all (not a 64-bit integer).
async fn revoke(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<i64>, PathRejection>,
) -> AppResult<StatusCode> {
    let session = caller.session()?;
    let Ok(Path(id)) = id else {
        return Err(AppError::NotFound);
    };
    if !session_list::revoke_own(&state.db, session.user_id, id).await? {
        return Err(AppError::NotFound);
    }
    tracing::info!(
        user_id = session.user_id,
        session_id = id,
        "session revoked"
    );
    Ok(StatusCode::OK)
}

/// `{"revoked": N}`; 401 when the caller's own session was revoked meanwhile.
async fn revoke_others(State(state): State<AppState>, caller: Caller) -> AppResult<Response> {
    let session = caller.session()?;
    let Some(revoked) = session_list::revoke_others(&state.db, &session).await? else {
        return Err(AppError::Unauthorized);
    };
    tracing::info!(user_id = session.user_id, revoked, "other sessions revoked");
    Ok(json_response(StatusCode::OK, &RevokedSessions { revoked }))
}
