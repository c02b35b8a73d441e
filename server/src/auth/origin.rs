//! Where a sign-in came from, kept on its session row so people can tell their sessions apart.
use std::net::IpAddr;

use axum::extract::FromRequestParts;
use axum::http::{header, request::Parts};

use crate::error::AppError;
use crate::http::client_ip::ClientIp;
use crate::state::AppState;

/// Longer User-Agents are cut here: enough to recognise any real browser, and a client cannot
/// grow the table with a huge header.
pub const USER_AGENT_MAX_CHARS: usize = 256;

/// The User-Agent and client address of the request that starts a session.
#[derive(Clone, Debug, Default)]
pub struct SessionOrigin {
    pub user_agent: Option<String>,
    pub ip: Option<IpAddr>,
}

impl SessionOrigin {
    pub fn of(parts: &Parts, state: &AppState) -> Self {
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| {
                ua.trim()
                    .chars()
                    .take(USER_AGENT_MAX_CHARS)
                    .collect::<String>()
            })
            .filter(|ua| !ua.is_empty());
        Self {
            user_agent,
            ip: ClientIp::of(parts, state).map(|ClientIp(ip)| ip),
        }
    }
}

impl FromRequestParts<AppState> for SessionOrigin {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        Ok(Self::of(parts, state))
    }
}
