//! `POST /user/register` (balenaCloud's sign-up; contract §5, §11, §12).
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use wire::paths;
use wire::{ErrorCode, RegisterRequest};

use crate::auth::origin::SessionOrigin;
use crate::error::{AppError, AppResult};
use crate::http::client_ip::ClientIp;
use crate::http::json::Json;
use crate::http::token_response;
use crate::password;
use crate::ratelimit::{self, SIGNUP_PER_IP};
use crate::state::AppState;
use crate::users::{self, email_conflict, username_conflict, NewAccount};
use crate::verification;

/// A derived username can lose a race with a parallel sign-up; derive again this many times.
const DERIVE_ATTEMPTS: usize = 3;

pub fn router() -> Router<AppState> {
    Router::new().route(paths::REGISTER, post(register))
}

async fn register(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    origin: SessionOrigin,
    Json(req): Json<RegisterRequest>,
) -> AppResult<Response> {
    let now = state.now_ms();
    let ip_key = ratelimit::signup_ip_key(ip);
    ratelimit::reserve(&state.db, &ip_key, SIGNUP_PER_IP, now).await?;

    let email = req.email.to_lowercase();
    wire::validate::email(&email).map_err(|e| AppError::bad_request(e.message()))?;
    wire::validate::password(&req.password).map_err(|e| password::weak(e.message()))?;
    if let Some(username) = &req.username {
        wire::validate::username(username).map_err(|e| AppError::bad_request(e.message()))?;
    }
    password::check_policy(&req.password, req.username.as_deref().unwrap_or(""), &email)
        .map_err(password::weak)?;

    // Cheap checks first, so a taken name costs no argon2 work; the unique indexes decide races.
    if users::email_taken(&state.db, &email).await? {
        return Err(email_conflict());
    }
    if let Some(username) = &req.username {
        if users::username_taken(&state.db, username).await? {
            return Err(username_conflict());
        }
    }
    let password_hash = state.passwords.hash(req.password).await?;

    let mut attempt = 0;
    loop {
        attempt += 1;
        let username = match &req.username {
            Some(u) => u.clone(),
            None => users::derive_username(&state.db, &email).await?,
        };
        let account = NewAccount {
            email: Some(&email),
            username: &username,
            password_hash: Some(&password_hash),
            email_verified: false,
            origin: &origin,
        };
        match users::create_account(&state.db, &state.jwt, &account, state.now_ms()).await {
            Ok((user_id, token)) => {
                tracing::info!(user_id, ip = %ip, "signed up");
                verification::send(&state, user_id, email.clone(), username);
                return Ok(token_response(StatusCode::CREATED, token));
            }
            Err(e)
                if e.code() == Some(ErrorCode::UsernameTaken)
                    && req.username.is_none()
                    && attempt < DERIVE_ATTEMPTS =>
            {
                continue
            }
            Err(e) => return Err(e),
        }
    }
}
