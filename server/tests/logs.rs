//! Secrets never reach the logs (ASVS 16.2.5): a sign-up, logins (good and bad), an
//! authenticated request, a password refresh, an API key created and used and a logout,
//! everything logged at TRACE level, and none of the passwords, tokens, session secrets, API
//! keys or the signing key appear.
//! A separate test binary, because it installs the process-wide subscriber.
#[path = "api/common.rs"]
mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use serde_json::json;

use common::*;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn passwords_and_tokens_never_appear_in_logs() {
    let captured = Captured::default();
    let writer = captured.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .init();

    let app = TestApp::new().await;
    let wrong = "Wrong-Secret-Pass-77";
    let signup = app.register("logan@example.com").await;
    let login = app.login("logan", PASSWORD).await.text();
    app.login("logan@example.com", wrong)
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.get("/user/v1/whoami", Some(&login)).await.status,
        StatusCode::OK
    );
    let refresh = Request::post("/user/v1/refresh-token")
        .header(header::AUTHORIZATION, format!("Bearer {login}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(json!({"password": PASSWORD}).to_string()))
        .unwrap();
    let refreshed = app.send(refresh).await.text();
    let create_key = Request::post("/api-key/user/full")
        .header(header::AUTHORIZATION, format!("Bearer {refreshed}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(json!({"name": "ci"}).to_string()))
        .unwrap();
    let api_key = app
        .send(create_key)
        .await
        .json()
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        app.get("/actor/v1/whoami", Some(&api_key)).await.status,
        StatusCode::OK
    );
    let logout = Request::post("/user/v1/logout")
        .header(header::AUTHORIZATION, format!("Bearer {refreshed}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.send(logout).await.status, StatusCode::OK);

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    // The capture works and auth events are logged with who and from where...
    for expected in [
        "signed up",
        "login succeeded",
        "login failed",
        "re-authenticated",
        "API key created",
        "logged out",
        "192.0.2.1",
    ] {
        assert!(
            logs.contains(expected),
            "missing {expected:?} in logs:\n{logs}"
        );
    }
    // ...but no secret is.
    let session_secret = claims(&login)["jwt_secret"].as_str().unwrap().to_owned();
    let signature = login.rsplit('.').next().unwrap().to_owned();
    for secret in [
        PASSWORD,
        wrong,
        &signup,
        &login,
        &refreshed,
        &session_secret,
        &signature,
        &api_key,
        SECRET,
    ] {
        assert!(
            !logs.contains(secret),
            "a secret leaked into the logs: {secret}"
        );
    }
}
