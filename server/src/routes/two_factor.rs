//! Two-factor authentication (contract §4, §12): `GET /auth/totp/setup`,
//! `POST /auth/totp/verify`, `POST /auth/totp/disable`, and our
//! `GET|POST /auth/totp/recovery-codes`.
//!
//! Every change of the second factor (enabling, disabling, new recovery codes) ends the user's
//! other sessions; enabling, passing the challenge and disabling replace the caller's session
//! with a new one (new token, ASVS 7.2.4). Setup and enabling need fresh authentication (the
//! password within 20 minutes), disabling needs the password itself, regenerating the recovery
//! codes needs fresh authentication.
mod verify;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use wire::paths;
use wire::{ErrorCode, PasswordRequest, RecoveryCodes, RecoveryCodesRemaining};

use crate::auth::origin::SessionOrigin;
use crate::auth::password_check;
use crate::auth::session::{self, Session};
use crate::auth::Caller;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::http::client_ip::ClientIp;
use crate::http::json::Json;
use crate::http::{json_response, token_response};
use crate::state::AppState;
use crate::two_factor;
use crate::users;

const MSG_ALREADY_ENABLED: &str = "Two-factor authentication is already enabled";
const MSG_NOT_ENABLED: &str = "Two-factor authentication is not enabled";

pub fn router() -> Router<AppState> {
    Router::new()
        .route(paths::TOTP_SETUP, get(setup))
        .route(paths::TOTP_VERIFY, post(verify::verify))
        .route(paths::TOTP_DISABLE, post(disable))
        .route(
            paths::TOTP_RECOVERY_CODES,
            get(remaining_codes).post(regenerate_codes),
        )
}

/// The caller's session: API keys never manage (nor pass) the second factor.
fn session_of(caller: Caller) -> AppResult<Session> {
    match caller {
        Caller::Session(s) => Ok(s),
        #[allow(unreachable_patterns)]
        _ => Err(AppError::Unauthorized),
    }
}

fn text_response(body: String) -> Response {
    // Same shape as a token: `text/plain`, and `no-store` from the header middleware.
    token_response(StatusCode::OK, body)
}

/// A new pending secret and its `otpauth://` URI (text). Replaces an unfinished setup; 409
/// once 2FA is enabled (disable it first).
async fn setup(State(state): State<AppState>, caller: Caller) -> AppResult<Response> {
    let session = session_of(caller)?;
    let now = state.now_ms();
    session::ensure_fresh(&session, now)?;
    let user = users::find(&state.db, session.user_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let secret = two_factor::new_secret()?;
    let ciphertext = state.totp.encrypt(user.id, &secret)?;
    if !two_factor::store_pending(&state.db, user.id, &ciphertext, now).await? {
        return Err(
            AppError::conflict(MSG_ALREADY_ENABLED).with_code(ErrorCode::TwoFactorAlreadyEnabled)
        );
    }
    tracing::info!(user_id = user.id, "two-factor setup started");
    Ok(text_response(two_factor::otpauth_uri(
        &user.username,
        &secret,
    )))
}

/// Turns 2FA off after checking the password; every session of the user ends and the caller
/// gets a new token without the 2FA claim. Idempotent: without 2FA it only re-authenticates.
async fn disable(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    origin: SessionOrigin,
    caller: Caller,
    Json(req): Json<PasswordRequest>,
) -> AppResult<Response> {
    let session = session_of(caller)?;
    password_check::require(&state, session.user_id, ip, req.password).await?;
    let now = state.now_ms();
    let mut tx = db::begin_write(&state.db).await?;
    two_factor::remove(&mut tx, session.user_id).await?;
    session::revoke_others(&mut tx, session.user_id, None).await?;
    let token = session::create_with(
        &mut tx,
        &state.jwt,
        session.user_id,
        now,
        None,
        &origin,
        now,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(user_id = session.user_id, ip = %ip, "two-factor authentication disabled");
    Ok(token_response(StatusCode::OK, token))
}

/// `{"remaining": N}`: unused recovery codes (0 without 2FA).
async fn remaining_codes(State(state): State<AppState>, caller: Caller) -> AppResult<Response> {
    let remaining = two_factor::remaining_recovery_codes(&state.db, caller.user_id()).await?;
    Ok(json_response(
        StatusCode::OK,
        &RecoveryCodesRemaining { remaining },
    ))
}

/// A new set of recovery codes, shown once; the old set stops working and the user's other
/// sessions end. Needs fresh authentication; the console calls it right after enabling 2FA
/// (the setup a moment earlier needed fresh authentication too).
async fn regenerate_codes(State(state): State<AppState>, caller: Caller) -> AppResult<Response> {
    let session = session_of(caller)?;
    let now = state.now_ms();
    session::ensure_fresh(&session, now)?;
    if !two_factor::is_enabled(&state.db, session.user_id).await? {
        return Err(AppError::conflict(MSG_NOT_ENABLED).with_code(ErrorCode::TwoFactorNotEnabled));
    }
    let codes = two_factor::new_recovery_codes()?;
    let mut tx = db::begin_write(&state.db).await?;
    two_factor::replace_recovery_codes(&mut tx, session.user_id, &codes, now).await?;
    session::revoke_others(&mut tx, session.user_id, Some(session.id)).await?;
    tx.commit().await?;
    tracing::info!(user_id = session.user_id, "new recovery codes issued");
    Ok(json_response(StatusCode::OK, &RecoveryCodes { codes }))
}
