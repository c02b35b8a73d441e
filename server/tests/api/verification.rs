//! Email verification in balena's shapes: the link mailed at sign-up
//! (`POST /user/v1/verify-email`), a new mail (`PATCH /v7/user(<id>)`
//! `{"has_been_sent_verification_email": true}`), and `is_verified` on one's own row.
use std::time::Duration;

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use wire::ErrorCode;

use super::mail::{verification_mails, verification_token};
use crate::common::*;

const INVALID: &str = "This verification link is invalid, has expired or was already used";

async fn confirm(app: &TestApp, token: &str, email: &str) -> TestResponse {
    app.post_json(
        "/user/v1/verify-email",
        &json!({ "verificationToken": token, "email": email }),
    )
    .await
}

fn resend_request(
    of: i64,
    body: &Value,
    token: Option<&str>,
) -> axum::http::Request<axum::body::Body> {
    json_request(Method::PATCH, &format!("/v7/user({of})"), body, token)
}

/// balena's `auth.requestVerificationEmail()`.
async fn resend(app: &TestApp, token: &str) -> TestResponse {
    let body = json!({ "has_been_sent_verification_email": true });
    app.send(resend_request(user_id(token), &body, Some(token)))
        .await
}

async fn is_verified(app: &TestApp, token: &str, of: i64) -> Value {
    let res = app
        .get(&format!("/v7/user({of})?$select=is_verified"), Some(token))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    res.json()["d"][0]["is_verified"].clone()
}

#[tokio::test]
async fn the_sign_up_mail_verifies_once_and_only_the_user_sees_the_flag() {
    let app = TestApp::new().await;
    let token = app.register("ann@example.com").await;
    let other = app.register("ben@example.com").await;
    let me = user_id(&token);
    assert_eq!(is_verified(&app, &token, me).await, json!(false));

    let link = verification_token(&app, "ann@example.com", 1).await;
    let mail = &verification_mails(&app, "ann@example.com")[0];
    assert!(
        mail.contains("http://127.0.0.1:8080/verify-email#token="),
        "{mail}"
    );
    // Only the SHA-256 is stored.
    let stored: Vec<String> =
        sqlx::query_scalar("SELECT token_hash FROM email_verification_tokens")
            .fetch_all(&app.state.db)
            .await
            .unwrap();
    let hash: String = Sha256::digest(link.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert!(stored.contains(&hash));
    assert!(!stored.contains(&link));

    let res = confirm(&app, &link, "Ann@Example.com").await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    // balena answers a session token: the user's (a full one, without 2FA).
    assert_eq!(user_id(&res.text()), me);
    assert_eq!(is_verified(&app, &token, me).await, json!(true));
    confirm(&app, &link, "ann@example.com").await.assert_coded(
        StatusCode::BAD_REQUEST,
        INVALID,
        ErrorCode::InvalidVerificationLink,
    );
    confirm(&app, "garbage", "ann@example.com")
        .await
        .assert_coded(
            StatusCode::BAD_REQUEST,
            INVALID,
            ErrorCode::InvalidVerificationLink,
        );
    resend(&app, &token).await.assert_coded(
        StatusCode::CONFLICT,
        "Your email address is already verified",
        ErrorCode::AlreadyVerified,
    );
    // Others never see it (their row is visible to nobody here, and the flag is private).
    assert_eq!(
        is_verified(&app, &other, user_id(&other)).await,
        json!(false)
    );
}

#[tokio::test]
async fn a_link_verifies_only_the_address_it_was_sent_to() {
    let app = TestApp::new().await;
    let token = app.register("fin@example.com").await;
    app.register("gil@example.com").await;
    let link = verification_token(&app, "fin@example.com", 1).await;
    confirm(&app, &link, "gil@example.com").await.assert_coded(
        StatusCode::BAD_REQUEST,
        INVALID,
        ErrorCode::InvalidVerificationLink,
    );
    assert_eq!(
        is_verified(&app, &token, user_id(&token)).await,
        json!(false)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_confirmations_of_one_link_pass_once() {
    let app = TestApp::new().await;
    app.register("bea@example.com").await;
    let link = verification_token(&app, "bea@example.com", 1).await;
    let body = json!({ "verificationToken": link, "email": "bea@example.com" });
    let burst = (0..8)
        .map(|_| json_request(Method::POST, "/user/v1/verify-email", &body, None))
        .collect();
    let answers = app.send_all(burst).await;
    assert_eq!(count_status(&answers, StatusCode::OK), 1);
    assert_eq!(count_status(&answers, StatusCode::BAD_REQUEST), 7);
}

#[tokio::test]
async fn a_link_expires_after_a_day_and_a_new_mail_replaces_it() {
    let app = TestApp::new().await;
    let token = app.register("cy@example.com").await;
    let first = verification_token(&app, "cy@example.com", 1).await;
    resend(&app, &token).await.assert_empty(StatusCode::OK);
    let second = verification_token(&app, "cy@example.com", 2).await;
    confirm(&app, &first, "cy@example.com").await.assert_coded(
        StatusCode::BAD_REQUEST,
        INVALID,
        ErrorCode::InvalidVerificationLink,
    );
    app.clock.advance(Duration::from_secs(24 * 3600));
    confirm(&app, &second, "cy@example.com").await.assert_coded(
        StatusCode::BAD_REQUEST,
        INVALID,
        ErrorCode::InvalidVerificationLink,
    );
}

#[tokio::test]
async fn new_mails_are_limited_per_user_and_only_for_oneself() {
    let app = TestApp::new().await;
    let token = app.register("dot@example.com").await;
    for _ in 0..5 {
        resend(&app, &token).await.assert_empty(StatusCode::OK);
    }
    resend(&app, &token).await.assert_coded(
        StatusCode::TOO_MANY_REQUESTS,
        "Too Many Requests",
        ErrorCode::TooManyRequests,
    );
    let body = json!({ "has_been_sent_verification_email": true });
    app.send(resend_request(user_id(&token), &body, None))
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
    let other = app.register("eli@example.com").await;
    app.send(resend_request(user_id(&other), &body, Some(&token)))
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
    let rename = json!({ "username": "renamed" });
    let res = app
        .send(resend_request(user_id(&token), &rename, Some(&token)))
        .await;
    res.assert_empty(StatusCode::UNAUTHORIZED);
}
