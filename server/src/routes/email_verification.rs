//! `POST /user/v1/email-verification` (Resend, signed in) and
//! `POST /user/v1/email-verification/confirm` (the mailed link; ours, contract §12).
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use wire::account::EmailVerificationConfirm;

use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::http::json::Json;
use crate::ratelimit::{self, Policy};
use crate::state::AppState;
use crate::users;
use crate::verification;

pub const MSG_INVALID_LINK: &str =
    "This verification link is invalid, has expired or was already used";
const MSG_ALREADY_VERIFIED: &str = "Your email address is already verified";

/// Resends per user: a few an hour, so nobody can flood an inbox through us.
const RESEND_PER_USER: Policy = Policy {
    limit: 5,
    window_ms: 60 * 60 * 1000,
    block_ms: 60 * 60 * 1000,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/user/v1/email-verification", post(resend))
        .route("/user/v1/email-verification/confirm", post(confirm))
}

async fn resend(State(state): State<AppState>, caller: Caller) -> AppResult<StatusCode> {
    let session = caller.session()?;
    let user = users::find(&state.db, session.user_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let Some(email) = user.email else {
        return Err(AppError::Conflict(MSG_ALREADY_VERIFIED));
    };
    if verification::account_by_email(&state.db, &email)
        .await?
        .is_some_and(|(_, verified)| verified)
    {
        return Err(AppError::Conflict(MSG_ALREADY_VERIFIED));
    }
    let key = format!("verify:user:{}", user.id);
    ratelimit::reserve(&state.db, &key, RESEND_PER_USER, state.now_ms()).await?;
    verification::send(&state, user.id, email, user.username);
    Ok(StatusCode::OK)
}

async fn confirm(
    State(state): State<AppState>,
    Json(req): Json<EmailVerificationConfirm>,
) -> AppResult<StatusCode> {
    match verification::consume(&state.db, &req.token, state.now_ms()).await? {
        Some(user_id) => {
            tracing::info!(user_id, "email verified");
            Ok(StatusCode::OK)
        }
        None => {
            tracing::info!("email verification refused: unknown, expired or used link");
            Err(AppError::bad_request(MSG_INVALID_LINK))
        }
    }
}
