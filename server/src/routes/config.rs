//! `GET /config`: what the console needs to know before anyone signs in (our endpoint).
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use wire::paths;
use wire::validate::{PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS};
use wire::PublicConfig;

use crate::http::json_response;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route(paths::CONFIG, get(public_config))
}

async fn public_config(State(state): State<AppState>) -> Response {
    let sign_in_providers = state.oauth.sign_in_providers();
    json_response(
        StatusCode::OK,
        &PublicConfig {
            providers: sign_in_providers.iter().map(|p| p.id.clone()).collect(),
            sign_in_providers,
            password_min_length: PASSWORD_MIN_CHARS,
            password_max_length: PASSWORD_MAX_CHARS,
        },
    )
}
