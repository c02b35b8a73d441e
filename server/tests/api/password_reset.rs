//! `POST /user/v1/password-reset` and `/confirm` (security bar 1.3, 1.6; checks 3 and 10).
use std::time::Duration;

use axum::http::StatusCode;
use serde_json::json;
use sha2::{Digest, Sha256};
use wire::ErrorCode;

use super::mail::{outbox, reset_link_token, wait_for_mails};
use crate::common::*;

const INVALID: &str = "This password reset link is invalid, has expired or was already used";
const NEW_PASSWORD: &str = "new-Quartz-pear-99";

async fn confirm(app: &TestApp, token: &str, password: &str) -> TestResponse {
    app.post_json(
        "/user/v1/password-reset/confirm",
        &json!({"token": token, "password": password}),
    )
    .await
}

#[tokio::test]
async fn known_and_unknown_addresses_get_byte_identical_answers() {
    let app = TestApp::new().await;
    app.register("kim@example.com").await;
    let unknown = app
        .post_json(
            "/user/v1/password-reset",
            &json!({"email": "nobody@example.com"}),
        )
        .await;
    let known = app
        .post_json(
            "/user/v1/password-reset",
            &json!({"email": "Kim@Example.com"}),
        )
        .await;
    assert_eq!(known.status, StatusCode::OK);
    assert_eq!(unknown.status, known.status);
    assert_eq!(unknown.body, known.body);
    assert!(known.body.is_empty());
    let mut a = known.headers.clone();
    let mut b = unknown.headers.clone();
    a.remove("date");
    b.remove("date");
    assert_eq!(a, b);
    let mails = wait_for_mails(&app, 1).await;
    assert!(mails[0].contains("To: kim@example.com"));
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(outbox(&app).len(), 1, "no mail for the unknown address");
}

#[tokio::test]
async fn a_link_works_once_ends_every_session_and_logs_nobody_in() {
    let app = TestApp::new().await;
    let signup = app.register("lee@example.com").await;
    let other = app.login("lee", PASSWORD).await.text();
    let token = reset_link_token(&app, "lee@example.com").await;

    // Only the SHA-256 is stored.
    let stored: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM password_reset_tokens")
        .fetch_all(&app.state.db)
        .await
        .unwrap();
    let hash = data_encoding::HEXLOWER.encode(&Sha256::digest(token.as_bytes()));
    assert_eq!(stored, [hash]);

    let res = confirm(&app, &token, NEW_PASSWORD).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.is_empty(), "no token: a reset does not log in");
    for old in [&signup, &other] {
        app.get("/user/v1/whoami", Some(old))
            .await
            .assert_empty(StatusCode::UNAUTHORIZED);
    }
    app.login("lee", PASSWORD)
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
    assert_eq!(app.login("lee", NEW_PASSWORD).await.status, StatusCode::OK);
    confirm(&app, &token, "another-Fig-tree-7")
        .await
        .assert_coded(
            StatusCode::BAD_REQUEST,
            INVALID,
            ErrorCode::InvalidResetLink,
        );

    // The owner is told (the second mail).
    let mails = wait_for_mails(&app, 2).await;
    assert!(mails[1].contains("Subject: Your Account Console password was reset"));
    assert!(!mails[1].contains("#token="));
}

#[tokio::test]
async fn parallel_confirmations_let_exactly_one_through() {
    let app = TestApp::new().await;
    app.register("pat@example.com").await;
    let token = reset_link_token(&app, "pat@example.com").await;
    let (a, b) = tokio::join!(
        confirm(&app, &token, "first-Lemon-kite-42"),
        confirm(&app, &token, "second-Otter-mug-17")
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::BAD_REQUEST]);
    let winner = if a.status == StatusCode::OK {
        "first-Lemon-kite-42"
    } else {
        "second-Otter-mug-17"
    };
    assert_eq!(app.login("pat", winner).await.status, StatusCode::OK);
}

#[tokio::test]
async fn links_expire_after_an_hour() {
    let app = TestApp::new().await;
    app.register("eve@example.com").await;
    let token = reset_link_token(&app, "eve@example.com").await;
    app.clock.advance(Duration::from_secs(61 * 60));
    confirm(&app, &token, NEW_PASSWORD).await.assert_coded(
        StatusCode::BAD_REQUEST,
        INVALID,
        ErrorCode::InvalidResetLink,
    );
    assert_eq!(app.login("eve", PASSWORD).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_new_link_replaces_older_ones_and_garbage_is_refused() {
    let app = TestApp::new().await;
    app.register("max@example.com").await;
    let first = reset_link_token(&app, "max@example.com").await;
    let second = reset_link_token(&app, "max@example.com").await;
    assert_ne!(first, second);
    confirm(&app, &first, NEW_PASSWORD).await.assert_coded(
        StatusCode::BAD_REQUEST,
        INVALID,
        ErrorCode::InvalidResetLink,
    );
    confirm(&app, "not-a-token", NEW_PASSWORD)
        .await
        .assert_coded(
            StatusCode::BAD_REQUEST,
            INVALID,
            ErrorCode::InvalidResetLink,
        );
    assert_eq!(
        confirm(&app, &second, NEW_PASSWORD).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_new_password_meets_the_sign_up_policy_and_a_refusal_keeps_the_link() {
    let app = TestApp::new().await;
    app.register("ray@example.com").await;
    let token = reset_link_token(&app, "ray@example.com").await;
    confirm(&app, &token, "password1").await.assert_coded(
        StatusCode::BAD_REQUEST,
        "This password is too common; choose another",
        ErrorCode::WeakPassword,
    );
    confirm(&app, &token, "my-ray-Secret-991")
        .await
        .assert_coded(
            StatusCode::BAD_REQUEST,
            "Password must not contain your username or the name part of your email address",
            ErrorCode::WeakPassword,
        );
    assert_eq!(
        confirm(&app, &token, NEW_PASSWORD).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn requests_are_rate_limited_silently() {
    let app = TestApp::new().await;
    app.register("zoe@example.com").await;
    for _ in 0..7 {
        let res = app
            .post_json(
                "/user/v1/password-reset",
                &json!({"email": "zoe@example.com"}),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(res.body.is_empty());
    }
    wait_for_mails(&app, 5).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(outbox(&app).len(), 5, "5 mails an hour per address");
    // An hour later the address may ask again.
    app.clock.advance(Duration::from_secs(61 * 60));
    reset_link_token(&app, "zoe@example.com").await;
}

/// Marks 2FA as enabled (login only looks at `enabled_at`), as the two-factor tests' full
/// enrolment would.
pub async fn enable_two_factor(app: &TestApp, user: i64) {
    sqlx::query(
        "INSERT INTO totp_credentials (user_id, secret_ciphertext, created_at, enabled_at)
         VALUES ($1, $2, 0, 0)",
    )
    .bind(user)
    .bind(vec![0_u8])
    .execute(&app.state.db)
    .await
    .unwrap();
}

#[tokio::test]
async fn a_reset_leaves_two_factor_authentication_in_place() {
    let app = TestApp::new().await;
    let token = app.register("tia@example.com").await;
    enable_two_factor(&app, user_id(&token)).await;
    let link = reset_link_token(&app, "tia@example.com").await;
    assert_eq!(
        confirm(&app, &link, NEW_PASSWORD).await.status,
        StatusCode::OK
    );
    let login = app.login("tia", NEW_PASSWORD).await;
    assert_eq!(login.status, StatusCode::OK);
    assert_eq!(claims(&login.text())["twoFactorRequired"], json!(true));
}

#[tokio::test]
async fn a_reset_may_revoke_every_api_key_and_the_notice_counts_them() {
    let app = TestApp::new().await;
    let token = app.register("ros@example.com").await;
    let (kept, _) = super::api_keys::new_key(&app, &token, "one").await;
    super::api_keys::new_key(&app, &token, "two").await;
    // Without the flag the keys stay, and the notice says two still work.
    let link = reset_link_token(&app, "ros@example.com").await;
    let before = outbox(&app).len();
    confirm(&app, &link, NEW_PASSWORD)
        .await
        .assert_empty(StatusCode::OK);
    let notice = wait_for_mails(&app, before + 1).await[before].clone();
    assert!(notice.contains("2 active API keys"), "{notice}");
    assert_eq!(
        app.get("/v7/api_key", Some(&kept)).await.status,
        StatusCode::OK
    );

    let link = reset_link_token(&app, "ros@example.com").await;
    let before = outbox(&app).len();
    let res = app
        .post_json(
            "/user/v1/password-reset/confirm",
            &json!({"token": link, "password": "other-Quartz-pear-77", "revokeApiKeys": true}),
        )
        .await;
    res.assert_empty(StatusCode::OK);
    app.get("/v7/api_key", Some(&kept))
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
    let notice = wait_for_mails(&app, before + 1).await[before].clone();
    assert!(notice.contains("no active API keys"), "{notice}");
}
