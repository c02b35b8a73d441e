//! `/v7/<resource>[(<id>)]` and `/v7/<resource>/$count`, balena's OData surface (contract §1.3),
//! served by the engine in `crate::odata`. Writes follow the rules each resource's descriptor
//! names (`super::writes`); read-only resources refuse them like pine's permission check (401).
use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};
use wire::paths;
use wire::ODataList;

use super::writes;
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::http::json::Json;
use crate::http::{json_body, json_bytes_response, json_response};
use crate::odata::ast::{Expr, Options};
use crate::odata::key::{parse_resource, Key};
use crate::odata::options::parse_query;
use crate::odata::query::{self, Ctx};
use crate::odata::resource::{Principal, Resource};
use crate::odata::resources::V7;
use crate::read_cache::MAX_RESPONSE_BYTES;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            paths::ODATA_RESOURCE,
            get(get_resource)
                .post(post_resource)
                .patch(patch_resource)
                .delete(delete_resource),
        )
        .route(paths::ODATA_SUB, get(get_count))
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
    let mut options = parse_query(query.as_deref().unwrap_or_default())?;
    let key = match key {
        Key::None => None,
        Key::Id(id) => Some(id),
        // An alternate key is a filter on its fields, ANDed with any `$filter`.
        Key::Alternate(e) => {
            options.filter = Some(match options.filter.take() {
                Some(f) => Expr::And(Box::new(e), Box::new(f)),
                None => e,
            });
            None
        }
    };
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

/// Served from the read cache while the database is unchanged since the same caller's user
/// asked the same thing: the answer depends on nothing else.
async fn get_resource(
    State(state): State<AppState>,
    caller: Caller,
    segment: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
) -> AppResult<Response> {
    let Ok(Path(segment)) = segment else {
        return Err(AppError::NotFound);
    };
    let key = (caller.user_id(), segment, query);
    let at = state.reads.snapshots.now();
    if let Some(body) = state.reads.odata.get(at, &key) {
        return Ok(json_bytes_response(StatusCode::OK, body));
    }
    let t = target(Ok(Path(key.1.clone())), key.2.clone())?;
    let d = query::read(&ctx(&state, &caller), t.res, t.key, &t.options).await?;
    let body = Bytes::from(json_body(&ODataList { d })?);
    if body.len() <= MAX_RESPONSE_BYTES {
        state.reads.odata.put(at, key, body.clone());
    }
    Ok(json_bytes_response(StatusCode::OK, body))
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

/// `POST /v7/<resource>`: 201 with the new row as a bare object and `Location`, or `{"id": n}`
/// with `?returnResource=false` (pine).
async fn post_resource(
    State(state): State<AppState>,
    caller: Caller,
    segment: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
    Json(body): Json<serde_json::Map<String, Value>>,
) -> AppResult<Response> {
    let t = target(segment, query.clone())?;
    if t.key.is_some() || t.options != Options::default() {
        return Err(AppError::bad_request(
            "POST takes no key and no query options",
        ));
    }
    let ctx = ctx(&state, &caller);
    let id = writes::post(&state, caller, t.res, &body).await?;
    let return_resource = !form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .any(|(k, v)| k == "returnResource" && v == "false");
    let created = if return_resource {
        query::read(&ctx, t.res, Some(id), &Options::default())
            .await?
            .into_iter()
            .next()
            .unwrap_or_else(|| json!({ "id": id }))
    } else {
        json!({ "id": id })
    };
    let mut res = json_response(StatusCode::CREATED, &created);
    if let Ok(v) = HeaderValue::from_str(&format!("/v7/{}({id})", t.res.name)) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(res)
}

async fn patch_resource(
    State(state): State<AppState>,
    caller: Caller,
    segment: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
    Json(body): Json<serde_json::Map<String, Value>>,
) -> AppResult<StatusCode> {
    let t = target(segment, query)?;
    writes::patch(&state, caller, t.res, t.key, &t.options, &body).await
}

async fn delete_resource(
    State(state): State<AppState>,
    caller: Caller,
    segment: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
) -> AppResult<StatusCode> {
    let t = target(segment, query)?;
    writes::delete(&state, caller, t.res, t.key, &t.options).await
}
