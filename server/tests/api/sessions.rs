//! The active-sessions list (ours): listing, revoking one, revoking all others, and who may.
use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Method, Request, StatusCode};
use serde_json::{json, Value};

use crate::api_keys::new_key;
use crate::common::*;
use crate::two_factor::{code, enrolled, partial_login};

const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
const PEER: ([u8; 4], u16) = ([198, 51, 100, 7], 50_000);

fn bearer(method: Method, path: &str, token: &str) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap()
}

/// The request as sent by Firefox from [`PEER`].
fn from_firefox(mut req: Request<Body>) -> Request<Body> {
    req.headers_mut()
        .insert(header::USER_AGENT, FIREFOX.parse().unwrap());
    req.extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(PEER)));
    req
}

async fn list(app: &TestApp, token: &str) -> Vec<Value> {
    let res = app.get("/user/v1/sessions", Some(token)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    res.json().as_array().unwrap().clone()
}

async fn revoke(app: &TestApp, token: &str, id: i64) -> TestResponse {
    let path = format!("/user/v1/sessions/{id}");
    app.send(bearer(Method::DELETE, &path, token)).await
}

async fn revoke_others(app: &TestApp, token: &str) -> TestResponse {
    let path = "/user/v1/sessions/revoke-others";
    app.send(bearer(Method::POST, path, token)).await
}

async fn whoami(app: &TestApp, token: &str) -> StatusCode {
    app.get("/user/v1/whoami", Some(token)).await.status
}

/// A second session of `username`'s account (a password login).
async fn login(app: &TestApp, username: &str) -> String {
    let res = app.login(username, PASSWORD).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    res.text()
}

fn current_id(rows: &[Value]) -> i64 {
    let current: Vec<&Value> = rows
        .iter()
        .filter(|r| r["current"] == json!(true))
        .collect();
    assert_eq!(current.len(), 1, "{rows:?}");
    current[0]["id"].as_i64().unwrap()
}

#[tokio::test]
async fn lists_full_sessions_with_where_they_came_from_but_not_partial_ones_or_keys() {
    let app = TestApp::new().await;
    let user = enrolled(&app, "lena@example.com").await;
    // A second browser passes the challenge; a third stops after the password.
    let partial = partial_login(&app, &user.username).await;
    let body = json!({ "code": code(&app, &user.secret) });
    let req = json_request(Method::POST, "/auth/totp/verify", &body, Some(&partial));
    let res = app.send(from_firefox(req)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let firefox = res.text();
    let pending = partial_login(&app, &user.username).await;
    let (key, _) = new_key(&app, &user.token, "ci").await;
    assert_eq!(whoami(&app, &key).await, StatusCode::OK);

    let rows = list(&app, &firefox).await;
    assert_eq!(rows.len(), 2, "{rows:?}");
    let me = rows.iter().find(|r| r["current"] == json!(true)).unwrap();
    assert_eq!(me["browser"], json!("Firefox"));
    assert_eq!(me["os"], json!("Linux"));
    assert_eq!(me["ip"], json!("198.51.100.7"));
    assert!(me["created_at"].as_str().unwrap().ends_with('Z'));
    let other = rows.iter().find(|r| r["current"] == json!(false)).unwrap();
    assert_eq!(other["browser"], Value::Null);
    assert_eq!(other["ip"], json!("192.0.2.1"));

    assert_ne!(
        current_id(&list(&app, &user.token).await),
        current_id(&rows)
    );
    // Neither a key nor a sign-in in progress can see or manage sessions.
    app.get("/user/v1/sessions", Some(&key))
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
    app.get("/user/v1/sessions", Some(&pending))
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
    revoke(&app, &key, current_id(&rows))
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
    revoke_others(&app, &key)
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
    assert_eq!(whoami(&app, &firefox).await, StatusCode::OK);
    assert_eq!(whoami(&app, &user.token).await, StatusCode::OK);
    // The sign-in in progress was hidden, not ended.
    assert_eq!(app.rows("sessions").await, 3);
}

#[tokio::test]
async fn last_used_is_recorded_at_most_once_a_minute() {
    let app = TestApp::new().await;
    let token = app.register("mira@example.com").await;
    let last_used = |rows: Vec<Value>| rows[0]["last_used_at"].as_str().unwrap().to_owned();
    assert_eq!(
        last_used(list(&app, &token).await),
        "2026-01-01T00:00:00.000Z"
    );
    app.clock.advance(Duration::from_secs(59));
    assert_eq!(whoami(&app, &token).await, StatusCode::OK);
    assert_eq!(
        last_used(list(&app, &token).await),
        "2026-01-01T00:00:00.000Z"
    );
    app.clock.advance(Duration::from_secs(1));
    assert_eq!(
        last_used(list(&app, &token).await),
        "2026-01-01T00:01:00.000Z"
    );
}

#[tokio::test]
async fn a_revoked_session_is_refused_on_its_next_request() {
    let app = TestApp::new().await;
    let first = app.register("nora@example.com").await;
    let second = login(&app, "nora").await;
    let second_id = current_id(&list(&app, &second).await);

    let res = revoke(&app, &first, second_id).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    app.get("/user/v1/whoami", Some(&second))
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
    assert_eq!(whoami(&app, &first).await, StatusCode::OK);
    assert_eq!(list(&app, &first).await.len(), 1);
    revoke(&app, &first, second_id)
        .await
        .assert_empty(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn revoking_the_others_keeps_the_current_session() {
    let app = TestApp::new().await;
    let a = app.register("olga@example.com").await;
    let b = login(&app, "olga").await;
    let c = login(&app, "olga").await;
    let res = revoke_others(&app, &b).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json(), json!({ "revoked": 2 }));
    assert_eq!(whoami(&app, &a).await, StatusCode::UNAUTHORIZED);
    assert_eq!(whoami(&app, &c).await, StatusCode::UNAUTHORIZED);
    assert_eq!(whoami(&app, &b).await, StatusCode::OK);
    let rows = list(&app, &b).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["current"], json!(true));
}

#[tokio::test]
async fn someone_elses_session_cannot_be_revoked() {
    let app = TestApp::new().await;
    let mine = app.register("pia@example.com").await;
    let theirs = app.register("quinn@example.com").await;
    let their_id = current_id(&list(&app, &theirs).await);
    revoke(&app, &mine, their_id)
        .await
        .assert_empty(StatusCode::NOT_FOUND);
    assert_eq!(whoami(&app, &theirs).await, StatusCode::OK);
    let res = revoke_others(&app, &mine).await;
    assert_eq!(res.json(), json!({ "revoked": 0 }));
    assert_eq!(whoami(&app, &theirs).await, StatusCode::OK);
}

/// Not an id at all (beyond 64 bits, or not a number): the same empty 404 as anyone else's.
#[tokio::test]
async fn a_session_id_that_is_no_number_is_not_found() {
    let app = TestApp::new().await;
    let token = app.register("sam@example.com").await;
    for id in ["9223372036854775808", "abc"] {
        let path = format!("/user/v1/sessions/{id}");
        app.send(bearer(Method::DELETE, &path, &token))
            .await
            .assert_empty(StatusCode::NOT_FOUND);
    }
    assert_eq!(whoami(&app, &token).await, StatusCode::OK);
}

#[tokio::test]
async fn parallel_revocations_keep_exactly_one_session() {
    let app = TestApp::new().await;
    let keep = app.register("rosa@example.com").await;
    for _ in 0..3 {
        login(&app, "rosa").await;
    }
    // The same session several times at once: every answer is fine, only it survives.
    let reqs = (0..6)
        .map(|_| bearer(Method::POST, "/user/v1/sessions/revoke-others", &keep))
        .collect();
    assert_only(&app.send_all(reqs).await, StatusCode::OK);
    assert_eq!(app.rows("sessions").await, 1);
    assert_eq!(whoami(&app, &keep).await, StatusCode::OK);

    // Two sessions ending each other at once: one wins, never neither.
    let mut survivor = keep;
    for _ in 0..4 {
        let other = login(&app, "rosa").await;
        let reqs = [&survivor, &other]
            .map(|t| bearer(Method::POST, "/user/v1/sessions/revoke-others", t))
            .into();
        let answers = app.send_all(reqs).await;
        assert_eq!(app.rows("sessions").await, 1);
        assert_eq!(count_status(&answers, StatusCode::OK), 1);
        if answers[1].status == StatusCode::OK {
            survivor = other;
        }
        assert_eq!(whoami(&app, &survivor).await, StatusCode::OK);
    }
}
