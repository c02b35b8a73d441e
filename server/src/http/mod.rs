//! HTTP plumbing shared by every route: the JSON extractor, response helpers, headers, CORS,
//! and the console's static files with their CSP.
pub mod client_ip;
pub mod csp;
pub mod headers;
pub mod json;
pub mod static_files;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::error::AppError;

/// A JSON response (`application/json`). Serializing our own types cannot fail; if it ever
/// did, the client gets an empty 500 rather than a half-written body.
pub fn json_response<T: Serialize + ?Sized>(status: StatusCode, value: &T) -> Response {
    match json_body(value) {
        Ok(body) => json_bytes_response(status, body.into()),
        Err(e) => e.into_response(),
    }
}

/// A JSON body, for a response built later (or kept: see `read_cache`).
pub fn json_body<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, AppError> {
    serde_json::to_vec(value)
        .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("serializing a response")))
}

/// A response with a JSON body serialized already.
pub fn json_bytes_response(status: StatusCode, body: Bytes) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}

/// A session token as balena sends it: the raw JWT as `text/plain`. `Cache-Control: no-store`
/// is added to every API response by the header middleware.
pub fn token_response(status: StatusCode, jwt: String) -> Response {
    let mut res = Response::new(Body::from(jwt));
    *res.status_mut() = status;
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    res
}
