//! The console's one API error type, and how a non-2xx answer becomes one: by the server's
//! error code when it sent one, else by status and balena's several error-body shapes.
use super::error_text;
use crate::i18n::{catalogue::Errors, plural, t, with_args};
use serde_json::Value;
use std::fmt;
use wire::ErrorCode;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// The request never got an HTTP answer (offline, DNS, CORS refusal, ...).
    Network(String),
    /// 401: missing, wrong or revoked credentials.
    Unauthorized,
    /// 401 needing a recent password entry: the password must be confirmed first. It must NOT
    /// end the session.
    FreshAuthRequired,
    /// 429, with the server's `Retry-After` in seconds when it sent one.
    TooManyRequests { retry_after_secs: Option<u64> },
    /// Any other non-2xx answer: the server's code when it sent one, and the best message we
    /// could find for people (shown only when there is no code, or the code's wording defers
    /// to it; empty when the server sent none, and then worded by status).
    Status {
        status: u16,
        code: Option<ErrorCode>,
        message: String,
    },
    /// A 2xx answer whose body was not what the contract promises.
    InvalidResponse(String),
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Network(_) => f.write_str(t(Errors::Network)),
            ApiError::Unauthorized => f.write_str(t(Errors::Unauthorized)),
            ApiError::FreshAuthRequired => f.write_str(t(Errors::FreshAuthRequired)),
            ApiError::TooManyRequests { retry_after_secs } => {
                f.write_str(&too_many_attempts_text(*retry_after_secs))
            }
            ApiError::Status {
                code: Some(code),
                message,
                ..
            } => f.write_str(&error_text::wording(*code).text(Some(message))),
            ApiError::Status {
                status, message, ..
            } if message.is_empty() => f.write_str(default_message(*status)),
            ApiError::Status { message, .. } => f.write_str(message),
            ApiError::InvalidResponse(_) => f.write_str(t(Errors::InvalidResponse)),
        }
    }
}

/// "Too many attempts. Try again in 3 minutes." Minutes are rounded up so the visitor never
/// retries too early; under a minute the seconds are shown.
pub fn too_many_attempts_text(retry_after_secs: Option<u64>) -> String {
    let wait = match retry_after_secs {
        None | Some(0) => return t(Errors::TooManyLater).to_string(),
        Some(s @ 1..=59) => plural(s, Errors::SecondsOne, Errors::SecondsOther),
        Some(s) => plural(s.div_ceil(60), Errors::MinutesOne, Errors::MinutesOther),
    };
    with_args(t(Errors::TooManyIn), &[("wait", &wait)])
}

/// Maps a non-2xx answer to an [`ApiError`]: by the server's [`ErrorCode`] header
/// (`code_header`) when there is one, else by status. Pure, so every body shape balena uses
/// (contract §1.2) is unit-tested.
pub fn error_from_response(
    status: u16,
    code_header: Option<&str>,
    body: &str,
    retry_after: Option<&str>,
) -> ApiError {
    /// balenaCloud sends no code header, and its documented fresh-auth answer (contract §2)
    /// is a 401 with this text; without recognising it a console pointed at balenaCloud would
    /// end the session instead of asking for the password. Only consulted when no code came.
    const BALENA_FRESH_AUTH_TEXT: &str = "Fresh authentication token required";
    let code = code_header.and_then(ErrorCode::parse);
    let message = message_from_body(body);
    match (status, code) {
        (_, Some(ErrorCode::FreshAuthRequired)) => ApiError::FreshAuthRequired,
        (401, None)
            if code_header.is_none() && message.as_deref() == Some(BALENA_FRESH_AUTH_TEXT) =>
        {
            ApiError::FreshAuthRequired
        }
        (401, _) => ApiError::Unauthorized,
        (429, _) => ApiError::TooManyRequests {
            retry_after_secs: retry_after.and_then(|v| v.trim().parse().ok()),
        },
        _ => ApiError::Status {
            status,
            code,
            // Worded when shown, in the language of the moment, if the server sent no text.
            message: message.unwrap_or_default(),
        },
    }
}

/// The human message in an error body: a JSON string literal (pine), `{"error": "..."}`,
/// `{"error": {"text": "..."}}` or `{"message": "..."}` (what balena's SDK reads), or short
/// plain text. HTML error pages from proxies are never shown.
pub fn message_from_body(body: &str) -> Option<String> {
    let body = body.trim();
    let message = match serde_json::from_str::<Value>(body) {
        Ok(Value::String(s)) => Some(s),
        Ok(Value::Object(o)) => o
            .get("error")
            .and_then(|e| e.as_str().or_else(|| e.get("text").and_then(Value::as_str)))
            .or_else(|| o.get("message").and_then(Value::as_str))
            .map(str::to_string),
        Ok(_) => None,
        Err(_) if !body.starts_with('<') && body.chars().count() <= 300 => Some(body.to_string()),
        Err(_) => None,
    };
    message.filter(|m| !m.trim().is_empty())
}

fn default_message(status: u16) -> &'static str {
    t(match status {
        400 => Errors::BadRequest,
        403 => Errors::Forbidden,
        404 => Errors::NotFound,
        409 => Errors::Conflict,
        500..=599 => Errors::ServerError,
        _ => Errors::Unsuccessful,
    })
}
