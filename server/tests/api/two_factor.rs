//! Two-factor authentication: setup, enabling, the login challenge, replay and guessing
//! limits, recovery codes, disabling, and the partial token's reach.
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use data_encoding::BASE32_NOPAD;
use serde_json::{json, Value};
use server::clock::Clock;
use wire::ErrorCode;

use crate::common::*;

pub const STEP: Duration = Duration::from_secs(30);

fn code_at(secret: &str, now_ms: i64) -> String {
    crate::totp::code_at(secret, u64::try_from(now_ms / 1000).unwrap())
}

pub fn code(app: &TestApp, secret: &str) -> String {
    code_at(secret, app.clock.now_ms())
}

/// A code for the current time that is not the current one's: six digits, never valid here.
fn wrong_code(app: &TestApp, secret: &str) -> String {
    let now = app.clock.now_ms();
    let valid: Vec<String> = [-30_000, 0, 30_000]
        .iter()
        .map(|d| code_at(secret, now + d))
        .collect();
    (0..)
        .map(|i: u32| format!("{:06}", (123_456 + i * 7919) % 1_000_000))
        .find(|c| !valid.contains(c))
        .unwrap()
}

async fn post(app: &TestApp, path: &str, body: &Value, token: &str) -> TestResponse {
    app.send(json_request(Method::POST, path, body, Some(token)))
        .await
}

async fn post_empty(app: &TestApp, path: &str, token: &str) -> TestResponse {
    let req = Request::post(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    app.send(req).await
}

pub async fn verify(app: &TestApp, token: &str, code: &str) -> TestResponse {
    post(app, "/auth/totp/verify", &json!({ "code": code }), token).await
}

/// The secret of a fresh setup, from the `otpauth://` URI's query.
async fn setup(app: &TestApp, token: &str) -> String {
    let res = app.get("/auth/totp/setup", Some(token)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let uri = res.text();
    let query = uri.split_once('?').unwrap().1;
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "secret")
        .unwrap()
        .1
        .into_owned()
}

pub struct Enrolled {
    pub token: String,
    pub secret: String,
    pub username: String,
}

/// Signs up, enables 2FA with the current step's code, then moves the clock one step on (so
/// the next code is usable).
pub async fn enrolled(app: &TestApp, email: &str) -> Enrolled {
    let token = app.register(email).await;
    let username = app.get("/user/v1/whoami", Some(&token)).await.json()["username"]
        .as_str()
        .unwrap()
        .to_owned();
    let secret = setup(app, &token).await;
    let res = verify(app, &token, &code(app, &secret)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    app.clock.advance(STEP);
    Enrolled {
        token: res.text(),
        secret,
        username,
    }
}

pub async fn partial_login(app: &TestApp, username: &str) -> String {
    let res = app.login(username, PASSWORD).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let token = res.text();
    assert_eq!(claims(&token)["twoFactorRequired"], json!(true));
    token
}

pub async fn new_codes(app: &TestApp, token: &str) -> Vec<String> {
    let res = post_empty(app, "/auth/totp/recovery-codes", token).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    serde_json::from_value(res.json()["codes"].clone()).unwrap()
}

async fn remaining(app: &TestApp, token: &str) -> i64 {
    let res = app.get("/auth/totp/recovery-codes", Some(token)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    res.json()["remaining"].as_i64().unwrap()
}

async fn status(app: &TestApp, token: &str) -> StatusCode {
    app.get("/user/v1/whoami", Some(token)).await.status
}

#[tokio::test]
async fn setup_answers_an_otpauth_uri_with_a_fresh_secret_not_first() {
    let app = TestApp::new().await;
    let token = app.register("alice@example.com").await;
    app.get("/auth/totp/setup", None)
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
    let res = app.get("/auth/totp/setup", Some(&token)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(
        res.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(res.header("cache-control"), Some("no-store"));
    let uri = res.text();
    let prefix = "otpauth://totp/Account%20Console:alice?issuer=Account%20Console&secret=";
    assert!(uri.starts_with(prefix), "{uri}");
    assert!(uri.ends_with("&algorithm=SHA1&digits=6&period=30"), "{uri}");
    let secret = setup(&app, &token).await;
    assert_eq!(secret.len(), 32);
    assert_eq!(BASE32_NOPAD.decode(secret.as_bytes()).unwrap().len(), 20);
    assert!(!uri.contains(&secret), "every setup draws a new secret");
    // Pending: login still answers a full token.
    let login = app.login("alice", PASSWORD).await.text();
    assert_eq!(claims(&login).get("twoFactorRequired"), None);
}

#[tokio::test]
async fn secret_is_encrypted_at_rest() {
    let app = TestApp::new().await;
    let token = app.register("erin@example.com").await;
    let secret = setup(&app, &token).await;
    let raw = BASE32_NOPAD.decode(secret.as_bytes()).unwrap();
    let row: Vec<u8> = sqlx::query_scalar("SELECT secret_ciphertext FROM totp_credentials")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    // 24-byte nonce, 20-byte ciphertext, 16-byte tag; neither the bytes nor the text appear.
    assert_eq!(row.len(), 60);
    assert!(!row.windows(raw.len()).any(|w| w == raw.as_slice()));
    assert!(!String::from_utf8_lossy(&row).contains(&secret));
    assert!(!row.windows(8).any(|w| w == &raw[..8]));
    // The key lives outside the database, in a private file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(app.data_dir().join("totp-key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[tokio::test]
async fn enabling_needs_a_valid_code_and_ends_every_other_session() {
    let app = TestApp::new().await;
    let token = app.register("bob@example.com").await;
    let other = app.login("bob", PASSWORD).await.text();
    // No setup yet.
    verify(&app, &token, "123456").await.assert_coded(
        StatusCode::CONFLICT,
        "Start two-factor authentication setup first",
        ErrorCode::TwoFactorNotSetUp,
    );
    let secret = setup(&app, &token).await;
    for bad in [wrong_code(&app, &secret), "12345".into(), "abcdef".into()] {
        verify(&app, &token, &bad)
            .await
            .assert_empty(StatusCode::UNAUTHORIZED);
    }
    // Still off: wrong codes change nothing, and the caller's token still works.
    assert_eq!(status(&app, &token).await, StatusCode::OK);
    assert_eq!(
        claims(&app.login("bob", PASSWORD).await.text()).get("twoFactorRequired"),
        None
    );
    let res = verify(&app, &token, &code(&app, &secret)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(
        res.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    let enabled = res.text();
    assert_eq!(claims(&enabled)["twoFactorRequired"], json!(false));
    assert_eq!(claims(&enabled)["authTime"], claims(&token)["authTime"]);
    assert_eq!(status(&app, &enabled).await, StatusCode::OK);
    // The old token and every other session are gone.
    assert_eq!(status(&app, &token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(status(&app, &other).await, StatusCode::UNAUTHORIZED);
    // Enabled: setup is refused rather than replacing the secret.
    app.get("/auth/totp/setup", Some(&enabled))
        .await
        .assert_coded(
            StatusCode::CONFLICT,
            "Two-factor authentication is already enabled",
            ErrorCode::TwoFactorAlreadyEnabled,
        );
    // A refreshed token keeps saying the factor was passed.
    let refreshed = app
        .get("/user/v1/refresh-token", Some(&enabled))
        .await
        .text();
    assert_eq!(claims(&refreshed)["twoFactorRequired"], json!(false));
}

#[tokio::test]
async fn setup_and_enabling_need_fresh_authentication() {
    let app = TestApp::new().await;
    let token = app.register("fred@example.com").await;
    let secret = setup(&app, &token).await;
    app.clock.advance(Duration::from_secs(21 * 60));
    app.get("/auth/totp/setup", Some(&token))
        .await
        .assert_coded(
            StatusCode::UNAUTHORIZED,
            "Fresh authentication token required",
            ErrorCode::FreshAuthRequired,
        );
    verify(&app, &token, &code(&app, &secret))
        .await
        .assert_coded(
            StatusCode::UNAUTHORIZED,
            "Fresh authentication token required",
            ErrorCode::FreshAuthRequired,
        );
    let fresh = post(
        &app,
        "/user/v1/refresh-token",
        &json!({ "password": PASSWORD }),
        &token,
    )
    .await
    .text();
    let secret = setup(&app, &fresh).await;
    assert_eq!(
        verify(&app, &fresh, &code(&app, &secret)).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn login_challenge_passes_with_a_code_and_mints_a_new_session() {
    let app = TestApp::new().await;
    let user = enrolled(&app, "carol@example.com").await;
    let partial = partial_login(&app, &user.username).await;
    // balena's clients: a partial token is not logged in.
    assert_eq!(status(&app, &partial).await, StatusCode::UNAUTHORIZED);
    let res = verify(&app, &partial, &code(&app, &user.secret)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let full = res.text();
    assert_eq!(claims(&full)["twoFactorRequired"], json!(false));
    assert_ne!(claims(&full)["jwt_secret"], claims(&partial)["jwt_secret"]);
    assert_eq!(status(&app, &full).await, StatusCode::OK);
    // The partial token's session is over; the enrolling session is untouched.
    assert_eq!(
        verify(&app, &partial, &code(&app, &user.secret))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(status(&app, &user.token).await, StatusCode::OK);
    // Logging in by email works the same way.
    partial_login(&app, "carol@example.com").await;
}

#[tokio::test]
async fn a_partial_token_lives_15_minutes() {
    let app = TestApp::new().await;
    let user = enrolled(&app, "uma@example.com").await;
    let partial = partial_login(&app, &user.username).await;
    let c = claims(&partial);
    assert_eq!(
        c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(),
        15 * 60
    );
    app.clock.advance(Duration::from_secs(15 * 60));
    verify(&app, &partial, &code(&app, &user.secret))
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
    // The full token minted by the challenge lives the usual 7 days.
    let partial = partial_login(&app, &user.username).await;
    let full = verify(&app, &partial, &code(&app, &user.secret))
        .await
        .text();
    let c = claims(&full);
    assert_eq!(
        c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(),
        7 * 24 * 3600
    );
}

#[tokio::test]
async fn partial_tokens_are_refused_everywhere_but_verify_and_logout() {
    let app = TestApp::new().await;
    let user = enrolled(&app, "dave@example.com").await;
    let partial = partial_login(&app, &user.username).await;
    let password = json!({ "password": PASSWORD });
    let key_body = json!({ "name": "ci" });
    let requests: Vec<(Method, &str, Option<&Value>)> = vec![
        (Method::GET, "/user/v1/whoami", None),
        (Method::GET, "/actor/v1/whoami", None),
        (Method::GET, "/user/v1/refresh-token", None),
        (Method::POST, "/user/v1/refresh-token", Some(&password)),
        (Method::GET, "/v7/user", None),
        (Method::GET, "/auth/totp/setup", None),
        (Method::POST, "/auth/totp/disable", Some(&password)),
        (Method::GET, "/auth/totp/recovery-codes", None),
        (Method::POST, "/auth/totp/recovery-codes", None),
        (Method::POST, "/api-key/user/full", Some(&key_body)),
        (Method::GET, "/v7/api_key", None),
        (Method::GET, "/v7/api_key/$count", None),
        (Method::PATCH, "/v7/api_key(1)", Some(&key_body)),
        (Method::DELETE, "/v7/api_key(1)", None),
    ];
    let build = |method: &Method, path: &str, body: Option<&Value>, token: &str| match body {
        Some(b) => json_request(method.clone(), path, b, Some(token)),
        None => Request::builder()
            .method(method.clone())
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap(),
    };
    for (method, path, body) in &requests {
        let res = app.send(build(method, path, *body, &partial)).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{method} {path}");
    }
    // None of those used the token up: the challenge still works, and so does logout.
    let challenged = partial_login(&app, &user.username).await;
    assert_eq!(
        verify(&app, &challenged, &code(&app, &user.secret))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        post_empty(&app, "/user/v1/logout", &partial).await.status,
        StatusCode::OK
    );
    assert_eq!(
        verify(&app, &partial, &code(&app, &user.secret))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    // The same requests with a full token are not refused for authentication (so the 401s
    // above are the partial token's, not a missing route's).
    for (method, path, body) in &requests {
        if *path == "/auth/totp/disable" {
            continue;
        }
        let res = app.send(build(method, path, *body, &user.token)).await;
        assert_ne!(res.status, StatusCode::UNAUTHORIZED, "{method} {path}");
    }
}

#[tokio::test]
async fn a_code_is_accepted_once_and_never_an_older_one() {
    let app = TestApp::new().await;
    let user = enrolled(&app, "gina@example.com").await;
    let now_code = code(&app, &user.secret);
    let previous = code_at(&user.secret, app.clock.now_ms() - 30_000);
    // The enabling code's step is used: its code is refused even within the skew window.
    let first = partial_login(&app, &user.username).await;
    verify(&app, &first, &previous)
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
    assert_eq!(verify(&app, &first, &now_code).await.status, StatusCode::OK);
    let second = partial_login(&app, &user.username).await;
    verify(&app, &second, &now_code)
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
    // The next step's code works.
    app.clock.advance(STEP);
    assert_eq!(
        verify(&app, &second, &code(&app, &user.secret))
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_parallel_submissions_of_one_code_pass_once() {
    let app = TestApp::new().await;
    let user = enrolled(&app, "hank@example.com").await;
    for _ in 0..3 {
        let a = partial_login(&app, &user.username).await;
        let b = partial_login(&app, &user.username).await;
        let c = code(&app, &user.secret);
        let (ra, rb) = tokio::join!(verify(&app, &a, &c), verify(&app, &b, &c));
        let passed = [ra.status, rb.status]
            .iter()
            .filter(|s| **s == StatusCode::OK)
            .count();
        assert_eq!(passed, 1, "{:?} {:?}", ra.status, rb.status);
        app.clock.advance(STEP);
    }
}

#[tokio::test]
async fn five_wrong_codes_burn_the_partial_token() {
    let app = TestApp::new().await;
    let user = enrolled(&app, "ivy@example.com").await;
    let bad = wrong_code(&app, &user.secret);
    // Four wrong codes: the fifth try may still be the right one.
    let partial = partial_login(&app, &user.username).await;
    for _ in 0..4 {
        verify(&app, &partial, &bad)
            .await
            .assert_empty(StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        verify(&app, &partial, &code(&app, &user.secret))
            .await
            .status,
        StatusCode::OK
    );
    app.clock.advance(STEP);
    // Five wrong codes: the token is dead, even for the right code.
    let partial = partial_login(&app, &user.username).await;
    for _ in 0..5 {
        verify(&app, &partial, &bad)
            .await
            .assert_empty(StatusCode::UNAUTHORIZED);
    }
    verify(&app, &partial, &code(&app, &user.secret))
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
    assert_eq!(
        post_empty(&app, "/user/v1/logout", &partial).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn wrong_codes_are_rate_limited_per_account() {
    let app = TestApp::new().await;
    let user = enrolled(&app, "jack@example.com").await;
    let bad = wrong_code(&app, &user.secret);
    // 4 + 4 + 1: ten failures in the hour (the enabling was a success, not counted).
    for n in [4, 4, 1] {
        let partial = partial_login(&app, &user.username).await;
        for _ in 0..n {
            verify(&app, &partial, &bad)
                .await
                .assert_empty(StatusCode::UNAUTHORIZED);
        }
    }
    let partial = partial_login(&app, &user.username).await;
    verify(&app, &partial, &bad)
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
    let blocked = verify(&app, &partial, &code(&app, &user.secret)).await;
    blocked.assert_coded(
        StatusCode::TOO_MANY_REQUESTS,
        "Too Many Requests",
        ErrorCode::TooManyRequests,
    );
    assert!(blocked.header("retry-after").is_some());
    app.clock.advance(Duration::from_secs(15 * 60));
    // That partial token has expired by now (15 minutes); a new login passes.
    let partial = partial_login(&app, &user.username).await;
    assert_eq!(
        verify(&app, &partial, &code(&app, &user.secret))
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn recovery_codes_pass_the_challenge_once() {
    let app = TestApp::new().await;
    let user = enrolled(&app, "kate@example.com").await;
    assert_eq!(remaining(&app, &user.token).await, 0);
    let codes = new_codes(&app, &user.token).await;
    assert_eq!(codes.len(), 10);
    for c in &codes {
        assert_eq!(c.len(), 29, "{c}");
        assert!(c.split('-').all(|g| g.len() == 4), "{c}");
    }
    let unique: std::collections::HashSet<&String> = codes.iter().collect();
    assert_eq!(unique.len(), 10);
    assert_eq!(remaining(&app, &user.token).await, 10);
    // Only hashes are stored.
    let stored: Vec<String> = sqlx::query_scalar("SELECT code_hash FROM recovery_codes")
        .fetch_all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(stored.len(), 10);
    for c in &codes {
        let plain = c.replace('-', "").to_uppercase();
        assert!(stored.iter().all(|h| !h.contains(&plain) && h.len() == 64));
    }

    let partial = partial_login(&app, &user.username).await;
    // Typed loosely: upper case, spaces instead of hyphens.
    let typed = codes[0].to_uppercase().replace('-', " ");
    let res = verify(&app, &partial, &typed).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(claims(&res.text())["twoFactorRequired"], json!(false));
    assert_eq!(remaining(&app, &user.token).await, 9);
    let again = partial_login(&app, &user.username).await;
    verify(&app, &again, &codes[0])
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
    assert_eq!(verify(&app, &again, &codes[1]).await.status, StatusCode::OK);
    assert_eq!(remaining(&app, &user.token).await, 8);
    // Not a substitute for a code outside the login challenge.
    verify(&app, &user.token, &codes[2])
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recovery_code_submitted_twice_in_parallel_passes_once() {
    let app = TestApp::new().await;
    let user = enrolled(&app, "liam@example.com").await;
    let codes = new_codes(&app, &user.token).await;
    for c in codes.iter().take(3) {
        let a = partial_login(&app, &user.username).await;
        let b = partial_login(&app, &user.username).await;
        let (ra, rb) = tokio::join!(verify(&app, &a, c), verify(&app, &b, c));
        let passed = [ra.status, rb.status]
            .iter()
            .filter(|s| **s == StatusCode::OK)
            .count();
        assert_eq!(passed, 1, "{:?} {:?}", ra.status, rb.status);
    }
    assert_eq!(remaining(&app, &user.token).await, 7);
}

#[tokio::test]
async fn regenerating_needs_fresh_auth_voids_the_old_set_and_other_sessions() {
    let app = TestApp::new().await;
    let user = enrolled(&app, "mona@example.com").await;
    let old = new_codes(&app, &user.token).await;
    // Another device signs in (with a code).
    let partial = partial_login(&app, &user.username).await;
    let other = verify(&app, &partial, &code(&app, &user.secret))
        .await
        .text();
    assert_eq!(status(&app, &other).await, StatusCode::OK);

    app.clock.advance(Duration::from_secs(21 * 60));
    post_empty(&app, "/auth/totp/recovery-codes", &user.token)
        .await
        .assert_coded(
            StatusCode::UNAUTHORIZED,
            "Fresh authentication token required",
            ErrorCode::FreshAuthRequired,
        );
    let fresh = post(
        &app,
        "/user/v1/refresh-token",
        &json!({ "password": PASSWORD }),
        &user.token,
    )
    .await
    .text();
    let new = new_codes(&app, &fresh).await;
    assert!(new.iter().all(|c| !old.contains(c)));
    assert_eq!(remaining(&app, &fresh).await, 10);
    assert_eq!(status(&app, &fresh).await, StatusCode::OK);
    assert_eq!(status(&app, &other).await, StatusCode::UNAUTHORIZED);
    let partial = partial_login(&app, &user.username).await;
    verify(&app, &partial, &old[0])
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
    assert_eq!(verify(&app, &partial, &new[0]).await.status, StatusCode::OK);
}

#[tokio::test]
async fn recovery_codes_need_2fa() {
    let app = TestApp::new().await;
    let token = app.register("nick@example.com").await;
    assert_eq!(remaining(&app, &token).await, 0);
    post_empty(&app, "/auth/totp/recovery-codes", &token)
        .await
        .assert_coded(
            StatusCode::CONFLICT,
            "Two-factor authentication is not enabled",
            ErrorCode::TwoFactorNotEnabled,
        );
}

#[tokio::test]
async fn disabling_needs_the_password_and_ends_every_other_session() {
    let app = TestApp::new().await;
    let user = enrolled(&app, "olga@example.com").await;
    new_codes(&app, &user.token).await;
    let partial = partial_login(&app, &user.username).await;
    let other = verify(&app, &partial, &code(&app, &user.secret))
        .await
        .text();

    post(
        &app,
        "/auth/totp/disable",
        &json!({ "password": "not-the-Password-9" }),
        &user.token,
    )
    .await
    .assert_empty(StatusCode::UNAUTHORIZED);
    assert_eq!(status(&app, &user.token).await, StatusCode::OK);

    let res = post(
        &app,
        "/auth/totp/disable",
        &json!({ "password": PASSWORD }),
        &user.token,
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let token = res.text();
    assert_eq!(claims(&token).get("twoFactorRequired"), None);
    assert_eq!(status(&app, &token).await, StatusCode::OK);
    assert_eq!(status(&app, &user.token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(status(&app, &other).await, StatusCode::UNAUTHORIZED);
    // Login no longer asks; secret and codes are gone.
    let login = app.login(&user.username, PASSWORD).await.text();
    assert_eq!(claims(&login).get("twoFactorRequired"), None);
    assert_eq!(status(&app, &login).await, StatusCode::OK);
    let rows: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM totp_credentials) + (SELECT COUNT(*) FROM recovery_codes)",
    )
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(rows, 0);
    // And 2FA can be set up again, with a new secret.
    let secret = setup(&app, &login).await;
    assert_ne!(secret, user.secret);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_partial_tokens_with_five_wrong_codes_each_get_at_most_ten_checks() {
    let app = TestApp::new().await;
    let user = enrolled(&app, "quinn@example.com").await;
    let bad = wrong_code(&app, &user.secret);
    let mut partials = Vec::new();
    for _ in 0..20 {
        partials.push(partial_login(&app, &user.username).await);
    }
    let burst = partials
        .iter()
        .flat_map(|t| {
            (0..5).map(|_| {
                json_request(
                    Method::POST,
                    "/auth/totp/verify",
                    &json!({ "code": bad }),
                    Some(t),
                )
            })
        })
        .collect();
    let answers = app.send_all(burst).await;
    assert_only(&answers, StatusCode::UNAUTHORIZED);
    assert_eq!(
        count_status(&answers, StatusCode::UNAUTHORIZED),
        10,
        "the account's limit"
    );
    assert_eq!(count_status(&answers, StatusCode::TOO_MANY_REQUESTS), 90);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_partial_token_checks_at_most_five_codes_even_in_parallel() {
    let app = TestApp::new().await;
    let user = enrolled(&app, "rhea@example.com").await;
    let partial = partial_login(&app, &user.username).await;
    let bad = wrong_code(&app, &user.secret);
    let burst = (0..8)
        .map(|_| {
            json_request(
                Method::POST,
                "/auth/totp/verify",
                &json!({ "code": bad }),
                Some(&partial),
            )
        })
        .collect();
    let answers = app.send_all(burst).await;
    assert_only(&answers, StatusCode::UNAUTHORIZED);
    let checked: i64 = sqlx::query_scalar("SELECT hits FROM rate_limits WHERE key = $1")
        .bind(format!("totp:user:{}", user_id(&user.token)))
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(checked, 5, "codes checked against the secret");
    let res = verify(&app, &partial, &code(&app, &user.secret)).await;
    res.assert_empty(StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_wrong_passwords_for_disabling_get_at_most_ten_verifications() {
    let app = TestApp::new().await;
    let user = enrolled(&app, "sol@example.com").await;
    let burst = (0..30)
        .map(|i| {
            json_request(
                Method::POST,
                "/auth/totp/disable",
                &json!({ "password": format!("not-the-Password-{i}") }),
                Some(&user.token),
            )
        })
        .collect();
    let answers = app.send_all(burst).await;
    assert_only(&answers, StatusCode::UNAUTHORIZED);
    assert_eq!(count_status(&answers, StatusCode::UNAUTHORIZED), 10);
}
