//! `/v7/<resource>[(<id>)]` and `/v7/<resource>/$count`, balena's OData surface (contract §1.3),
//! served by the engine in `crate::odata`. Writes are per resource: `api_key` here, the
//! issue-6 resources in `super::writes`; read-only resources refuse writes like pine's
//! permission check (401).
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};
use wire::ODataList;

use super::{api_key_write, writes};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::http::json::Json;
use crate::http::json_response;
use crate::odata::ast::{CmpOp, Expr, Operand, Options};
use crate::odata::filter;
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
                .post(post_resource)
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
    match t.res.name {
        "api_key" => api_key_write::patch(&state, caller, t.key, &t.options, &body).await,
        "user" => super::email_verification::patch_user(&state, caller, t.key, &body).await,
        _ => writes::patch(&state, caller, t.res, t.key, &t.options, &body).await,
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
        "user" => super::user_delete::delete(&state, caller, t.key).await,
        _ => writes::delete(&state, caller, t.res, t.key, &t.options).await,
    }
}

#[derive(Debug, PartialEq)]
enum Key {
    None,
    Id(i64),
    /// `res(name='observer')` or `res(user=2,is_member_of__application=7)`, as a filter.
    Alternate(Expr),
}

/// `user`, `user(12)`, or an alternate key `res(field=literal,...)`.
fn parse_resource(segment: &str) -> AppResult<(&str, Key)> {
    let invalid = || AppError::bad_request("Invalid resource key");
    let Some((name, rest)) = segment.split_once('(') else {
        return Ok((segment, Key::None));
    };
    let inner = rest.strip_suffix(')').ok_or_else(invalid)?;
    if let Ok(id) = inner.trim().parse::<i64>() {
        return Ok((name, Key::Id(id)));
    }
    let mut expr: Option<Expr> = None;
    for part in split_key(inner).ok_or_else(invalid)? {
        let (field, value) = part.split_once('=').ok_or_else(invalid)?;
        // Parsed as `field eq value`, and only that shape is accepted.
        let e = filter::parse(&format!("{} eq {}", field.trim(), value.trim()))
            .map_err(|_| invalid())?;
        match &e {
            Expr::Compare(Operand::Path(p), CmpOp::Eq, Operand::Literal(_)) if p.0.len() == 1 => {}
            _ => return Err(invalid()),
        }
        expr = Some(match expr {
            Some(prev) => Expr::And(Box::new(prev), Box::new(e)),
            None => e,
        });
    }
    expr.map(|e| (name, Key::Alternate(e))).ok_or_else(invalid)
}

/// Splits `a=1,b='x,y'` on commas outside quotes; `None` on an unterminated string.
fn split_key(s: &str) -> Option<Vec<&str>> {
    let (mut parts, mut start, mut quoted) = (Vec::new(), 0, false);
    for (i, b) in s.bytes().enumerate() {
        match b {
            b'\'' => quoted = !quoted,
            b',' if !quoted => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    (!quoted).then_some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_keys() {
        assert_eq!(parse_resource("user").ok(), Some(("user", Key::None)));
        assert_eq!(parse_resource("user(12)").ok(), Some(("user", Key::Id(12))));
        for bad in [
            "user(",
            "user()",
            "user(x)",
            "user(1)x",
            "user(a='x' or 1 eq 1)",
            "user(a/b=1)",
            "user(a='x)",
            "user(a=1,)",
        ] {
            assert!(parse_resource(bad).is_err(), "{bad}");
        }
        let alt = |s| match parse_resource(s) {
            Ok((_, Key::Alternate(e))) => e.to_string(),
            other => panic!("{other:?}"),
        };
        assert_eq!(alt("r(name='observer')"), "name eq 'observer'");
        assert_eq!(
            alt("r(user=2,is_member_of__application=7)"),
            "(user eq 2) and (is_member_of__application eq 7)"
        );
        assert_eq!(alt("r(name='a,b')"), "name eq 'a,b'");
    }
}
