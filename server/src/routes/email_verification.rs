//! Email verification in balena's shapes (contract §5): `POST /user/v1/verify-email`
//! (the mailed link) and `PATCH /v7/user(<id>) {"has_been_sent_verification_email": true}`
//! (a new mail, routed here from the OData PATCH).
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use serde_json::{Map, Value};
use wire::account::{RequestVerificationEmail, VerifyEmailRequest};
use wire::paths;
use wire::ErrorCode;

use crate::auth::origin::SessionOrigin;
use crate::auth::{session, Session};
use crate::error::{AppError, AppResult};
use crate::http::json::Json;
use crate::http::token_response;
use crate::ratelimit::{self, Policy};
use crate::state::AppState;
use crate::two_factor;
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
    Router::new().route(paths::VERIFY_EMAIL, post(verify))
}

/// Verifies, and answers a session token as balena does (partial for a 2FA user, so the
/// second factor still stands). The console never signs in with it: a link that signs
/// whoever opens it in would be login CSRF.
async fn verify(
    State(state): State<AppState>,
    origin: SessionOrigin,
    Json(req): Json<VerifyEmailRequest>,
) -> AppResult<Response> {
    let now = state.now_ms();
    let email = req.email.trim().to_lowercase();
    let Some(user_id) =
        verification::consume(&state.db, &req.verification_token, &email, now).await?
    else {
        tracing::info!("email verification refused: unknown, expired or used link");
        return Err(
            AppError::bad_request(MSG_INVALID_LINK).with_code(ErrorCode::InvalidVerificationLink)
        );
    };
    tracing::info!(user_id, "email verified");
    let claim = two_factor::is_enabled(&state.db, user_id)
        .await?
        .then_some(true);
    let mut conn = state.db.acquire().await?;
    let token =
        session::create_with(&mut conn, &state.jwt, user_id, now, claim, &origin, now).await?;
    Ok(token_response(StatusCode::OK, token))
}

/// `PATCH /v7/user(<id>)`: only the own row, only `has_been_sent_verification_email: true`.
pub async fn patch_user(
    state: &AppState,
    session: &Session,
    key: Option<i64>,
    body: &Map<String, Value>,
) -> AppResult<StatusCode> {
    if key != Some(session.user_id) {
        return Err(AppError::Unauthorized);
    }
    // Nothing else of a user row is writable (pine's 401, as for any read-only field).
    let asked = serde_json::from_value::<RequestVerificationEmail>(Value::Object(body.clone()))
        .is_ok_and(|r| r.has_been_sent_verification_email);
    if !asked || body.len() != 1 {
        return Err(AppError::Unauthorized);
    }
    let user = users::find(&state.db, session.user_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let Some(email) = user.email else {
        return Err(already_verified());
    };
    if verification::account_by_email(&state.db, &email)
        .await?
        .is_some_and(|(_, verified)| verified)
    {
        return Err(already_verified());
    }
    let key = format!("verify:user:{}", user.id);
    ratelimit::reserve(&state.db, &key, RESEND_PER_USER, state.now_ms()).await?;
    verification::send(state, user.id, email, user.username);
    Ok(StatusCode::OK)
}

fn already_verified() -> AppError {
    AppError::conflict(MSG_ALREADY_VERIFIED).with_code(ErrorCode::AlreadyVerified)
}
