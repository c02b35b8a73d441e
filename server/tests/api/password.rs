//! `POST /user/v1/password` (change; setting a first password is in oauth.rs).
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use wire::ErrorCode;

use super::api_keys::new_key;
use super::mail::wait_for_mails;
use crate::common::*;

const NEW_PASSWORD: &str = "new-Quartz-pear-99";

pub async fn set_password(app: &TestApp, token: &str, body: &Value) -> TestResponse {
    app.send(json_request(
        Method::POST,
        "/user/v1/password",
        body,
        Some(token),
    ))
    .await
}

#[tokio::test]
async fn change_needs_the_current_password_and_ends_the_other_sessions() {
    let app = TestApp::new().await;
    let first = app.register("cal@example.com").await;
    let other = app.login("cal", PASSWORD).await.text();

    set_password(&app, &first, &json!({"password": NEW_PASSWORD}))
        .await
        .assert_coded(
            StatusCode::BAD_REQUEST,
            "Current password is required",
            ErrorCode::CurrentPasswordRequired,
        );
    set_password(
        &app,
        &first,
        &json!({"password": NEW_PASSWORD, "currentPassword": "Wrong-pass-word-1"}),
    )
    .await
    .assert_coded(
        StatusCode::BAD_REQUEST,
        "Current password is incorrect",
        ErrorCode::CurrentPasswordIncorrect,
    );
    set_password(
        &app,
        &first,
        &json!({"password": "password1", "currentPassword": PASSWORD}),
    )
    .await
    .assert_coded(
        StatusCode::BAD_REQUEST,
        "This password is too common; choose another",
        ErrorCode::WeakPassword,
    );

    let res = set_password(
        &app,
        &first,
        &json!({"password": NEW_PASSWORD, "currentPassword": PASSWORD}),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.header("cache-control"), Some("no-store"));
    assert!(res
        .header("content-type")
        .unwrap()
        .starts_with("text/plain"));
    let new_token = res.text();
    assert_eq!(user_id(&new_token), user_id(&first));
    // A re-authentication: the new session is fresh.
    assert_eq!(claims(&new_token)["authTime"].as_i64(), Some(T0));
    for old in [&first, &other] {
        app.get("/user/v1/whoami", Some(old))
            .await
            .assert_empty(StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        app.get("/user/v1/whoami", Some(&new_token)).await.status,
        StatusCode::OK
    );
    app.login("cal", PASSWORD)
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
    assert_eq!(app.login("cal", NEW_PASSWORD).await.status, StatusCode::OK);
    let mails = wait_for_mails(&app, 1).await;
    assert!(mails[0].contains("Subject: Your Account Console password was changed"));
}

#[tokio::test]
async fn wrong_current_passwords_count_against_the_login_limit() {
    let app = TestApp::new().await;
    let token = app.register("dee@example.com").await;
    for _ in 0..10 {
        set_password(
            &app,
            &token,
            &json!({"password": NEW_PASSWORD, "currentPassword": "Wrong-pass-word-1"}),
        )
        .await
        .assert_coded(
            StatusCode::BAD_REQUEST,
            "Current password is incorrect",
            ErrorCode::CurrentPasswordIncorrect,
        );
    }
    let blocked = set_password(
        &app,
        &token,
        &json!({"password": NEW_PASSWORD, "currentPassword": PASSWORD}),
    )
    .await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        app.login("dee", PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn api_keys_and_anonymous_callers_cannot_set_passwords() {
    let app = TestApp::new().await;
    let token = app.register("fay@example.com").await;
    let (key, _) = new_key(&app, &token, "ci").await;
    let body = json!({"password": NEW_PASSWORD, "currentPassword": PASSWORD});
    set_password(&app, &key, &body)
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
    app.post_json("/user/v1/password", &body)
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
    assert_eq!(app.login("fay", PASSWORD).await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_wrong_current_passwords_get_at_most_ten_verifications() {
    let app = TestApp::new().await;
    let token = app.register("eve@example.com").await;
    let burst = (0..30)
        .map(|i| {
            json_request(
                Method::POST,
                "/user/v1/password",
                &json!({"password": NEW_PASSWORD, "currentPassword": format!("Wrong-pass-{i}")}),
                Some(&token),
            )
        })
        .collect();
    let answers = app.send_all(burst).await;
    assert_only(&answers, StatusCode::BAD_REQUEST);
    assert_eq!(count_status(&answers, StatusCode::BAD_REQUEST), 10);
}

/// A signed-up account made passwordless, as social sign-in leaves one.
async fn passwordless(app: &TestApp, email: &str) -> String {
    let token = app.register(email).await;
    sqlx::query("UPDATE users SET password_hash = NULL WHERE id = $1")
        .bind(user_id(&token))
        .execute(&app.state.db)
        .await
        .unwrap();
    token
}

#[tokio::test]
async fn a_first_password_needs_fresh_authentication_and_is_mailed() {
    let app = TestApp::new().await;
    let token = passwordless(&app, "gus@example.com").await;
    app.clock.advance(std::time::Duration::from_secs(21 * 60));
    set_password(&app, &token, &json!({"password": NEW_PASSWORD}))
        .await
        .assert_coded(
            StatusCode::UNAUTHORIZED,
            "Fresh authentication token required",
            ErrorCode::FreshAuthRequired,
        );
    assert_eq!(
        app.login("gus", NEW_PASSWORD).await.status,
        StatusCode::UNAUTHORIZED,
        "nothing was set"
    );

    let fresh = passwordless(&app, "hal@example.com").await;
    new_key(&app, &fresh, "ci").await;
    let res = set_password(&app, &fresh, &json!({"password": NEW_PASSWORD})).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let mails = wait_for_mails(&app, 1).await;
    let mail = mails
        .iter()
        .find(|m| m.contains("To: hal@example.com"))
        .unwrap();
    assert!(
        mail.contains("A password was set on your Account Console account"),
        "{mail}"
    );
    assert!(mail.contains("1 active API key"), "{mail}");
}
