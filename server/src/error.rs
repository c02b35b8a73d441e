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
    /// 503 with `Retry-After`: the database cannot be reached or is busy or full right now
    /// (PostgreSQL down or restarting, SQLite locked, a full disk). Nothing was changed, and
    /// the same request can succeed later without a restart of the server.
    #[error("database unavailable")]
    Unavailable(#[source] sqlx::Error),
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
        if is_unavailable(&e) {
            Self::Unavailable(e)
        } else {
            Self::Internal(anyhow::Error::new(e).context("database"))
        }
    }
}

/// Errors that say "not now" rather than "wrong": no connection, or the database refusing
/// work for a while. By code, never by message: SQLite's result codes are numbers
/// (SQLITE_BUSY 5, SQLITE_LOCKED 6, SQLITE_FULL 13, in the low byte of an extended code),
/// PostgreSQL's SQLSTATEs are not (class 08 connection exception, 53 insufficient resources
/// such as disk_full, 57P01-57P03 shutdown and cannot-connect-now).
fn is_unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_) => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|code| match code.parse::<u32>() {
            Ok(sqlite) => matches!(sqlite & 0xff, 5 | 6 | 13),
            Err(_) => ["08", "53", "57P01", "57P02", "57P03"]
                .iter()
                .any(|class| code.starts_with(class)),
        }),
        _ => false,
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
            Self::Unavailable(err) => {
                tracing::warn!(error = %err, "database unavailable");
                let mut res = StatusCode::SERVICE_UNAVAILABLE.into_response();
                res.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn status_of(e: sqlx::Error) -> (StatusCode, Option<String>) {
        let res = AppError::from(e).into_response();
        let retry = res
            .headers()
            .get(header::RETRY_AFTER)
            .map(|v| v.to_str().unwrap().to_owned());
        (res.status(), retry)
    }

    #[test]
    fn an_unreachable_database_is_a_503_with_retry_after() {
        for e in [
            sqlx::Error::PoolTimedOut,
            sqlx::Error::PoolClosed,
            sqlx::Error::Io(std::io::Error::from(std::io::ErrorKind::ConnectionRefused)),
        ] {
            assert_eq!(
                status_of(e),
                (StatusCode::SERVICE_UNAVAILABLE, Some("5".into()))
            );
        }
        assert_eq!(
            status_of(sqlx::Error::RowNotFound),
            (StatusCode::INTERNAL_SERVER_ERROR, None)
        );
    }

    /// SQLite's busy, locked and full codes (also as extended codes) are 503; a constraint
    /// failure (19) is not.
    #[tokio::test]
    async fn sqlite_busy_and_full_are_unavailable_by_code() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let db = crate::db::connect(&url).await.unwrap();
        let err = sqlx::query("INSERT INTO actors (id, actor_type, created_at) VALUES (1, 'x', 0)")
            .execute(&db)
            .await
            .unwrap_err();
        assert_eq!(
            err.as_database_error().unwrap().code().as_deref(),
            Some("275")
        );
        assert!(!is_unavailable(&err));
        // A second writer while the first holds the lock, without waiting for it.
        let mut holder = crate::db::begin_write(&db).await.unwrap();
        sqlx::query("DELETE FROM rate_limits")
            .execute(&mut *holder)
            .await
            .unwrap();
        let mut other = db.acquire().await.unwrap();
        sqlx::Executor::execute(&mut *other, "PRAGMA busy_timeout = 0")
            .await
            .unwrap();
        let busy = sqlx::Executor::execute(&mut *other, "BEGIN IMMEDIATE")
            .await
            .unwrap_err();
        assert!(is_unavailable(&busy), "{busy:?}");
    }
}
