//! Secrets never reach the logs (ASVS 16.2.5): a sign-up, logins (good and bad), an
//! authenticated request, a password refresh, an API key created and used and a logout,
//! everything logged at TRACE level, and none of the passwords, tokens, session secrets, API
//! keys, reset links or the signing key appear.
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

    // Two-factor authentication: setup, enabling, recovery codes, a challenge with a wrong
    // code, a replayed code and a recovery code.
    let fresh = app.login("logan", PASSWORD).await.text();
    let setup = app.get("/auth/totp/setup", Some(&fresh)).await.text();
    let totp_secret = setup
        .split_once("secret=")
        .unwrap()
        .1
        .split('&')
        .next()
        .unwrap()
        .to_owned();
    let totp_code = totp_rs::Builder::new()
        .with_algorithm(totp_rs::Algorithm::SHA1)
        .with_secret(
            data_encoding::BASE32_NOPAD
                .decode(totp_secret.as_bytes())
                .unwrap(),
        )
        .build()
        .unwrap()
        .generate(u64::try_from(T0 / 1000).unwrap())
        .to_string();
    let verify = |token: &str, code: &str| {
        Request::post("/auth/totp/verify")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(json!({ "code": code }).to_string()))
            .unwrap()
    };
    let enabled = app.send(verify(&fresh, &totp_code)).await.text();
    let codes = Request::post("/auth/totp/recovery-codes")
        .header(header::AUTHORIZATION, format!("Bearer {enabled}"))
        .body(Body::empty())
        .unwrap();
    let recovery = app.send(codes).await.json()["codes"][0]
        .as_str()
        .unwrap()
        .to_owned();
    let partial = app.login("logan", PASSWORD).await.text();
    let wrong_code = if totp_code == "000000" {
        "000001"
    } else {
        "000000"
    };
    for code in [wrong_code, totp_code.as_str()] {
        assert_eq!(
            app.send(verify(&partial, code)).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        app.send(verify(&partial, &recovery)).await.status,
        StatusCode::OK
    );

    // A password reset: the link's token is in the outbox file, never in the logs.
    app.post_json(
        "/user/v1/password-reset",
        &json!({"email": "logan@example.com"}),
    )
    .await;
    let outbox = app.data_dir().join("outbox");
    let mail_with = |link: &'static str| {
        let outbox = outbox.clone();
        async move {
            loop {
                let found = std::fs::read_dir(&outbox)
                    .unwrap()
                    .map(|e| e.unwrap().path())
                    .filter(|p| p.extension().is_some_and(|e| e == "eml"))
                    .map(|p| std::fs::read_to_string(p).unwrap())
                    .find(|m| m.contains(link));
                if let Some(mail) = found {
                    break mail;
                }
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
        }
    };
    let mail = mail_with("reset-password#token=").await;
    let verify_mail = mail_with("verify-email#token=").await;
    let verify_token = verify_mail
        .split_once("#token=")
        .unwrap()
        .1
        .split('&')
        .next()
        .unwrap()
        .to_owned();
    let verified = app
        .post_json(
            "/user/v1/verify-email",
            &json!({ "verificationToken": verify_token, "email": "logan@example.com" }),
        )
        .await;
    assert_eq!(verified.status, StatusCode::OK);
    let reset_token = mail
        .split_once("#token=")
        .unwrap()
        .1
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    let reset_password = "Reset-Walnut-tide-83";
    let confirm = app
        .post_json(
            "/user/v1/password-reset/confirm",
            &json!({"token": reset_token, "password": reset_password}),
        )
        .await;
    assert_eq!(confirm.status, StatusCode::OK);

    // Query strings carry OData filters with emails and OAuth codes: only paths are logged.
    let probe =
        "/v7/user?$filter=email%20eq%20%27hidden-address%40example.com%27&code=oauth-code-xyz";
    assert_eq!(app.get(probe, Some(&api_key)).await.status, StatusCode::OK);

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    // The capture works and auth events are logged with who and from where...
    for expected in [
        "signed up",
        "login succeeded",
        "login failed",
        "re-authenticated",
        "API key created",
        "logged out",
        "two-factor authentication enabled",
        "two-factor code refused",
        "TOTP code reuse refused",
        "two-factor passed with a recovery code",
        "password reset mail sent",
        "email verified",
        "mail written to the outbox",
        "password reset",
        "192.0.2.1",
        "path=/v7/user",
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
        &totp_secret,
        &totp_code,
        &recovery,
        &recovery.replace('-', ""),
        &partial,
        &enabled,
        &reset_token,
        &verify_token,
        reset_password,
        "hidden-address",
        "oauth-code-xyz",
        "$filter",
    ] {
        assert!(
            !logs.contains(secret),
            "a secret leaked into the logs: {secret}"
        );
    }
}
