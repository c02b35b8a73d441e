//! Sessions: refreshing the token, fresh authentication and logging out.
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use data_encoding::BASE64URL_NOPAD;
use serde_json::{json, Value};

use crate::common::*;

const DAY: Duration = Duration::from_secs(24 * 3600);

async fn whoami_status(app: &TestApp, token: &str) -> StatusCode {
    app.get("/user/v1/whoami", Some(token)).await.status
}

async fn refresh_get(app: &TestApp, token: &str) -> TestResponse {
    app.get("/user/v1/refresh-token", Some(token)).await
}

async fn refresh_post(app: &TestApp, token: &str, body: Option<&Value>) -> TestResponse {
    let mut req = Request::builder()
        .method(Method::POST)
        .uri("/user/v1/refresh-token")
        .header(header::AUTHORIZATION, format!("Bearer {token}"));
    let body = match body {
        Some(b) => {
            req = req.header(header::CONTENT_TYPE, "application/json");
            Body::from(b.to_string())
        }
        None => Body::empty(),
    };
    app.send(req.body(body).unwrap()).await
}

pub async fn logout(app: &TestApp, token: &str) -> TestResponse {
    let req = Request::post("/user/v1/logout")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    app.send(req).await
}

#[tokio::test]
async fn tokens_expire_after_seven_days_exactly() {
    let app = TestApp::new().await;
    let token = app.register("nina@example.com").await;
    app.clock.advance(7 * DAY - Duration::from_secs(1));
    assert_eq!(whoami_status(&app, &token).await, StatusCode::OK);
    app.clock.advance(Duration::from_secs(1));
    app.get("/user/v1/whoami", Some(&token))
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn forged_and_mangled_tokens_are_refused() {
    let app = TestApp::new().await;
    let token = app.register("oscar@example.com").await;
    let parts: Vec<&str> = token.split('.').collect();
    let mut payload = claims(&token);

    // Flip one character of the signature.
    let mut sig = parts[2].to_owned();
    let last = sig.pop().unwrap();
    sig.push(if last == 'A' { 'B' } else { 'A' });
    let bad_signature = format!("{}.{}.{sig}", parts[0], parts[1]);

    // Another user id with the original signature.
    payload["id"] = json!(payload["id"].as_i64().unwrap() + 1);
    let swapped_payload = format!(
        "{}.{}.{}",
        parts[0],
        BASE64URL_NOPAD.encode(payload.to_string().as_bytes()),
        parts[2]
    );

    // `alg: none`, unsigned.
    let none_header = BASE64URL_NOPAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let alg_none = format!("{none_header}.{}.", parts[1]);

    // Signed with another key.
    let other_key = jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &claims(&token),
        &jsonwebtoken::EncodingKey::from_secret(b"another-key-another-key-another-key!!"),
    )
    .unwrap();

    // Correctly signed, but the session secret was never issued.
    let mut unknown = claims(&token);
    unknown["jwt_secret"] = json!("A".repeat(32));
    let unknown_session = sign(&unknown);

    for forged in [
        bad_signature,
        swapped_payload,
        alg_none,
        other_key,
        unknown_session,
    ] {
        app.get("/user/v1/whoami", Some(&forged))
            .await
            .assert_empty(StatusCode::UNAUTHORIZED);
    }
    assert_eq!(whoami_status(&app, &token).await, StatusCode::OK);
}

#[tokio::test]
async fn only_bearer_header_credentials_count() {
    let app = TestApp::new().await;
    let token = app.register("pat@example.com").await;
    let cases = [
        None,
        Some(format!("Basic {token}")),
        Some(token.clone()),
        Some("Bearer ".to_owned()),
        Some("Bearer someApiKeyWithoutDots".to_owned()),
    ];
    for auth in cases {
        let mut req = Request::get("/user/v1/whoami");
        if let Some(a) = auth {
            req = req.header(header::AUTHORIZATION, a);
        }
        app.send(req.body(Body::empty()).unwrap())
            .await
            .assert_empty(StatusCode::UNAUTHORIZED);
    }
    // Query-string credentials are ignored (contract §12).
    app.get(
        &format!("/user/v1/whoami?apikey={token}&_token={token}"),
        None,
    )
    .await
    .assert_empty(StatusCode::UNAUTHORIZED);
    let ok = app
        .send(
            Request::get("/user/v1/whoami")
                .header(header::AUTHORIZATION, format!("bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "the scheme is case-insensitive");
}

#[tokio::test]
async fn logout_revokes_the_session_and_only_that_one() {
    let app = TestApp::new().await;
    let first = app.register("quinn@example.com").await;
    let second = app.login("quinn", PASSWORD).await.text();
    let res = logout(&app, &first).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.is_empty());
    assert_eq!(res.header("cache-control"), Some("no-store"));
    app.get("/user/v1/whoami", Some(&first))
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
    refresh_get(&app, &first)
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
    logout(&app, &first)
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
    assert_eq!(whoami_status(&app, &second).await, StatusCode::OK);
    let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(sessions, 1);
}

#[tokio::test]
async fn logout_needs_post() {
    let app = TestApp::new().await;
    let token = app.register("rita@example.com").await;
    app.get("/user/v1/logout", Some(&token))
        .await
        .assert_empty(StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(whoami_status(&app, &token).await, StatusCode::OK);
}

#[tokio::test]
async fn partial_two_factor_tokens_only_reach_logout() {
    let app = TestApp::new().await;
    let token = app.register("sara@example.com").await;
    let mut partial = claims(&token);
    partial["twoFactorRequired"] = json!(true);
    let partial = sign(&partial);
    for path in [
        "/user/v1/whoami",
        "/actor/v1/whoami",
        "/user/v1/refresh-token",
        "/v7/user",
    ] {
        app.get(path, Some(&partial))
            .await
            .assert_empty(StatusCode::UNAUTHORIZED);
    }
    refresh_post(&app, &partial, None)
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
    // A passed challenge (`false`) is a full token.
    let mut passed = claims(&token);
    passed["twoFactorRequired"] = json!(false);
    assert_eq!(whoami_status(&app, &sign(&passed)).await, StatusCode::OK);

    assert_eq!(logout(&app, &partial).await.status, StatusCode::OK);
    assert_eq!(
        whoami_status(&app, &token).await,
        StatusCode::UNAUTHORIZED,
        "same session"
    );
}

#[tokio::test]
async fn refresh_renews_expiry_keeps_the_session_and_auth_time() {
    let app = TestApp::new().await;
    let token = app.register("tom@example.com").await;
    app.clock.advance(DAY);
    let res = refresh_get(&app, &token).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(
        res.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(res.header("cache-control"), Some("no-store"));
    let fresh = res.text();
    assert_eq!(
        claim_keys(&fresh),
        ["authTime", "exp", "iat", "id", "jwt_secret"]
    );
    let (old, new) = (claims(&token), claims(&fresh));
    let now_s = (T0 + 24 * 3600 * 1000) / 1000;
    assert_eq!(new["iat"], json!(now_s));
    assert_eq!(new["exp"], json!(now_s + 7 * 24 * 3600));
    assert_eq!(new["authTime"], old["authTime"]);
    assert_eq!(new["jwt_secret"], old["jwt_secret"]);
    assert_eq!(new["id"], old["id"]);

    // The session now lives until the new expiry: past the first token's, the new one works.
    app.clock.advance(7 * DAY - Duration::from_secs(60));
    assert_eq!(whoami_status(&app, &fresh).await, StatusCode::OK);
    assert_eq!(
        whoami_status(&app, &token).await,
        StatusCode::UNAUTHORIZED,
        "old exp passed"
    );
}

#[tokio::test]
async fn refresh_post_bodies() {
    let app = TestApp::new().await;
    let token = app.register("uma@example.com").await;
    app.clock.advance(Duration::from_secs(600));
    for body in [None, Some(json!({}))] {
        let res = refresh_post(&app, &token, body.as_ref()).await;
        assert_eq!(res.status, StatusCode::OK, "{body:?}");
        assert_eq!(claims(&res.text())["authTime"], json!(T0));
    }
    let res = refresh_post(&app, &token, Some(&json!({"password": PASSWORD}))).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(
        claims(&res.text())["authTime"],
        json!(T0 + 600_000),
        "fresh authentication"
    );

    refresh_post(&app, &token, Some(&json!({"password": "wrong-Password-1"})))
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
    refresh_post(&app, &token, Some(&json!({"password": 12})))
        .await
        .assert_error(
            StatusCode::BAD_REQUEST,
            "Invalid request body: invalid type: integer `12`, expected a string",
        );
    let text_plain = Request::post("/user/v1/refresh-token")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from(r#"{"password":"x"}"#))
        .unwrap();
    assert_eq!(
        app.send(text_plain).await.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
}

#[tokio::test]
async fn refresh_stops_after_the_absolute_lifetime_unless_reauthenticated() {
    let app = TestApp::new().await;
    let mut token = app.register("vic@example.com").await;
    // Keep refreshing every 6 days: fine until authTime is 30 days old.
    for _ in 0..5 {
        app.clock.advance(6 * DAY);
        let res = refresh_get(&app, &token).await;
        assert_eq!(res.status, StatusCode::OK);
        token = res.text();
    }
    app.clock.advance(DAY); // 31 days after the sign-up
    assert_eq!(
        whoami_status(&app, &token).await,
        StatusCode::OK,
        "the token itself is valid"
    );
    refresh_get(&app, &token)
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
    let res = refresh_post(&app, &token, Some(&json!({"password": PASSWORD}))).await;
    assert_eq!(
        res.status,
        StatusCode::OK,
        "a password re-authentication restarts the clock"
    );
    let renewed = res.text();
    assert_eq!(refresh_get(&app, &renewed).await.status, StatusCode::OK);
}

#[tokio::test]
async fn password_guessing_through_refresh_is_rate_limited() {
    let app = TestApp::new().await;
    let token = app.register("wes@example.com").await;
    for _ in 0..10 {
        refresh_post(&app, &token, Some(&json!({"password": "wrong-Password-1"})))
            .await
            .assert_empty(StatusCode::UNAUTHORIZED);
    }
    let res = refresh_post(&app, &token, Some(&json!({"password": PASSWORD}))).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        app.login("wes", PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_wrong_passwords_through_refresh_get_at_most_ten_verifications() {
    let app = TestApp::new().await;
    let token = app.register("xena@example.com").await;
    let burst = (0..30)
        .map(|i| {
            json_request(
                Method::POST,
                "/user/v1/refresh-token",
                &json!({"password": format!("wrong-Password-{i}")}),
                Some(&token),
            )
        })
        .collect();
    let answers = app.send_all(burst).await;
    assert_only(&answers, StatusCode::UNAUTHORIZED);
    assert_eq!(count_status(&answers, StatusCode::UNAUTHORIZED), 10);
}
