//! `POST /auth/totp/verify`: the login challenge, enabling 2FA, and checking a code.
//!
//! Each success swaps the caller's session for a new one.
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use wire::{ErrorCode, TotpCodeRequest};

use super::session_of;
use crate::auth::origin::SessionOrigin;
use crate::auth::session::{self, Session};
use crate::auth::PartialCaller;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::http::client_ip::ClientIp;
use crate::http::json::Json;
use crate::http::token_response;
use crate::ratelimit;
use crate::state::AppState;
use crate::two_factor::{self, Credential, TOTP_PER_ACCOUNT};

const MSG_NO_SETUP: &str = "Start two-factor authentication setup first";

/// With a partial token: the login challenge (a TOTP code or a recovery code). With a full
/// token after setup: enables 2FA (TOTP code only). With a full token of a 2FA user: checks
/// the code. Success answers a new session token with `twoFactorRequired: false`; a wrong
/// code is an empty 401.
pub(super) async fn verify(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    origin: SessionOrigin,
    PartialCaller(caller): PartialCaller,
    Json(req): Json<TotpCodeRequest>,
) -> AppResult<Response> {
    let session = session_of(caller)?;
    let now = state.now_ms();
    let limit_key = two_factor::rate_limit_key(session.user_id);
    // Reserved before the code is checked, so a burst of codes can never pass the limits.
    let reservation = ratelimit::reserve(&state.db, &limit_key, TOTP_PER_ACCOUNT, now).await?;
    let partial = session.two_factor_required == Some(true);
    let attempt = if partial {
        let Some(n) = two_factor::reserve_partial_attempt(&state.db, session.id).await? else {
            ratelimit::give_back(&state.db, &reservation).await?;
            return Err(AppError::Unauthorized);
        };
        n
    } else {
        0
    };
    let token = match check_code(&state, &session, &req.code, partial, &origin).await {
        Ok(token) => token,
        Err(e) => {
            ratelimit::give_back(&state.db, &reservation).await?;
            return Err(e);
        }
    };
    match token {
        Some(token) => {
            ratelimit::clear(&state.db, &limit_key).await?;
            Ok(token_response(StatusCode::OK, token))
        }
        None => {
            let burnt =
                partial && two_factor::end_spent_partial(&state.db, session.id, attempt).await?;
            tracing::info!(
                user_id = session.user_id,
                ip = %ip,
                partial,
                session_ended = burnt,
                "two-factor code refused"
            );
            Err(AppError::Unauthorized)
        }
    }
}

/// The new session token if `code` passes, `None` if it does not.
async fn check_code(
    state: &AppState,
    session: &Session,
    code: &str,
    partial: bool,
    origin: &SessionOrigin,
) -> AppResult<Option<String>> {
    let credential = two_factor::load(&state.db, &state.totp, session.user_id).await?;
    match credential {
        Some(c) if c.enabled => check_enabled(state, session, &c, code, partial, origin).await,
        // A partial token whose user has no 2FA (any more) passes nothing.
        _ if partial => Ok(None),
        Some(c) => enable(state, session, &c, code, origin).await,
        None => Err(AppError::conflict(MSG_NO_SETUP).with_code(ErrorCode::TwoFactorNotSetUp)),
    }
}

/// Enables the pending secret with a valid code; `None` for a wrong (or replayed) code.
async fn enable(
    state: &AppState,
    session: &Session,
    credential: &Credential,
    code: &str,
    origin: &SessionOrigin,
) -> AppResult<Option<String>> {
    let now = state.now_ms();
    session::ensure_fresh(session, now)?;
    let Some(step) = two_factor::matching_step(&credential.secret, code, now) else {
        return Ok(None);
    };
    let mut tx = db::begin_write(&state.db).await?;
    if !two_factor::enable(&mut tx, session.user_id, &credential.ciphertext, step, now).await? {
        // A parallel request enabled it or replaced the secret first.
        return Ok(None);
    }
    // Codes of an earlier enrolment never survive into a new one.
    two_factor::replace_recovery_codes(&mut tx, session.user_id, &[], now).await?;
    // Every session of the user ends, this one included; the caller gets a new one.
    session::revoke_others(&mut tx, session.user_id, None).await?;
    let token = session::create_with(
        &mut tx,
        &state.jwt,
        session.user_id,
        session.auth_time,
        Some(false),
        origin,
        now,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(
        user_id = session.user_id,
        "two-factor authentication enabled"
    );
    Ok(Some(token))
}

/// Checks a code against an enabled credential and swaps the caller's session for a new,
/// fully authenticated one, all in one transaction: the code is consumed (its time step, or
/// the recovery code) by one conditional UPDATE, and the old session must still exist.
async fn check_enabled(
    state: &AppState,
    session: &Session,
    credential: &Credential,
    code: &str,
    partial: bool,
    origin: &SessionOrigin,
) -> AppResult<Option<String>> {
    let now = state.now_ms();
    let user_id = session.user_id;
    let step = two_factor::matching_step(&credential.secret, code, now);
    // Recovery codes pass the login challenge only (never a full token's check).
    let recovery = match step {
        None if partial => two_factor::normalize_recovery_code(code),
        _ => None,
    };
    if step.is_none() && recovery.is_none() {
        return Ok(None);
    }
    let mut tx = db::begin_write(&state.db).await?;
    if let Some(step) = step {
        if !two_factor::consume_step(&mut tx, user_id, step).await? {
            tracing::warn!(user_id, "TOTP code reuse refused (time step already used)");
            return Ok(None);
        }
    } else if let Some(normalized) = &recovery {
        if !two_factor::consume_recovery_code(&mut tx, user_id, normalized, now).await? {
            drop(tx);
            if two_factor::recovery_code_was_used(&state.db, user_id, normalized).await? {
                tracing::warn!(user_id, "recovery code reuse refused");
            }
            return Ok(None);
        }
    }
    if !session::revoke(&mut *tx, session.id).await? {
        // The session ended meanwhile (logout, too many wrong codes): nothing is consumed.
        return Ok(None);
    }
    let token = session::create_with(
        &mut tx,
        &state.jwt,
        user_id,
        session.auth_time,
        Some(false),
        origin,
        now,
    )
    .await?;
    tx.commit().await?;
    if recovery.is_some() {
        let left = two_factor::remaining_recovery_codes(&state.db, user_id).await?;
        tracing::info!(
            user_id,
            remaining = left,
            "two-factor passed with a recovery code"
        );
    } else {
        tracing::info!(user_id, "two-factor passed");
    }
    Ok(Some(token))
}
