//! `GET /config`: what the console needs to know before anyone signs in (our endpoint).
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use wire::validate::{PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS};
use wire::PublicConfig;

use crate::http::json_response;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/config", get(public_config))
}

async fn public_config() -> Response {
    json_response(
        StatusCode::OK,
        &PublicConfig {
            // Social sign-in arrives with a later issue.
            providers: Vec::new(),
            sign_in_providers: Vec::new(),
            password_min_length: PASSWORD_MIN_CHARS,
            password_max_length: PASSWORD_MAX_CHARS,
        },
    )
}
