//! `POST /user/v1/password {password, currentPassword?}` (ours, contract §12): sets a first
//! password (accounts from social sign-in) or changes it. Ends every other session and
//! answers a token of a new one.
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use wire::paths;
use wire::{ErrorCode, SetPasswordRequest};

use super::password_notice::{self, PasswordEvent};
use crate::auth::origin::SessionOrigin;
use crate::auth::{password_check, session, Caller};
use crate::db;
use crate::error::{AppError, AppResult};
use crate::http::client_ip::ClientIp;
use crate::http::json::Json;
use crate::http::token_response;
use crate::password;
use crate::ratelimit;
use crate::state::AppState;
use crate::users;

const MSG_CURRENT_REQUIRED: &str = "Current password is required";
/// A 400, not a 401: the console treats any 401 as the end of the session.
const MSG_CURRENT_INCORRECT: &str = "Current password is incorrect";

pub fn router() -> Router<AppState> {
    Router::new().route(paths::PASSWORD, post(set_password))
}

async fn set_password(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    origin: SessionOrigin,
    caller: Caller,
    Json(req): Json<SetPasswordRequest>,
) -> AppResult<Response> {
    // A stolen API key must not be able to take the account over.
    let session = caller.session()?;
    let user = users::find(&state.db, session.user_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let old_hash = users::password_hash(&state.db, user.id).await?;
    let current = req.current_password.filter(|p| !p.is_empty());
    if old_hash.is_some() && current.is_none() {
        return Err(AppError::bad_request(MSG_CURRENT_REQUIRED)
            .with_code(ErrorCode::CurrentPasswordRequired));
    }
    // A first password proves nothing by itself, and with it a stolen session could turn 2FA
    // off: the social sign-in that made the session must be recent.
    if old_hash.is_none() {
        session::ensure_fresh(&session, state.now_ms())?;
    }
    wire::validate::password(&req.password).map_err(|e| password::weak(e.message()))?;
    let email = user.email.clone().unwrap_or_default();
    password::check_policy(&req.password, &user.username, &email).map_err(password::weak)?;

    let now = state.now_ms();
    let reauthenticated = match (&old_hash, current) {
        (Some(hash), Some(current)) => {
            // Guessing the current password here counts like guessing it at login.
            let key = ratelimit::login_user_key(user.id);
            if !password_check::verify(&state, &key, ip, current, Some(hash.clone())).await? {
                tracing::info!(user_id = user.id, ip = %ip, "password change: wrong current password");
                return Err(AppError::bad_request(MSG_CURRENT_INCORRECT)
                    .with_code(ErrorCode::CurrentPasswordIncorrect));
            }
            true
        }
        _ => false,
    };
    let new_hash = state.passwords.hash(req.password).await?;

    let mut tx = db::begin_write(&state.db).await?;
    // Conditional on the hash we checked: a parallel change makes this one fail, not win.
    if !users::replace_password_hash(&mut tx, user.id, &new_hash, old_hash.as_deref()).await? {
        return Err(AppError::conflict(
            "The password was changed meanwhile; sign in again",
        ));
    }
    let ended = session::revoke_others(&mut tx, user.id, None).await?;
    // Setting a first password proves nothing new, so it keeps the session's authTime.
    let auth_time = if reauthenticated {
        now
    } else {
        session.auth_time
    };
    let token = session::create_with(
        &mut tx,
        &state.jwt,
        user.id,
        auth_time,
        session.two_factor_required,
        &origin,
        now,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(
        user_id = user.id,
        first = old_hash.is_none(),
        sessions_ended = ended,
        "password set"
    );
    if let Some(email) = user.email {
        let event = if old_hash.is_some() {
            PasswordEvent::Changed
        } else {
            PasswordEvent::Set
        };
        password_notice::send(&state, user.id, email, user.username, event);
    }
    Ok(token_response(StatusCode::OK, token))
}
