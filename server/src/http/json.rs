//! JSON request bodies. Unlike axum's `Json`, every rejection uses the API's error shapes:
//! a non-JSON Content-Type is 415 (so no "simple" cross-site form or text/plain request can
//! reach a state-changing endpoint), an oversized body 413, and bad syntax, missing fields or
//! wrong types are 400 with a short message (axum would say 422).
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use crate::error::AppError;

/// Request bodies are small JSON documents; anything larger is refused with 413.
pub const BODY_LIMIT_BYTES: usize = 64 * 1024;

pub struct Json<T>(pub T);

impl<T, S> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        require_json(req.headers())?;
        let body = Bytes::from_request(req, state).await.map_err(body_error)?;
        parse(&body).map(Json)
    }
}

/// A body that may be absent altogether (e.g. `POST /user/v1/refresh-token`): an empty body is
/// `None` whatever the Content-Type; a non-empty one must be JSON.
pub struct OptionalJson<T>(pub Option<T>);

impl<T, S> FromRequest<S> for OptionalJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let headers = req.headers().clone();
        let body = Bytes::from_request(req, state).await.map_err(body_error)?;
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self(None));
        }
        require_json(&headers)?;
        parse(&body).map(|v| Self(Some(v)))
    }
}

/// `application/json` or any `application/*+json`, parameters (charset) ignored.
fn require_json(headers: &HeaderMap) -> Result<(), AppError> {
    let essence = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase());
    match essence.as_deref() {
        Some("application/json") => Ok(()),
        Some(t) if t.starts_with("application/") && t.ends_with("+json") => Ok(()),
        _ => Err(AppError::UnsupportedMediaType),
    }
}

fn body_error(rejection: BytesRejection) -> AppError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::PayloadTooLarge
    } else {
        AppError::bad_request("Could not read the request body")
    }
}

/// Every request body of the API is a JSON object. serde would also accept a struct written
/// as an array (`["alice","pw"]`), which no client sends on purpose, so that is refused too.
fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, AppError> {
    match body.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => {}
        Some(b'[' | b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n') => {
            return Err(AppError::bad_request("Request body must be a JSON object"))
        }
        _ => return Err(AppError::bad_request("Invalid JSON body")),
    }
    serde_json::from_slice(body).map_err(|e| AppError::bad_request(describe(&e)))
}

/// serde's message without its "at line 1 column 9" suffix, e.g. "missing field `password`".
fn describe(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => "Invalid JSON body".to_owned(),
        Category::Data => {
            let msg = e.to_string();
            let msg = msg.split(" at line ").next().unwrap_or_default();
            format!("Invalid request body: {msg}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Body {
        name: String,
    }

    #[test]
    fn content_types() {
        let mut h = HeaderMap::new();
        assert!(require_json(&h).is_err());
        for ok in [
            "application/json",
            "Application/JSON; charset=utf-8",
            "application/merge-patch+json",
        ] {
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ok));
            assert!(require_json(&h).is_ok(), "{ok}");
        }
        for bad in [
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data",
            "application/jsonx",
        ] {
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(bad));
            assert!(require_json(&h).is_err(), "{bad}");
        }
    }

    #[test]
    fn messages_are_short_and_readable() {
        let msg = |b: &str| match parse::<Body>(b.as_bytes()) {
            Err(AppError::BadRequest { message, .. }) => message.into_owned(),
            other => panic!("{other:?}"),
        };
        assert_eq!(msg("{"), "Invalid JSON body");
        assert_eq!(msg("x"), "Invalid JSON body");
        assert_eq!(msg(r#"["alice"]"#), "Request body must be a JSON object");
        assert_eq!(msg("null"), "Request body must be a JSON object");
        assert_eq!(msg("{}"), "Invalid request body: missing field `name`");
        assert_eq!(
            msg(r#"{"name":1}"#),
            "Invalid request body: invalid type: integer `1`, expected a string"
        );
    }
}
