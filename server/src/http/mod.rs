//! HTTP plumbing shared by every route: the JSON extractor, response helpers, headers, CORS,
//! and the console's static files with their CSP.
pub mod client_ip;
pub mod csp;
pub mod headers;
pub mod json;
pub mod static_files;

use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// A JSON response (`application/json`). Serializing our own types cannot fail; if it ever
/// did, the client gets an empty 500 rather than a half-written body.
pub fn json_response<T: Serialize + ?Sized>(status: StatusCode, value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => (
            status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            body,
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "response serialization failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
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
