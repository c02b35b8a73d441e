//! `POST /login_` (contract §3.1): password login, answered with a session JWT.
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use wire::LoginRequest;

use crate::auth::session;
use crate::error::{AppError, AppResult};
use crate::http::json::Json;
use crate::http::token_response;
use crate::ratelimit::{self, LOGIN_PER_ACCOUNT, LOGIN_PER_IP};
use crate::state::AppState;
use crate::two_factor;
use crate::users;

pub fn router() -> Router<AppState> {
    Router::new().route("/login_", post(login))
}

/// Unknown user and wrong password take the same time (a full argon2 verification either way)
/// and get the same empty 401, so neither the answer nor its timing tells whether an account
/// exists (ASVS 6.3.8).
async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Json(req): Json<LoginRequest>,
) -> AppResult<Response> {
    if req.username.trim().is_empty() || req.password.is_empty() {
        return Err(AppError::bad_request("Username and password are required"));
    }
    let now = state.now_ms();
    let ip = peer.ip();
    let ip_key = ratelimit::login_ip_key(ip);
    ratelimit::ensure_not_blocked(&state.db, &[&ip_key], now).await?;

    // Bounded, so an absurd identifier cannot bloat the rate-limit table.
    let identifier: String = req
        .username
        .trim()
        .to_lowercase()
        .chars()
        .take(wire::validate::EMAIL_MAX_CHARS)
        .collect();
    let credentials = users::find_credentials(&state.db, &identifier).await?;
    // Email and username of one account share a counter; unknown names get their own, so an
    // attacker learns nothing from when blocking starts.
    let account_key = match &credentials {
        Some((user_id, _)) => ratelimit::login_user_key(*user_id),
        None => ratelimit::login_name_key(&identifier),
    };
    ratelimit::ensure_not_blocked(&state.db, &[&account_key], now).await?;

    let (user_id, hash) = match credentials {
        Some((id, hash)) => (Some(id), hash),
        None => (None, None),
    };
    let verified = state.passwords.verify(req.password, hash).await?;
    let Some(user_id) = user_id.filter(|_| verified) else {
        ratelimit::hit(&state.db, &account_key, LOGIN_PER_ACCOUNT, now).await?;
        ratelimit::hit(&state.db, &ip_key, LOGIN_PER_IP, now).await?;
        tracing::info!(user_id, ip = %ip, "login failed");
        return Err(AppError::Unauthorized);
    };

    ratelimit::clear(&state.db, &account_key).await?;
    let mut conn = state.db.acquire().await?;
    // A 2FA user gets a partial token (`twoFactorRequired: true`): only
    // `POST /auth/totp/verify` and logout accept it (contract §3.2).
    let two_factor = two_factor::is_enabled(&state.db, user_id).await?;
    let now = state.now_ms();
    let claim = two_factor.then_some(true);
    let token = session::create_with(&mut conn, &state.jwt, user_id, now, claim, now).await?;
    tracing::info!(user_id, ip = %ip, two_factor, "login succeeded");
    Ok(token_response(StatusCode::OK, token))
}
