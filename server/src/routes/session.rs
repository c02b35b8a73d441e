//! Session upkeep: `GET|POST /user/v1/refresh-token` (contract §2) and our
//! `POST /user/v1/logout` (§12).
use std::net::IpAddr;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use wire::paths;
use wire::RefreshRequest;

use crate::auth::password_check;
use crate::auth::session::{self, ABSOLUTE_LIFETIME_MS};
use crate::auth::{Caller, PartialCaller};
use crate::error::{AppError, AppResult};
use crate::http::client_ip::ClientIp;
use crate::http::json::OptionalJson;
use crate::http::token_response;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(paths::REFRESH_TOKEN, get(refresh_get).post(refresh_post))
        .route(paths::LOGOUT, post(logout))
}

async fn refresh_get(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: Caller,
) -> AppResult<Response> {
    refresh(&state, ip, caller, None).await
}

async fn refresh_post(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: Caller,
    OptionalJson(body): OptionalJson<RefreshRequest>,
) -> AppResult<Response> {
    refresh(&state, ip, caller, body.and_then(|b| b.password)).await
}

/// A new token for the caller's session with `exp` = now + 7 days. `authTime` is kept, unless
/// the correct password is given (fresh authentication, then `authTime` = now). Without a
/// password, refresh is refused once `authTime` is older than the absolute lifetime (30 days),
/// so a stolen token cannot be kept alive forever.
async fn refresh(
    state: &AppState,
    ip: IpAddr,
    caller: Caller,
    password: Option<String>,
) -> AppResult<Response> {
    let session = caller.session()?;
    let now = state.now_ms();
    let reauthenticated = match password {
        Some(password) => {
            password_check::require(state, session.user_id, ip, password).await?;
            tracing::info!(user_id = session.user_id, ip = %ip, "re-authenticated");
            true
        }
        None if now - session.auth_time > ABSOLUTE_LIFETIME_MS => {
            tracing::info!(
                user_id = session.user_id,
                "refresh refused: session too old"
            );
            return Err(AppError::Unauthorized);
        }
        None => false,
    };
    match session::refresh(&state.db, &state.jwt, &session, reauthenticated, now).await? {
        Some(token) => Ok(token_response(StatusCode::OK, token)),
        None => Err(AppError::Unauthorized),
    }
}

/// Ends the caller's session (partial 2FA tokens included, so an abandoned challenge can be
/// cleaned up). The same token gets 401 from then on.
async fn logout(
    State(state): State<AppState>,
    PartialCaller(caller): PartialCaller,
) -> AppResult<Response> {
    let session = caller.session()?;
    session::revoke(&state.db, session.id).await?;
    tracing::info!(user_id = session.user_id, "logged out");
    // The browser drops this origin's storage too (a remembered token included), whatever the
    // page does next.
    Ok((
        StatusCode::OK,
        [(
            axum::http::HeaderName::from_static("clear-site-data"),
            axum::http::HeaderValue::from_static("\"storage\""),
        )],
    )
        .into_response())
}
