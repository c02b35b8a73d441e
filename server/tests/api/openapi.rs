//! `GET /openapi.json` documents exactly the routes the router answers: the document equals
//! the list below, the router allows exactly the listed methods on each listed path, and the
//! route modules register no path beyond the list.
use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use serde_json::Value;

use crate::common::*;

/// Every route the server registers, written out here (not taken from `wire::paths`), so a
/// route the document misses fails the test.
const ROUTES: &[(&str, &[&str])] = &[
    ("/openapi.json", &["get"]),
    ("/config", &["get"]),
    ("/login_", &["post"]),
    ("/user/register", &["post"]),
    ("/user/v1/refresh-token", &["get", "post"]),
    ("/user/v1/logout", &["post"]),
    ("/user/v1/sessions", &["get"]),
    ("/user/v1/sessions/{id}", &["delete"]),
    ("/user/v1/sessions/revoke-others", &["post"]),
    ("/user/v1/whoami", &["get"]),
    ("/actor/v1/whoami", &["get"]),
    ("/user/v1/password", &["post"]),
    ("/user/v1/password-reset", &["post"]),
    ("/user/v1/password-reset/confirm", &["post"]),
    ("/user/v1/verify-email", &["post"]),
    ("/api-key/user/full", &["post"]),
    ("/api-key/application/{id}/provisioning", &["post"]),
    ("/api-key/device/{id}/device-key", &["post"]),
    ("/auth/totp/setup", &["get"]),
    ("/auth/totp/verify", &["post"]),
    ("/auth/totp/disable", &["post"]),
    ("/auth/totp/recovery-codes", &["get", "post"]),
    ("/auth/oauth/{provider}/authorize", &["get"]),
    ("/auth/oauth/{provider}/callback", &["get"]),
    ("/v7/{resource}", &["get", "post", "patch", "delete"]),
    ("/v7/{resource}/{sub}", &["get"]),
];

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn listed() -> BTreeSet<(String, String)> {
    ROUTES
        .iter()
        .flat_map(|(path, methods)| methods.iter().map(|m| (path.to_string(), m.to_string())))
        .collect()
}

async fn document(app: &TestApp) -> Value {
    let res = app.get("/openapi.json", None).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("content-type"), Some("application/json"));
    res.json()
}

#[tokio::test]
async fn the_document_lists_every_route_with_its_methods() {
    let app = TestApp::new().await;
    let doc = document(&app).await;
    assert!(
        doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")),
        "{}",
        doc["openapi"]
    );
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            assert!(METHODS.contains(&method.as_str()), "{path}: {method}");
            assert!(
                !op["responses"].as_object().unwrap().is_empty(),
                "{method} {path} has no responses"
            );
            documented.insert((path.clone(), method.clone()));
        }
    }
    assert_eq!(documented, listed());
}

/// `{name}` segments filled with a value that matches the route.
fn concrete(path: &str) -> String {
    path.replace("{id}", "1")
        .replace("{resource}", "user")
        .replace("{sub}", "$count")
        .replace("{provider}", "github")
}

/// The router's own answer: a method no route has gets 405 with `Allow` on a routed path (and
/// the 404 fallback elsewhere), so `Allow` names exactly the methods routed there.
#[tokio::test]
async fn the_router_allows_exactly_the_listed_methods() {
    let app = TestApp::new().await;
    for (path, methods) in ROUTES {
        let req = Request::builder()
            .method(Method::PUT)
            .uri(concrete(path))
            .body(Body::empty())
            .unwrap();
        let res = app.send(req).await;
        assert_eq!(res.status, StatusCode::METHOD_NOT_ALLOWED, "{path}");
        let allowed: BTreeSet<String> = res
            .header(header::ALLOW.as_str())
            .unwrap_or_default()
            .split(',')
            .map(|m| m.trim().to_ascii_lowercase())
            .filter(|m| m != "head" || !methods.contains(&"get"))
            .collect();
        let expected: BTreeSet<String> = methods.iter().map(|m| m.to_string()).collect();
        assert_eq!(allowed, expected, "{path}");
    }
}

/// Each `.route(` call in the route modules registers one path: as many as the list has.
#[test]
fn the_list_has_as_many_paths_as_the_router_registers() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/routes");
    let mut calls = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            calls += std::fs::read_to_string(&path)
                .unwrap()
                .matches(".route(")
                .count();
        }
    }
    assert_eq!(calls, ROUTES.len());
}
