//! `GET /openapi.json` (ours): the API's OpenAPI document.
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use wire::paths;

use crate::http::json_response;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route(paths::OPENAPI, get(document))
}

async fn document() -> Response {
    json_response(StatusCode::OK, &crate::openapi::document())
}
