//! HTTP basics every answer shares: 404 and 405, security headers, no caching, CORS.
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use serde_json::json;

use crate::common::*;

#[track_caller]
fn assert_security_headers(res: &TestResponse) {
    assert_eq!(res.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(res.header("referrer-policy"), Some("no-referrer"));
    assert_eq!(res.header("x-frame-options"), Some("DENY"));
    assert_eq!(
        res.header("cross-origin-opener-policy"),
        Some("same-origin")
    );
}

#[tokio::test]
async fn unknown_routes_are_empty_404s_and_wrong_methods_405() {
    let app = TestApp::new().await;
    for path in ["/nope", "/v7", "/user/v2/whoami", "/", "/index.html"] {
        app.get(path, None)
            .await
            .assert_empty(StatusCode::NOT_FOUND);
    }
    let res = app.get("/login_", None).await;
    res.assert_empty(StatusCode::METHOD_NOT_ALLOWED);
    assert_security_headers(&res);
    let put = Request::builder()
        .method(Method::PUT)
        .uri("/user/register")
        .body(Body::empty())
        .unwrap();
    app.send(put)
        .await
        .assert_empty(StatusCode::METHOD_NOT_ALLOWED);
    let post = Request::post("/user/v1/whoami")
        .body(Body::empty())
        .unwrap();
    app.send(post)
        .await
        .assert_empty(StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn every_api_response_has_security_headers_and_no_store() {
    let app = TestApp::new().await;
    let token = app.register("cy@example.com").await;
    let responses = [
        app.get("/config", None).await,
        app.get("/user/v1/whoami", Some(&token)).await,
        app.get("/user/v1/whoami", None).await,
        app.get("/nope", None).await,
        app.login("cy", PASSWORD).await,
        app.login("cy", "wrong-Password-1").await,
        app.post_json("/user/register", &json!({"email": "x"}))
            .await,
    ];
    for res in &responses {
        assert_security_headers(res);
        assert_eq!(
            res.header("cache-control"),
            Some("no-store"),
            "{}",
            res.status
        );
    }
}

#[tokio::test]
async fn no_cors_headers_without_configured_origins() {
    let app = TestApp::new().await;
    let simple = Request::get("/config")
        .header(header::ORIGIN, "https://evil.example")
        .body(Body::empty())
        .unwrap();
    let res = app.send(simple).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res
        .headers
        .keys()
        .all(|k| !k.as_str().starts_with("access-control-")));
    let preflight = Request::builder()
        .method(Method::OPTIONS)
        .uri("/login_")
        .header(header::ORIGIN, "https://evil.example")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .body(Body::empty())
        .unwrap();
    let res = app.send(preflight).await;
    assert!(res
        .headers
        .keys()
        .all(|k| !k.as_str().starts_with("access-control-")));
}

#[tokio::test]
async fn cors_allows_exactly_the_configured_origins() {
    let app = TestApp::with_args(&[
        "--allowed-origins",
        "https://console.example,http://localhost:8081",
    ])
    .await;
    let preflight = |origin: &str| {
        Request::builder()
            .method(Method::OPTIONS)
            .uri("/login_")
            .header(header::ORIGIN, origin)
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
            .header(
                header::ACCESS_CONTROL_REQUEST_HEADERS,
                "content-type,authorization",
            )
            .body(Body::empty())
            .unwrap()
    };
    let res = app.send(preflight("https://console.example")).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(
        res.header("access-control-allow-origin"),
        Some("https://console.example")
    );
    assert_eq!(
        res.header("access-control-allow-methods"),
        Some("GET,POST,PATCH,PUT,DELETE,OPTIONS")
    );
    assert_eq!(
        res.header("access-control-allow-headers"),
        Some("content-type,authorization,x-balena-client")
    );
    assert_eq!(res.header("access-control-max-age"), Some("86400"));
    assert_eq!(res.header("access-control-allow-credentials"), None);

    for stranger in [
        "https://evil.example",
        "null",
        "https://console.example.evil.example",
    ] {
        let res = app.send(preflight(stranger)).await;
        assert_eq!(
            res.header("access-control-allow-origin"),
            None,
            "{stranger}"
        );
    }

    let actual = Request::get("/config")
        .header(header::ORIGIN, "http://localhost:8081")
        .body(Body::empty())
        .unwrap();
    let res = app.send(actual).await;
    assert_eq!(
        res.header("access-control-allow-origin"),
        Some("http://localhost:8081")
    );
    assert_eq!(
        res.header("access-control-expose-headers"),
        Some("retry-after,x-error-code")
    );
    assert_eq!(res.header("access-control-allow-credentials"), None);
}
