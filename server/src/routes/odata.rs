//! `GET /v7/<resource>[(<id>)]`, balena's OData surface (contract §1.3). For now only your own
//! `user` row and `$select`; a real OData engine (filters, expands, more resources) replaces
//! the query-option handling in the next issue, behind the same route.
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde_json::{Map, Value};
use wire::{ForeignKey, ODataList, UserRow};

use crate::auth::Caller;
use crate::clock::iso_millis;
use crate::error::{AppError, AppResult};
use crate::http::json_response;
use crate::state::AppState;
use crate::users;

const USER_FIELDS: &[&str] = &["id", "actor", "username", "email", "created_at"];

pub fn router() -> Router<AppState> {
    Router::new().route("/v7/{resource}", get(get_resource))
}

async fn get_resource(
    State(state): State<AppState>,
    caller: Caller,
    resource: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
) -> AppResult<Response> {
    let Ok(Path(resource)) = resource else {
        return Err(AppError::NotFound);
    };
    let (name, key) = parse_resource(&resource)?;
    let options = QueryOptions::parse(query.as_deref().unwrap_or_default())?;
    match name {
        "user" => get_users(&state, &caller, key, &options).await,
        _ => Err(AppError::NotFound),
    }
}

/// `user` or `user(12)`.
fn parse_resource(segment: &str) -> AppResult<(&str, Option<i64>)> {
    let Some((name, rest)) = segment.split_once('(') else {
        return Ok((segment, None));
    };
    rest.strip_suffix(')')
        .and_then(|id| id.parse::<i64>().ok())
        .map(|id| (name, Some(id)))
        .ok_or_else(|| AppError::bad_request("Invalid resource key"))
}

#[derive(Default)]
struct QueryOptions {
    select: Option<Vec<String>>,
}

impl QueryOptions {
    fn parse(query: &str) -> AppResult<Self> {
        let mut options = Self::default();
        for (name, value) in form_urlencoded::parse(query.as_bytes()) {
            match name.as_ref() {
                "$select" => {
                    options.select = Some(value.split(',').map(|f| f.trim().to_owned()).collect());
                }
                other if other.starts_with('$') => {
                    return Err(AppError::bad_request(format!(
                        "Unsupported query option: {other}"
                    )));
                }
                // Non-OData parameters are ignored, as pine does.
                _ => {}
            }
        }
        Ok(options)
    }

    /// Keeps only the `$select`ed fields, refusing names the resource does not have.
    fn project(&self, row: Value, fields: &[&str]) -> AppResult<Value> {
        let Some(select) = &self.select else {
            return Ok(row);
        };
        if let Some(unknown) = select.iter().find(|f| !fields.contains(&f.as_str())) {
            return Err(AppError::bad_request(format!(
                "Unknown field in $select: {unknown}"
            )));
        }
        let Value::Object(all) = row else {
            return Ok(row);
        };
        let picked: Map<String, Value> = all
            .into_iter()
            .filter(|(k, _)| select.contains(k))
            .collect();
        Ok(Value::Object(picked))
    }
}

/// Users may only read their own row; any other id is simply not visible (`{"d":[]}`).
async fn get_users(
    state: &AppState,
    caller: &Caller,
    key: Option<i64>,
    options: &QueryOptions,
) -> AppResult<Response> {
    // Validate `$select` even when nothing would be returned.
    options.project(Value::Object(Map::new()), USER_FIELDS)?;
    let visible = key.is_none_or(|id| id == caller.user_id());
    let mut d = Vec::new();
    if visible {
        if let Some(user) = users::find(&state.db, caller.user_id()).await? {
            let row = UserRow {
                id: user.id,
                actor: ForeignKey { id: user.actor_id },
                username: user.username,
                email: user.email,
                created_at: iso_millis(user.created_at),
            };
            let value = serde_json::to_value(row).map_err(anyhow::Error::from)?;
            d.push(options.project(value, USER_FIELDS)?);
        }
    }
    Ok(json_response(StatusCode::OK, &ODataList { d }))
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

    #[test]
    fn query_options() {
        let o = QueryOptions::parse("$select=id,%20username&foo=bar").unwrap();
        assert_eq!(
            o.select.as_deref(),
            Some(&["id".to_owned(), "username".to_owned()][..])
        );
        assert!(matches!(
            QueryOptions::parse("$filter=id%20eq%201"),
            Err(AppError::BadRequest(m)) if m == "Unsupported query option: $filter"
        ));
    }
}
