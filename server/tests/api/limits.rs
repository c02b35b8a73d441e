//! Limits behind a reverse proxy (`--trusted-proxies`) and under an anonymous flood.
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::common::*;

const PROXY: &str = "10.0.0.5:443";

fn via_proxy(
    username: &str,
    password: &str,
    client: &'static str,
) -> axum::http::Request<axum::body::Body> {
    let mut req = login_request(username, password, Some(PROXY.parse().unwrap()));
    req.headers_mut().insert(
        "x-forwarded-for",
        axum::http::HeaderValue::from_static(client),
    );
    req
}

/// The per-address limit's worth of wrong logins, over many names, that the proxy says came
/// from `client`.
async fn fifty_failures_via_the_proxy_from(app: &TestApp, client: &'static str) {
    for i in 0..50 {
        let res = app
            .send(via_proxy(&format!("user{i}"), "wrong-Password-1", client))
            .await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
}

#[tokio::test]
async fn two_clients_behind_one_trusted_proxy_are_limited_apart() {
    let app = TestApp::with_args(&["--trusted-proxies", "10.0.0.0/24"]).await;
    app.register("uma@example.com").await;
    fifty_failures_via_the_proxy_from(&app, "203.0.113.9").await;
    let res = app.send(via_proxy("uma", PASSWORD, "203.0.113.9")).await;
    assert_eq!(
        res.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the guessing client"
    );
    let res = app.send(via_proxy("uma", PASSWORD, "198.51.100.4")).await;
    assert_eq!(
        res.status,
        StatusCode::OK,
        "another client of the same proxy"
    );
    // A forged hop left of the proxy's own changes nothing: the right-most one counts.
    let res = app
        .send(via_proxy("uma", PASSWORD, "198.51.100.4, 203.0.113.9"))
        .await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn without_trusted_proxies_the_header_is_ignored() {
    let app = TestApp::new().await;
    app.register("val@example.com").await;
    fifty_failures_via_the_proxy_from(&app, "203.0.113.9").await;
    // Every request came from the proxy's address, whatever the header said.
    let res = app.send(via_proxy("val", PASSWORD, "198.51.100.4")).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_bad_trusted_proxies_flag_stops_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let config = <server::Config as clap::Parser>::try_parse_from([
        "server",
        "--data-dir",
        data.to_str().unwrap(),
        "--trusted-proxies",
        "10.0.0.0/33",
    ])
    .unwrap();
    let clock = std::sync::Arc::new(server::clock::ManualClock::new(T0));
    let err = server::app(config, clock).await.err().expect("refused");
    assert!(format!("{err:#}").contains("--trusted-proxies"), "{err:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_flood_adds_few_rows_and_logins_still_answer() {
    let app = TestApp::new().await;
    app.register("wyn@example.com").await;
    let before = app.rows("rate_limits").await;
    let flooder: SocketAddr = "203.0.113.50:1".parse().unwrap();
    let flood: Vec<_> = (0..400)
        .map(|i| {
            let mut req = json_request(
                Method::POST,
                "/user/v1/password-reset",
                &json!({ "email": format!("victim{i}@example.com") }),
                None,
            );
            req.extensions_mut()
                .insert(axum::extract::ConnectInfo(flooder));
            req
        })
        .collect();
    let (answers, login) = tokio::join!(app.send_all(flood), async {
        let started = Instant::now();
        let res = app.login("wyn", PASSWORD).await;
        (res.status, started.elapsed())
    });
    assert!(answers
        .iter()
        .all(|r| r.status == StatusCode::OK && r.body.is_empty()));
    assert_eq!(login.0, StatusCode::OK);
    assert!(login.1 < Duration::from_secs(2), "login took {:?}", login.1);
    app.state.background.idle().await;
    let added = app.rows("rate_limits").await - before;
    assert!(added <= 50, "{added} rate-limit rows from one address");
}

#[tokio::test]
async fn a_blocked_address_adds_no_row_per_email() {
    let app = TestApp::new().await;
    let before = app.rows("rate_limits").await;
    let flooder: SocketAddr = "203.0.113.51:1".parse().unwrap();
    for i in 0..400 {
        let res = app
            .post_json_from(
                "/user/v1/password-reset",
                &json!({ "email": format!("victim{i}@example.com") }),
                flooder,
            )
            .await;
        assert_eq!(res.status, StatusCode::OK);
        // One at a time, so nothing is dropped for saturation: the limits alone decide.
        app.state.background.idle().await;
    }
    // The address's key and the 20 emails it was allowed before its block.
    assert_eq!(app.rows("rate_limits").await - before, 21);
}

#[tokio::test]
async fn the_sweep_deletes_what_has_expired_and_keeps_what_counts() {
    let app = TestApp::new().await;
    app.register("xia@example.com").await;
    for i in 0..3 {
        app.login(&format!("nobody{i}"), "wrong-Password-1").await;
    }
    app.post_json(
        "/user/v1/password-reset",
        &json!({"email": "xia@example.com"}),
    )
    .await;
    app.state.background.idle().await;
    let now = app.state.now_ms();
    assert_eq!(
        server::background::sweep(&app.state.db, now).await.unwrap(),
        0
    );
    super::mail::verification_token(&app, "xia@example.com", 1).await;
    let (limits, sessions, tokens) = (
        app.rows("rate_limits").await,
        app.rows("sessions").await,
        app.rows("password_reset_tokens").await + app.rows("email_verification_tokens").await,
    );
    assert!(limits >= 4 && sessions == 1 && tokens == 2);
    // Past every window, block, reset token (1 h), verification token (1 day) and session
    // (7 days).
    let later = now + 8 * 24 * 3600 * 1000;
    let swept = server::background::sweep(&app.state.db, later)
        .await
        .unwrap();
    assert_eq!(swept, u64::try_from(limits + sessions + tokens).unwrap());
    assert_eq!(app.rows("rate_limits").await, 0);
}
