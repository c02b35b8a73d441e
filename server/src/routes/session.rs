//! Session upkeep: `GET|POST /user/v1/refresh-token` (contract §2) and our
//! `POST /user/v1/logout` (§12).
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use wire::RefreshRequest;

use crate::auth::session::{self, Session, ABSOLUTE_LIFETIME_MS};
use crate::auth::{Caller, PartialCaller};
use crate::error::{AppError, AppResult};
use crate::http::json::OptionalJson;
use crate::http::token_response;
use crate::ratelimit::{self, LOGIN_PER_ACCOUNT};
use crate::state::AppState;
use crate::users;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/user/v1/refresh-token",
            get(refresh_get).post(refresh_post),
        )
        .route("/user/v1/logout", post(logout))
}

async fn refresh_get(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    caller: Caller,
) -> AppResult<Response> {
    refresh(&state, peer, caller, None).await
}

async fn refresh_post(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    caller: Caller,
    OptionalJson(body): OptionalJson<RefreshRequest>,
) -> AppResult<Response> {
    refresh(&state, peer, caller, body.and_then(|b| b.password)).await
}

/// A new token for the caller's session with `exp` = now + 7 days. `authTime` is kept, unless
/// the correct password is given (fresh authentication, then `authTime` = now). Without a
/// password, refresh is refused once `authTime` is older than the absolute lifetime (30 days),
/// so a stolen token cannot be kept alive forever.
async fn refresh(
    state: &AppState,
    peer: SocketAddr,
    caller: Caller,
    password: Option<String>,
) -> AppResult<Response> {
    let session = caller.session()?;
    let now = state.now_ms();
    let reauthenticated = match password {
        Some(password) => {
            check_password(state, &session, password, peer).await?;
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

/// Password re-authentication counts against the same per-account limit as login, so a stolen
/// token cannot be used to guess the password either.
pub(super) async fn check_password(
    state: &AppState,
    session: &Session,
    password: String,
    peer: SocketAddr,
) -> AppResult<()> {
    let now = state.now_ms();
    let key = ratelimit::login_user_key(session.user_id);
    ratelimit::ensure_not_blocked(&state.db, &[&key], now).await?;
    let hash = users::password_hash(&state.db, session.user_id).await?;
    if state.passwords.verify(password, hash).await? {
        ratelimit::clear(&state.db, &key).await?;
        tracing::info!(user_id = session.user_id, ip = %peer.ip(), "re-authenticated");
        Ok(())
    } else {
        ratelimit::hit(&state.db, &key, LOGIN_PER_ACCOUNT, now).await?;
        tracing::info!(user_id = session.user_id, ip = %peer.ip(), "re-authentication failed");
        Err(AppError::Unauthorized)
    }
}

/// Ends the caller's session (partial 2FA tokens included, so an abandoned challenge can be
/// cleaned up). The same token gets 401 from then on.
async fn logout(
    State(state): State<AppState>,
    PartialCaller(caller): PartialCaller,
) -> AppResult<StatusCode> {
    let session = caller.session()?;
    session::revoke(&state.db, session.id).await?;
    tracing::info!(user_id = session.user_id, "logged out");
    Ok(StatusCode::OK)
}
