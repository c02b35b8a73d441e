//! `POST /login_` (contract §3.1): password login, answered with a session JWT.
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use wire::paths;
use wire::LoginRequest;

use crate::auth::origin::SessionOrigin;
use crate::auth::{password_check, session};
use crate::error::{AppError, AppResult};
use crate::http::client_ip::ClientIp;
use crate::http::json::Json;
use crate::http::token_response;
use crate::ratelimit;
use crate::state::AppState;
use crate::two_factor;
use crate::users;

pub fn router() -> Router<AppState> {
    Router::new().route(paths::LOGIN, post(login))
}

/// Unknown user and wrong password take the same time (a full argon2 verification either way)
/// and get the same empty 401, so neither the answer nor its timing tells whether an account
/// exists (ASVS 6.3.8).
async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    origin: SessionOrigin,
    Json(req): Json<LoginRequest>,
) -> AppResult<Response> {
    if req.username.trim().is_empty() || req.password.is_empty() {
        return Err(AppError::bad_request("Username and password are required"));
    }
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
    let (user_id, hash, account_key) = match credentials {
        Some((id, hash)) => (Some(id), hash, ratelimit::login_user_key(id)),
        None => (None, None, ratelimit::login_name_key(&identifier)),
    };
    let verified = password_check::verify(&state, &account_key, ip, req.password, hash).await?;
    let Some(user_id) = user_id.filter(|_| verified) else {
        tracing::info!(user_id, ip = %ip, "login failed");
        return Err(AppError::Unauthorized);
    };

    let mut conn = state.db.acquire().await?;
    // A 2FA user gets a partial token (`twoFactorRequired: true`): only
    // `POST /auth/totp/verify` and logout accept it (contract §3.2).
    let two_factor = two_factor::is_enabled(&state.db, user_id).await?;
    let now = state.now_ms();
    let claim = two_factor.then_some(true);
    let token =
        session::create_with(&mut conn, &state.jwt, user_id, now, claim, &origin, now).await?;
    tracing::info!(user_id, ip = %ip, two_factor, "login succeeded");
    Ok(token_response(StatusCode::OK, token))
}
