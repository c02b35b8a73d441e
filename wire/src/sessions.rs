//! Active sessions: our own addition (balena publishes no session list), under `/user/v1/`.
use serde::{Deserialize, Serialize};

/// `GET`: the caller's active sessions, as a JSON array of [`SessionRow`].
pub const SESSIONS_PATH: &str = "/user/v1/sessions";
/// `POST` (no body): ends every session of the caller but the calling one.
pub const REVOKE_OTHER_SESSIONS_PATH: &str = "/user/v1/sessions/revoke-others";

/// `DELETE`: ends one of the caller's sessions (404 for anyone else's). The route's template;
/// [`session_path`] fills it in.
pub const SESSION_PATH: &str = "/user/v1/sessions/{id}";

/// The path of one session, for `DELETE`.
pub fn session_path(id: i64) -> String {
    format!("{SESSIONS_PATH}/{id}")
}

/// One signed-in browser or client. Partial sign-ins (two-factor code still due) are not
/// sessions yet and are never listed; API keys are not sessions at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRow {
    pub id: i64,
    /// From the User-Agent at sign-in, e.g. `Firefox`; `None` when it was not recognised.
    pub browser: Option<String>,
    /// From the User-Agent at sign-in, e.g. `macOS`; `None` when it was not recognised.
    pub os: Option<String>,
    /// The client address at sign-in.
    pub ip: Option<String>,
    /// ISO 8601, like every date the API sends.
    pub created_at: String,
    /// ISO 8601; recorded at most once a minute, so it may lag real use by up to a minute.
    pub last_used_at: String,
    /// The session of the token that asked.
    pub current: bool,
}

/// The answer to `POST` [`REVOKE_OTHER_SESSIONS_PATH`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevokedSessions {
    pub revoked: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_session_path_per_id() {
        assert_eq!(session_path(42), "/user/v1/sessions/42");
        assert_eq!(SESSION_PATH.replace("{id}", "42"), session_path(42));
        assert!(REVOKE_OTHER_SESSIONS_PATH.starts_with(SESSIONS_PATH));
    }
}
