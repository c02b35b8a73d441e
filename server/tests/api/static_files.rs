//! The console's static files: index with its CSP, content types, caching and compression.
use std::path::Path;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use data_encoding::BASE64;
use sha2::{Digest, Sha256};

use crate::common::*;

const LOADER: &str = "\nimport init from '/app-0123456789abcdef.js';\nawait init('/app-0123456789abcdef_bg.wasm');\n";

fn index_html() -> String {
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Account Console</title>\
         <link rel=\"stylesheet\" href=\"/style-0123456789abcdef.css\">\
         <script type=\"module\">{LOADER}</script></head><body></body></html>"
    )
}

fn write_dist(dist: &Path) {
    std::fs::write(dist.join("index.html"), index_html()).unwrap();
    std::fs::write(dist.join("config.json"), r#"{"apiUrl":""}"#).unwrap();
    // Large enough to be worth compressing.
    std::fs::write(
        dist.join("app-0123456789abcdef.js"),
        "export default 1;\n".repeat(200),
    )
    .unwrap();
    std::fs::write(
        dist.join("app-0123456789abcdef_bg.wasm"),
        b"\0asm\x01\0\0\0",
    )
    .unwrap();
}

fn expected_csp(frame_ancestors: &str) -> String {
    let hash = BASE64.encode(&Sha256::digest(LOADER.as_bytes()));
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-{hash}'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors {frame_ancestors}"
    )
}

#[track_caller]
fn assert_index(res: &TestResponse, frame_ancestors: &str) {
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(res.header("cache-control"), Some("no-cache"));
    assert_eq!(
        res.header("content-security-policy"),
        Some(expected_csp(frame_ancestors).as_str())
    );
    assert_eq!(res.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(res.text(), index_html());
}

#[tokio::test]
async fn console_root_and_client_routes_get_index_with_the_hashed_csp() {
    let app = TestApp::with_console(&[], write_dist).await;
    for path in [
        "/",
        "/index.html",
        "/settings/api-keys",
        "/login?next=%2Fsettings",
        "/users/amy.smith",
    ] {
        let res = app.get(path, None).await;
        assert_index(&res, "'none'");
        assert_eq!(res.header("x-frame-options"), Some("DENY"), "{path}");
    }
}

#[tokio::test]
async fn files_have_their_types_and_caching() {
    let app = TestApp::with_console(&[], write_dist).await;
    let res = app.get("/config.json", None).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("content-type"), Some("application/json"));
    assert_eq!(res.header("cache-control"), Some("no-cache"));
    assert_eq!(res.text(), r#"{"apiUrl":""}"#);

    let res = app.get("/app-0123456789abcdef_bg.wasm", None).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("content-type"), Some("application/wasm"));
    assert_eq!(
        res.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );

    let res = app.get("/app-0123456789abcdef.js", None).await;
    assert_eq!(res.header("content-type"), Some("text/javascript"));
    assert_eq!(res.header("x-content-type-options"), Some("nosniff"));

    // Missing assets and API paths never turn into the index page.
    app.get("/app-ffffffffffffffff.js", None)
        .await
        .assert_empty(StatusCode::NOT_FOUND);
    app.get("/v7/user/nothing", None)
        .await
        .assert_empty(StatusCode::NOT_FOUND);
    app.get("/user/v1/nothing", None)
        .await
        .assert_empty(StatusCode::NOT_FOUND);
    app.get("/../Cargo.toml", None)
        .await
        .assert_empty(StatusCode::NOT_FOUND);
    let post = Request::post("/settings").body(Body::empty()).unwrap();
    app.send(post).await.assert_empty(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn static_files_are_gzipped_when_asked() {
    let app = TestApp::with_console(&[], write_dist).await;
    let req = Request::get("/app-0123456789abcdef.js")
        .header(header::ACCEPT_ENCODING, "gzip")
        .body(Body::empty())
        .unwrap();
    let res = app.send(req).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("content-encoding"), Some("gzip"));
    assert!(res.body.len() < 3600);
}

#[tokio::test]
async fn console_under_a_sub_path() {
    let app = TestApp::with_console(&["--console-path", "/account/"], write_dist).await;
    for path in ["/account/", "/account", "/account/settings/profile"] {
        assert_index(&app.get(path, None).await, "'none'");
    }
    let res = app.get("/account/config.json", None).await;
    assert_eq!(res.header("content-type"), Some("application/json"));
    app.get("/settings", None)
        .await
        .assert_empty(StatusCode::NOT_FOUND);
    app.get("/config.json", None)
        .await
        .assert_empty(StatusCode::NOT_FOUND);
    // The API stays at the origin root.
    assert_eq!(app.get("/config", None).await.status, StatusCode::OK);
}

#[tokio::test]
async fn framing_can_be_allowed_for_embedding_operators() {
    let app =
        TestApp::with_console(&["--frame-ancestors", "https://portal.example"], write_dist).await;
    let res = app.get("/", None).await;
    assert_index(&res, "https://portal.example");
    assert_eq!(res.header("x-frame-options"), None);
}

#[tokio::test]
async fn every_console_file_carries_the_csp() {
    let app = TestApp::with_console(&[], write_dist).await;
    for path in ["/config.json", "/app-0123456789abcdef.js"] {
        let res = app.get(path, None).await;
        assert_eq!(res.status, StatusCode::OK, "{path}");
        assert_eq!(
            res.header("content-security-policy"),
            Some(expected_csp("'none'").as_str()),
            "{path}"
        );
    }
}

#[tokio::test]
async fn hsts_only_when_the_public_url_is_https() {
    let plain = TestApp::new().await;
    assert_eq!(
        plain
            .get("/config", None)
            .await
            .header("strict-transport-security"),
        None
    );
    let tls = TestApp::with_args(&["--public-url", "https://console.example/"]).await;
    for path in ["/config", "/nothing-here"] {
        assert_eq!(
            tls.get(path, None)
                .await
                .header("strict-transport-security"),
            Some("max-age=31536000"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn logout_clears_the_sites_storage() {
    let app = TestApp::new().await;
    let token = app.register("zoe@example.com").await;
    let res = app
        .send(
            Request::post("/user/v1/logout")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("clear-site-data"), Some("\"storage\""));
}

/// The build writes `x.br` and `x.gz` beside each asset; their bodies here are markers, so the
/// test sees which file was sent.
fn write_dist_precompressed(dist: &Path) {
    write_dist(dist);
    let wasm = dist.join("app-0123456789abcdef_bg.wasm");
    std::fs::write(wasm.with_extension("wasm.br"), b"brotli copy").unwrap();
    std::fs::write(wasm.with_extension("wasm.gz"), b"gzip copy").unwrap();
}

#[tokio::test]
async fn precompressed_copies_are_sent_when_accepted() {
    let app = TestApp::with_console(&[], write_dist_precompressed).await;
    let wasm = "/app-0123456789abcdef_bg.wasm";
    for (accept, encoding, body) in [
        (Some("gzip, deflate, br"), Some("br"), &b"brotli copy"[..]),
        (Some("br"), Some("br"), b"brotli copy"),
        (Some("gzip"), Some("gzip"), b"gzip copy"),
        (Some("br;q=0, gzip"), Some("gzip"), b"gzip copy"),
        (None, None, b"\0asm\x01\0\0\0"),
        (Some("identity"), None, b"\0asm\x01\0\0\0"),
    ] {
        let mut req = Request::get(wasm);
        if let Some(accept) = accept {
            req = req.header(header::ACCEPT_ENCODING, accept);
        }
        let res = app.send(req.body(Body::empty()).unwrap()).await;
        assert_eq!(res.status, StatusCode::OK, "{accept:?}");
        assert_eq!(res.header("content-encoding"), encoding, "{accept:?}");
        assert_eq!(res.body, body, "{accept:?}");
        assert_eq!(
            res.header("content-type"),
            Some("application/wasm"),
            "{accept:?}"
        );
        assert_eq!(
            res.header("cache-control"),
            Some("public, max-age=31536000, immutable"),
            "{accept:?}"
        );
        assert!(
            res.header("vary")
                .is_some_and(|v| v.to_ascii_lowercase().contains("accept-encoding")),
            "{accept:?}: {:?}",
            res.header("vary")
        );
    }
    // A file the build left without copies is still served, compressed on the fly.
    let req = Request::get("/app-0123456789abcdef.js")
        .header(header::ACCEPT_ENCODING, "br")
        .body(Body::empty())
        .unwrap();
    let res = app.send(req).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("content-type"), Some("text/javascript"));
    assert_ne!(res.body, &b"brotli copy"[..]);
}
