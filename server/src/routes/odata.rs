//! `/v7/<resource>[(<id>)]` and `/v7/<resource>/$count`, balena's OData surface (contract §1.3),
//! served by the engine in `crate::odata`. Writes are per resource (only `api_key` so far);
//! the other resources are read-only and refuse writes like pine's permission check (401).
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};
use wire::ODataList;

use super::api_key_write;
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::http::json::Json;
use crate::http::json_response;
use crate::odata::ast::Options;
use crate::odata::options::parse_query;
use crate::odata::query::{self, Ctx};
use crate::odata::resource::{Principal, Resource};
use crate::odata::resources::V7;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/v7/{resource}",
            get(get_resource)
                .patch(patch_resource)
                .delete(delete_resource),
        )
        .route("/v7/{resource}/{sub}", get(get_count))
}

/// The resource, its key if any, and the parsed query options.
struct Target {
    res: &'static Resource,
    key: Option<i64>,
    options: Options,
}

fn target(
    segment: Result<Path<String>, PathRejection>,
    query: Option<String>,
) -> AppResult<Target> {
    let Ok(Path(segment)) = segment else {
        return Err(AppError::NotFound);
    };
    let (name, key) = parse_resource(&segment)?;
    let res = V7.get(name).ok_or(AppError::NotFound)?;
    let options = parse_query(query.as_deref().unwrap_or_default())?;
    Ok(Target { res, key, options })
}

fn ctx<'a>(state: &'a AppState, caller: &Caller) -> Ctx<'a> {
    Ctx {
        db: &state.db,
        catalog: V7,
        principal: Principal {
            user_id: caller.user_id(),
        },
    }
}

async fn get_resource(
    State(state): State<AppState>,
    caller: Caller,
    segment: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
) -> AppResult<Response> {
    let t = target(segment, query)?;
    let d = query::read(&ctx(&state, &caller), t.res, t.key, &t.options).await?;
    Ok(json_response(StatusCode::OK, &ODataList { d }))
}

/// pine's count: `GET /v7/<resource>/$count?$filter=...` answers `{"d": <n>}`.
/// Any other sub-path is an unknown route: 404 before authentication, like every unknown path.
async fn get_count(
    State(state): State<AppState>,
    caller: Result<Caller, AppError>,
    segments: Result<Path<(String, String)>, PathRejection>,
    RawQuery(query): RawQuery,
) -> AppResult<Response> {
    let Ok(Path((segment, sub))) = segments else {
        return Err(AppError::NotFound);
    };
    if sub != "$count" {
        return Err(AppError::NotFound);
    }
    let caller = caller?;
    let t = target(Ok(Path(segment)), query)?;
    let n = query::count(
        &ctx(&state, &caller),
        t.res,
        t.key,
        t.options.filter.as_ref(),
    )
    .await?;
    Ok(json_response(StatusCode::OK, &json!({ "d": n })))
}

async fn patch_resource(
    State(state): State<AppState>,
    caller: Caller,
    segment: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
    Json(body): Json<serde_json::Map<String, Value>>,
) -> AppResult<StatusCode> {
    let t = target(segment, query)?;
    match t.res.name {
        "api_key" => api_key_write::patch(&state, caller, t.key, &t.options, &body).await,
        _ => Err(AppError::Unauthorized),
    }
}

async fn delete_resource(
    State(state): State<AppState>,
    caller: Caller,
    segment: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
) -> AppResult<StatusCode> {
    let t = target(segment, query)?;
    match t.res.name {
        "api_key" => api_key_write::delete(&state, caller, t.key, &t.options).await,
        _ => Err(AppError::Unauthorized),
    }
}

/// `user` or `user(12)`. Alternate keys (`res(name='x')`) are not supported yet.
fn parse_resource(segment: &str) -> AppResult<(&str, Option<i64>)> {
    let Some((name, rest)) = segment.split_once('(') else {
        return Ok((segment, None));
    };
    rest.strip_suffix(')')
        .and_then(|id| id.trim().parse::<i64>().ok())
        .map(|id| (name, Some(id)))
        .ok_or_else(|| AppError::bad_request("Invalid resource key"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_keys() {
        assert_eq!(parse_resource("user").ok(), Some(("user", None)));
        assert_eq!(parse_resource("user(12)").ok(), Some(("user", Some(12))));
        for bad in ["user(", "user()", "user(x)", "user(1)x", "user(name='a')"] {
            assert!(parse_resource(bad).is_err(), "{bad}");
        }
    }
}
