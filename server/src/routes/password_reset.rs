//! `POST /user/v1/password-reset` and `/confirm` (ours, contract §12; security bar 1.3, 1.6).
//!
//! The request answers an empty 200 at once for every address; looking the address up,
//! counting the rate limits, storing the token and mailing run in a background task, so
//! neither the answer nor its timing says whether an account exists or a limit was hit.
use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use wire::paths;
use wire::{ErrorCode, PasswordResetConfirm, PasswordResetRequest};

use super::password_notice::{self, PasswordEvent};
use crate::auth::{api_key, session};
use crate::db;
use crate::error::{AppError, AppResult};
use crate::http::client_ip::ClientIp;
use crate::http::json::Json;
use crate::mail::Mail;
use crate::oauth::{random_token, sha256_hex};
use crate::password;
use crate::password_reset as reset_links;
use crate::ratelimit::{self, RESET_PER_EMAIL, RESET_PER_IP};
use crate::state::AppState;
use crate::users;

pub const MSG_INVALID_TOKEN: &str =
    "This password reset link is invalid, has expired or was already used";
/// Kratos' default link lifespan; long enough to find the mail, short enough to age out.
const TOKEN_TTL_MS: i64 = 60 * 60 * 1000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(paths::PASSWORD_RESET, post(request))
        .route(paths::PASSWORD_RESET_CONFIRM, post(confirm))
}

async fn request(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(req): Json<PasswordResetRequest>,
) -> StatusCode {
    let email = req.email.trim().to_lowercase();
    let background = Arc::clone(&state.background);
    background.try_spawn("password reset", async move {
        send_link(&state, &email, ip).await
    });
    StatusCode::OK
}

async fn send_link(state: &AppState, email: &str, ip: IpAddr) -> Result<(), AppError> {
    if wire::validate::email(email).is_err() {
        return Ok(());
    }
    let now = state.now_ms();
    let (email_key, ip_key) = (
        ratelimit::reset_email_key(email),
        ratelimit::reset_ip_key(ip),
    );
    // Reserved before anything is looked up, so parallel requests never slip more mails
    // through than the limits allow. The address first: a blocked address must not add a
    // row per email it tries.
    let reserved = match ratelimit::reserve(&state.db, &ip_key, RESET_PER_IP, now).await {
        Ok(_) => ratelimit::reserve(&state.db, &email_key, RESET_PER_EMAIL, now).await,
        Err(e) => Err(e),
    };
    if let Err(e) = reserved {
        if !matches!(e, AppError::TooManyRequests { .. }) {
            return Err(e);
        }
        tracing::info!(ip = %ip, "password reset: rate limited, no mail sent");
        return Ok(());
    }
    let Some(user_id) = users::id_by_email(&state.db, email).await? else {
        tracing::info!(ip = %ip, "password reset: no account for the address, no mail sent");
        return Ok(());
    };
    let token = random_token()?;
    reset_links::replace(
        &state.db,
        user_id,
        &sha256_hex(&token),
        now,
        now + TOKEN_TTL_MS,
    )
    .await?;
    // In the fragment: browsers never send it, so it stays out of logs and Referer headers.
    let link = format!(
        "{}{}#{}={token}",
        state.public_url,
        wire::account::RESET_PASSWORD_ROUTE,
        wire::account::TOKEN_FRAGMENT_KEY
    );
    let text = format!(
        "Someone asked to reset the password of your Account Console account.\r\n\r\n\
         To choose a new password, open this link within an hour:\r\n\r\n{link}\r\n\r\n\
         The link works once. If you did not ask for this, ignore this message: your\r\n\
         password stays as it is.\r\n"
    );
    let mail = Mail {
        to: email.to_owned(),
        subject: "Reset your Account Console password".into(),
        text,
    };
    state.mailer.send(&mail).await?;
    tracing::info!(user_id, "password reset mail sent");
    Ok(())
}

/// Sets the password, ends every session, logs nobody in (the user signs in with the new
/// password, passing 2FA if enabled: its state is untouched).
async fn confirm(
    State(state): State<AppState>,
    Json(req): Json<PasswordResetConfirm>,
) -> AppResult<StatusCode> {
    wire::validate::password(&req.password).map_err(|e| password::weak(e.message()))?;
    let token_hash = sha256_hex(req.token.trim());
    let now = state.now_ms();
    let Some((user_id, username, email)) = reset_links::owner(&state.db, &token_hash, now).await?
    else {
        tracing::info!("password reset refused: unknown, expired or used link");
        return Err(invalid_link());
    };
    password::check_policy(&req.password, &username, email.as_deref().unwrap_or(""))
        .map_err(password::weak)?;
    let hash = state.passwords.hash(req.password).await?;

    let mut tx = db::begin_write(&state.db).await?;
    // The one statement that decides: of two parallel confirmations only one deletes the row.
    if reset_links::consume(&mut tx, &token_hash, now).await? != Some(user_id) {
        return Err(invalid_link());
    }
    users::set_password_hash(&mut tx, user_id, &hash).await?;
    reset_links::delete_for_user(&mut tx, user_id).await?;
    let ended = session::revoke_others(&mut tx, user_id, None).await?;
    let keys_revoked = if req.revoke_api_keys {
        api_key::revoke_all(&mut tx, user_id).await?
    } else {
        0
    };
    tx.commit().await?;
    // Whoever proved control of the mailbox may try again at once.
    ratelimit::clear(&state.db, &ratelimit::login_user_key(user_id)).await?;
    tracing::info!(
        user_id,
        sessions_ended = ended,
        keys_revoked,
        "password reset"
    );
    if let Some(email) = email {
        password_notice::send(&state, user_id, email, username, PasswordEvent::Reset);
    }
    Ok(StatusCode::OK)
}

/// The link is unknown, used or expired: one answer for all three, so it reveals nothing.
fn invalid_link() -> AppError {
    AppError::bad_request(MSG_INVALID_TOKEN).with_code(ErrorCode::InvalidResetLink)
}
