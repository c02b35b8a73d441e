//! The one error type of the API. Its responses follow balena's shapes (contract §1.2):
//! auth failures are empty 401s, client mistakes are JSON string bodies, 429 carries
//! `Retry-After`, and internal errors are logged here and answered with an empty 500.
//! An answer the console must tell apart also carries a [`wire::ErrorCode`] in the
//! [`wire::ERROR_CODE_HEADER`] header; the body stays balena's text, which the SDK reads.
use std::borrow::Cow;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use wire::ErrorCode;

use crate::http::json_response;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 400 with a short message for people, e.g. `"Invalid email"`.
    #[error("bad request: {message}")]
    BadRequest {
        message: Cow<'static, str>,
        code: Option<ErrorCode>,
    },
    /// 401 with an empty body: never says which check failed.
    #[error("unauthorized")]
    Unauthorized,
    /// 401 `"Fresh authentication token required"`: the action needs a password
    /// authentication within the last 20 minutes (`auth::session::ensure_fresh`).
    #[error("fresh authentication required")]
    FreshAuthRequired,
    #[error("not found")]
    NotFound,
    /// 409, e.g. `"This email is already taken"`.
    #[error("conflict: {message}")]
    Conflict {
        message: Cow<'static, str>,
        code: Option<ErrorCode>,
    },
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: u64 },
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn bad_request(message: impl Into<Cow<'static, str>>) -> Self {
        Self::BadRequest {
            message: message.into(),
            code: None,
        }
    }

    pub fn conflict(message: impl Into<Cow<'static, str>>) -> Self {
        Self::Conflict {
            message: message.into(),
            code: None,
        }
    }

    /// The same answer, with `code` for the console. Only client mistakes (400, 409) take a
    /// code from the caller; the other answers that have one always have the same.
    pub fn with_code(mut self, with: ErrorCode) -> Self {
        match &mut self {
            Self::BadRequest { code, .. } | Self::Conflict { code, .. } => *code = Some(with),
            other => debug_assert!(false, "{other:?} has a fixed error code"),
        }
        self
    }

    /// 409 for a value that must be unique and exists already (a member, a name).
    pub fn already_exists(message: impl Into<Cow<'static, str>>) -> Self {
        Self::conflict(message).with_code(ErrorCode::AlreadyExists)
    }

    /// The unique index a failed database statement violated (see `db::violated_unique`).
    pub fn violated_unique(&self) -> Option<Cow<'_, str>> {
        match self {
            Self::Internal(e) => crate::db::violated_unique(e.downcast_ref::<sqlx::Error>()?),
            _ => None,
        }
    }

    /// The machine-readable reason sent with this answer, if it has one.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            Self::BadRequest { code, .. } | Self::Conflict { code, .. } => *code,
            Self::FreshAuthRequired => Some(ErrorCode::FreshAuthRequired),
            Self::TooManyRequests { .. } => Some(ErrorCode::TooManyRequests),
            _ => None,
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        Self::Internal(anyhow::Error::new(e).context("database"))
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let code = self.code();
        let mut res = match self {
            Self::BadRequest { message, .. } => json_response(StatusCode::BAD_REQUEST, &message),
            Self::Unauthorized => StatusCode::UNAUTHORIZED.into_response(),
            Self::FreshAuthRequired => json_response(
                StatusCode::UNAUTHORIZED,
                &"Fresh authentication token required",
            ),
            Self::NotFound => StatusCode::NOT_FOUND.into_response(),
            Self::Conflict { message, .. } => json_response(StatusCode::CONFLICT, &message),
            Self::PayloadTooLarge => {
                json_response(StatusCode::PAYLOAD_TOO_LARGE, &"Request body too large")
            }
            Self::UnsupportedMediaType => json_response(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                &"Content-Type must be application/json",
            ),
            Self::TooManyRequests { retry_after_secs } => {
                let mut res = json_response(StatusCode::TOO_MANY_REQUESTS, &"Too Many Requests");
                res.headers_mut().insert(
                    header::RETRY_AFTER,
                    HeaderValue::from(retry_after_secs.max(1)),
                );
                res
            }
            Self::Internal(err) => {
                // `{:#}` prints the context chain; the client learns nothing (ASVS 16.5.1).
                tracing::error!(error = %format!("{err:#}"), "internal error");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        };
        if let Some(code) = code {
            res.headers_mut().insert(
                wire::ERROR_CODE_HEADER,
                HeaderValue::from_static(code.as_str()),
            );
        }
        res
    }
}
