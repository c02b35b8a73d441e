//! "Sudo" mode (contract §2.2): some actions need a session whose password authentication is
//! recent. Refresh with the password renews it.
use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::session::{self, Session};
use super::Caller;
use crate::error::AppError;
use crate::state::AppState;

/// A fully authenticated session JWT (not an API key, not a partial 2FA token) whose last
/// password authentication is recent ([`session::ensure_fresh`]); otherwise 401 `"Fresh authentication
/// token required"` (401 empty without a session at all).
#[derive(Clone, Debug)]
pub struct FreshSession(pub Session);

impl FromRequestParts<AppState> for FreshSession {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let Caller::Session(session) = Caller::from_request_parts(parts, state).await? else {
            return Err(AppError::Unauthorized);
        };
        session::ensure_fresh(&session, state.now_ms())?;
        Ok(Self(session))
    }
}
