//! Who is calling. Credentials are accepted only as `Authorization: Bearer <token>` (never in
//! the query string, a body field or a cookie: contract §12). A JWT-shaped token takes the
//! session path; anything else is an API key. Every failure is the same empty 401.
pub mod api_key;
pub mod fresh;
pub mod origin;
pub mod password_check;
pub mod session;
pub mod session_list;
pub mod user_agent;

use axum::extract::FromRequestParts;
use axum::http::{header, request::Parts};

pub use self::api_key::ApiKeyAuth;
pub use self::fresh::FreshSession;
pub use self::session::Session;
use crate::error::AppError;
use crate::http::client_ip::ClientIp;
use crate::jwt;
use crate::state::AppState;

/// An authenticated caller. Handlers take this to require full authentication: partial
/// (2FA pending) tokens are refused.
#[derive(Clone, Debug)]
pub enum Caller {
    Session(Session),
    /// `Authorization: Bearer <api key>`: reads only; handlers that change credentials or keys
    /// take a session (`Caller::session`, [`FreshSession`]).
    ApiKey(ApiKeyAuth),
}

impl Caller {
    pub fn user_id(&self) -> i64 {
        match self {
            Self::Session(s) => s.user_id,
            Self::ApiKey(k) => k.user_id,
        }
    }

    /// The session behind a session JWT; API-key callers get 401 (balena: API keys cannot
    /// manage keys, refresh or log out).
    pub fn session(self) -> Result<Session, AppError> {
        match self {
            Self::Session(s) => Ok(s),
            Self::ApiKey(_) => Err(AppError::Unauthorized),
        }
    }
}

/// A caller whose token may be partial (`twoFactorRequired: true`). Only logout (and the TOTP
/// challenge, later) accept it.
#[derive(Clone, Debug)]
pub struct PartialCaller(pub Caller);

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let PartialCaller(caller) = PartialCaller::from_request_parts(parts, state).await?;
        match &caller {
            Caller::Session(s) if s.two_factor_required == Some(true) => {
                deny(parts, state, "two-factor authentication pending");
                Err(AppError::Unauthorized)
            }
            Caller::Session(_) | Caller::ApiKey(_) => Ok(caller),
        }
    }
}

impl FromRequestParts<AppState> for PartialCaller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let Some(token) = bearer_token(parts) else {
            return Err(AppError::Unauthorized);
        };
        let now = state.now_ms();
        if !jwt::looks_like_jwt(token) {
            return match api_key::authenticate(&state.db, token, now).await? {
                Some(key) => Ok(Self(Caller::ApiKey(key))),
                None => {
                    deny(parts, state, "unknown or expired API key");
                    Err(AppError::Unauthorized)
                }
            };
        }
        let Some(claims) = state.jwt.verify(token, now) else {
            deny(parts, state, "invalid or expired token");
            return Err(AppError::Unauthorized);
        };
        match session::find(&state.db, &state.reads, &claims, now).await? {
            Some(s) => Ok(Self(Caller::Session(s))),
            None => {
                deny(parts, state, "session ended");
                Err(AppError::Unauthorized)
            }
        }
    }
}

/// The token of `Authorization: Bearer <token>` (scheme case-insensitive, RFC 7235).
fn bearer_token(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty() && !token.contains(' '))
        .then_some(token)
}

/// Logs a refused credential with the client address, never the credential (ASVS 16.3.2).
fn deny(parts: &Parts, state: &AppState, reason: &'static str) {
    let ip = ClientIp::of(parts, state)
        .map(|ClientIp(ip)| ip.to_string())
        .unwrap_or_default();
    tracing::info!(reason, ip, "bearer authentication refused");
}
