//! The one HTTP helper of the console and its one error type.
//!
//! Endpoint functions live next to it, grouped by resource (`auth`, `user`); they only choose
//! method, path, body and credentials. Everything else — base URL, bearer header, token
//! refresh, turning balena's several error-body shapes into readable text, ending the
//! session on a 401 — happens here, once.
pub mod account;
pub mod api_key;
pub mod applications;
pub mod auth;
pub mod error_text;
pub mod sessions;
pub mod social;
pub mod two_factor;
pub mod user;

use crate::state::config::Config;
use crate::state::session::{self, Notice, Session};
use gloo_net::http::{Method, RequestBuilder};
use leptos::prelude::*;
use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;
use std::fmt;
use wire::{ErrorCode, ERROR_CODE_HEADER};

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
    /// to it).
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
            ApiError::Network(_) => {
                f.write_str("Could not reach the server. Check your connection and try again.")
            }
            ApiError::Unauthorized => {
                f.write_str("You are not signed in, or your session has ended.")
            }
            ApiError::FreshAuthRequired => f.write_str("Please confirm your password to continue."),
            ApiError::TooManyRequests { retry_after_secs } => {
                f.write_str(&too_many_attempts_text(*retry_after_secs))
            }
            ApiError::Status {
                code: Some(code),
                message,
                ..
            } => f.write_str(&error_text::wording(*code).text(Some(message))),
            ApiError::Status { message, .. } => f.write_str(message),
            ApiError::InvalidResponse(_) => f.write_str("The server sent an unexpected response."),
        }
    }
}

/// "Too many attempts. Try again in 3 minutes." Minutes are rounded up so the visitor never
/// retries too early; under a minute the seconds are shown.
pub fn too_many_attempts_text(retry_after_secs: Option<u64>) -> String {
    let wait = match retry_after_secs {
        None | Some(0) => return "Too many attempts. Try again later.".to_string(),
        Some(1) => "1 second".to_string(),
        Some(s @ 2..=59) => format!("{s} seconds"),
        Some(s) => match s.div_ceil(60) {
            1 => "1 minute".to_string(),
            m => format!("{m} minutes"),
        },
    };
    format!("Too many attempts. Try again in {wait}.")
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
            message: message.unwrap_or_else(|| default_message(status).to_string()),
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
    match status {
        400 => "The request was not accepted. Check the form and try again.",
        403 => "You are not allowed to do that.",
        404 => "Not found.",
        409 => "That conflicts with something that already exists.",
        500..=599 => "The server had a problem. Please try again later.",
        _ => "The request was unsuccessful.",
    }
}

/// A successful answer's body, decoded by the endpoint function.
pub struct Reply {
    pub body: String,
}

impl Reply {
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        serde_json::from_str(&self.body).map_err(|e| ApiError::InvalidResponse(e.to_string()))
    }

    /// Token endpoints answer `text/plain` with the bare JWT.
    pub fn token(self) -> Result<String, ApiError> {
        let token = self.body.trim().to_string();
        match session::decode_claims(&token) {
            Some(_) => Ok(token),
            None => Err(ApiError::InvalidResponse(
                "no session token in the answer".into(),
            )),
        }
    }
}

/// Which credentials a request carries.
pub enum Auth {
    /// None (login, sign-up).
    Anonymous,
    /// The signed-in session's token, refreshed first when it is a day old; a 401 ends the
    /// session.
    Session,
    /// Exactly this token, untouched (refresh and logout use it).
    Token(String),
}

/// The console's API client: where the API is and whose session to use.
#[derive(Clone)]
pub struct Client {
    config: Config,
    session: Session,
}

impl Client {
    pub fn new(config: Config, session: Session) -> Self {
        Client { config, session }
    }

    /// The client for the mounted app (needs the `Config` and `Session` contexts).
    pub fn from_context() -> Self {
        Client::new(expect_context::<Config>(), expect_context::<Session>())
    }

    pub async fn get(&self, path: &str, auth: Auth) -> Result<Reply, ApiError> {
        self.request(Method::GET, path, None, auth).await
    }

    pub async fn post<B: Serialize>(
        &self,
        path: &str,
        body: &B,
        auth: Auth,
    ) -> Result<Reply, ApiError> {
        let json = serde_json::to_string(body).map_err(|e| ApiError::Network(e.to_string()))?;
        self.request(Method::POST, path, Some(json), auth).await
    }

    /// The one place that talks HTTP.
    pub async fn request(
        &self,
        method: Method,
        path: &str,
        json_body: Option<String>,
        auth: Auth,
    ) -> Result<Reply, ApiError> {
        let token = match &auth {
            Auth::Anonymous => None,
            Auth::Session => Some(self.session_token().await?),
            Auth::Token(t) => Some(t.clone()),
        };
        let mut builder = RequestBuilder::new(&self.config.url(path)).method(method);
        if let Some(token) = &token {
            builder = builder.header("Authorization", &format!("Bearer {token}"));
        }
        let request = match json_body {
            Some(json) => builder
                .header("Content-Type", "application/json")
                .body(json),
            None => builder.build(),
        }
        .map_err(|e| ApiError::Network(e.to_string()))?;
        let response = request
            .send()
            .await
            .map_err(|e| ApiError::Network(e.to_string()))?;
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        if (200..300).contains(&status) {
            return Ok(Reply { body });
        }
        let headers = response.headers();
        let error = error_from_response(
            status,
            headers.get(ERROR_CODE_HEADER).as_deref(),
            &body,
            headers.get("retry-after").as_deref(),
        );
        if error == ApiError::Unauthorized && matches!(auth, Auth::Session) {
            // The server no longer accepts this session (expired, revoked, password changed).
            self.session.end(Notice::SessionEnded);
        }
        Err(error)
    }

    /// The session token to send, after balena's client-side rules: an expired token ends the
    /// session without a request; a token a day old or more is swapped for a fresh one first.
    async fn session_token(&self) -> Result<String, ApiError> {
        let token = self
            .session
            .token_untracked()
            .ok_or(ApiError::Unauthorized)?;
        let Some(claims) = session::decode_claims(&token) else {
            return Ok(token);
        };
        let now = session::now_secs();
        if session::is_expired(now, &claims) {
            self.session.end(Notice::SessionEnded);
            return Err(ApiError::Unauthorized);
        }
        if !session::needs_refresh(now, &claims) {
            return Ok(token);
        }
        // Boxed: refresh goes through `request`, which called us (async recursion).
        match Box::pin(auth::refresh(self, &token)).await {
            Ok(fresh) => {
                self.session.replace_token(fresh.clone());
                Ok(fresh)
            }
            Err(ApiError::Unauthorized) => {
                self.session.end(Notice::SessionEnded);
                Err(ApiError::Unauthorized)
            }
            // A failed refresh is not fatal: the current token is still valid, and the next
            // request tries again.
            Err(_) => Ok(token),
        }
    }
}
