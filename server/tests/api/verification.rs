//! Email verification: the link mailed at sign-up, Resend, and `is_verified` on one's own row.
use std::time::Duration;

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::mail::{verification_mails, verification_token};
use crate::common::*;

const INVALID: &str = "This verification link is invalid, has expired or was already used";

async fn confirm(app: &TestApp, token: &str) -> TestResponse {
    app.post_json(
        "/user/v1/email-verification/confirm",
        &json!({ "token": token }),
    )
    .await
}

async fn resend(app: &TestApp, token: &str) -> TestResponse {
    app.send(json_request(
        Method::POST,
        "/user/v1/email-verification",
        &json!({}),
        Some(token),
    ))
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
    let me = user_id(&token);
    assert_eq!(is_verified(&app, &token, me).await, json!(false));

    let link = verification_token(&app, "ann@example.com", 1).await;
    let mail = &verification_mails(&app, "ann@example.com")[0];
    assert!(
        mail.contains("http://127.0.0.1:8080/verify-email#token="),
        "{mail}"
    );
    // Only the SHA-256 is stored.
    let stored: String = sqlx::query_scalar("SELECT token_hash FROM email_verification_tokens")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    let hash: String = Sha256::digest(link.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(stored, hash);
    assert_ne!(stored, link);

    confirm(&app, &link).await.assert_empty(StatusCode::OK);
    assert_eq!(is_verified(&app, &token, me).await, json!(true));
    confirm(&app, &link)
        .await
        .assert_error(StatusCode::BAD_REQUEST, INVALID);
    confirm(&app, "garbage")
        .await
        .assert_error(StatusCode::BAD_REQUEST, INVALID);
    resend(&app, &token).await.assert_error(
        StatusCode::CONFLICT,
        "Your email address is already verified",
    );
}

#[tokio::test]
async fn parallel_confirmations_of_one_link_pass_once() {
    let app = TestApp::new().await;
    app.register("bea@example.com").await;
    let link = verification_token(&app, "bea@example.com", 1).await;
    let burst = (0..8)
        .map(|_| {
            json_request(
                Method::POST,
                "/user/v1/email-verification/confirm",
                &json!({ "token": link }),
                None,
            )
        })
        .collect();
    let answers = app.send_all(burst).await;
    assert_eq!(count_status(&answers, StatusCode::OK), 1);
    assert_eq!(count_status(&answers, StatusCode::BAD_REQUEST), 7);
}

#[tokio::test]
async fn a_link_expires_after_a_day_and_resend_replaces_it() {
    let app = TestApp::new().await;
    let token = app.register("cy@example.com").await;
    let first = verification_token(&app, "cy@example.com", 1).await;
    resend(&app, &token).await.assert_empty(StatusCode::OK);
    let second = verification_token(&app, "cy@example.com", 2).await;
    confirm(&app, &first)
        .await
        .assert_error(StatusCode::BAD_REQUEST, INVALID);
    app.clock.advance(Duration::from_secs(24 * 3600));
    confirm(&app, &second)
        .await
        .assert_error(StatusCode::BAD_REQUEST, INVALID);
    assert_eq!(
        is_verified(&app, &token, user_id(&token)).await,
        json!(false)
    );
}

#[tokio::test]
async fn resend_is_limited_per_user_and_needs_a_session() {
    let app = TestApp::new().await;
    let token = app.register("dot@example.com").await;
    for _ in 0..5 {
        resend(&app, &token).await.assert_empty(StatusCode::OK);
    }
    let res = resend(&app, &token).await;
    res.assert_error(StatusCode::TOO_MANY_REQUESTS, "Too Many Requests");
    app.post_json("/user/v1/email-verification", &json!({}))
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
}
