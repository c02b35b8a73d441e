//! Logging in: credentials, rate limits and the session token it answers.
use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use serde_json::json;
use wire::ErrorCode;

use crate::common::*;

#[tokio::test]
async fn login_by_email_or_username_case_insensitively() {
    let app = TestApp::new().await;
    app.register("Grace@Example.com").await;
    for name in [
        "grace@example.com",
        "GRACE@example.COM",
        "grace",
        "Grace",
        "  grace ",
    ] {
        let res = app.login(name, PASSWORD).await;
        assert_eq!(res.status, StatusCode::OK, "{name}");
        assert_eq!(
            res.header("content-type"),
            Some("text/plain; charset=utf-8")
        );
        assert_eq!(res.header("cache-control"), Some("no-store"));
        let token = res.text();
        assert_eq!(
            claim_keys(&token),
            ["authTime", "exp", "iat", "id", "jwt_secret"]
        );
        let me = app.get("/user/v1/whoami", Some(&token)).await;
        assert_eq!(me.json()["username"], "grace");
    }
}

#[tokio::test]
async fn each_login_is_a_new_session() {
    let app = TestApp::new().await;
    app.register("heidi@example.com").await;
    let a = app.login("heidi", PASSWORD).await.text();
    let b = app.login("heidi", PASSWORD).await.text();
    assert_ne!(claims(&a)["jwt_secret"], claims(&b)["jwt_secret"]);
}

#[tokio::test]
async fn unknown_user_and_wrong_password_get_byte_identical_401s() {
    let app = TestApp::new().await;
    app.register("ivan@example.com").await;
    let wrong = app.login("ivan@example.com", "not-the-Password-7").await;
    let unknown = app.login("nobody@example.com", "not-the-Password-7").await;
    let unknown_name = app.login("nobody", "not-the-Password-7").await;
    wrong.assert_empty(StatusCode::UNAUTHORIZED);
    for other in [&unknown, &unknown_name] {
        assert_eq!(other.status, wrong.status);
        assert_eq!(other.headers, wrong.headers);
        assert_eq!(other.body, wrong.body);
    }
}

#[tokio::test]
async fn malformed_login_bodies_are_client_errors() {
    let app = TestApp::new().await;
    let raw = |ct: Option<&str>, body: &str| {
        let mut req = Request::builder().method(Method::POST).uri("/login_");
        if let Some(ct) = ct {
            req = req.header(header::CONTENT_TYPE, ct);
        }
        req.body(Body::from(body.to_owned())).unwrap()
    };
    let json = Some("application/json");
    let bad_request = [
        (raw(json, "{"), "Invalid JSON body"),
        (raw(json, ""), "Invalid JSON body"),
        (
            raw(json, r#"["a","b"]"#),
            "Request body must be a JSON object",
        ),
        (
            raw(json, r#"{"username":"a"}"#),
            "Invalid request body: missing field `password`",
        ),
        (
            raw(json, r#"{"username":"a","password":5}"#),
            "Invalid request body: invalid type: integer `5`, expected a string",
        ),
        (
            raw(json, r#"{"username":"","password":"x"}"#),
            "Username and password are required",
        ),
        (
            raw(json, r#"{"username":"a","password":""}"#),
            "Username and password are required",
        ),
    ];
    for (req, message) in bad_request {
        app.send(req)
            .await
            .assert_error(StatusCode::BAD_REQUEST, message);
    }
    let body = r#"{"username":"a","password":"b"}"#;
    for ct in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        None,
    ] {
        let res = app.send(raw(ct, body)).await;
        res.assert_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Content-Type must be application/json",
        );
    }
    let huge = format!(
        r#"{{"username":"a","password":"{}"}}"#,
        "x".repeat(70 * 1024)
    );
    let res = app.send(raw(json, &huge)).await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn ten_failures_block_the_account_for_15_minutes_even_with_the_right_password() {
    let app = TestApp::new().await;
    app.register("judy@example.com").await;
    app.register("mallory@example.com").await;
    for i in 0..10 {
        // Mixed identifiers: email and username share one counter.
        let name = if i % 2 == 0 {
            "judy"
        } else {
            "JUDY@example.com"
        };
        app.login(name, "wrong-Password-1")
            .await
            .assert_empty(StatusCode::UNAUTHORIZED);
    }
    let blocked = app.login("judy", PASSWORD).await;
    blocked.assert_coded(
        StatusCode::TOO_MANY_REQUESTS,
        "Too Many Requests",
        ErrorCode::TooManyRequests,
    );
    assert_eq!(blocked.header("retry-after"), Some("900"));
    assert_eq!(
        app.login("mallory", PASSWORD).await.status,
        StatusCode::OK,
        "others unaffected"
    );

    app.clock.advance(Duration::from_secs(14 * 60 + 30));
    let still = app.login("judy@example.com", PASSWORD).await;
    assert_eq!(still.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(still.header("retry-after"), Some("30"));

    app.clock.advance(Duration::from_secs(31));
    assert_eq!(app.login("judy", PASSWORD).await.status, StatusCode::OK);
    // The success cleared the counter: one more failure is a 401 again, not a 429.
    app.login("judy", "wrong-Password-1")
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_success_resets_the_account_counter() {
    let app = TestApp::new().await;
    app.register("ken@example.com").await;
    for _ in 0..9 {
        app.login("ken", "wrong-Password-1")
            .await
            .assert_empty(StatusCode::UNAUTHORIZED);
    }
    assert_eq!(app.login("ken", PASSWORD).await.status, StatusCode::OK);
    for _ in 0..9 {
        app.login("ken", "wrong-Password-1")
            .await
            .assert_empty(StatusCode::UNAUTHORIZED);
    }
    assert_eq!(app.login("ken", PASSWORD).await.status, StatusCode::OK);
}

#[tokio::test]
async fn unknown_names_are_blocked_like_real_accounts() {
    let app = TestApp::new().await;
    for _ in 0..10 {
        app.login("ghost", "wrong-Password-1")
            .await
            .assert_empty(StatusCode::UNAUTHORIZED);
    }
    let res = app.login("ghost", "wrong-Password-1").await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn fifty_failures_block_the_client_address() {
    let app = TestApp::new().await;
    app.register("leo@example.com").await;
    let attacker: SocketAddr = "203.0.113.5:5555".parse().unwrap();
    let victim: SocketAddr = "198.51.100.7:6666".parse().unwrap();
    let body = |name: &str, pw: &str| json!({"username": name, "password": pw});
    for i in 0..50 {
        // Spread over many names so no account counter is what blocks.
        let res = app
            .post_json_from(
                "/login_",
                &body(&format!("user{}", i % 10), "wrong-Password-1"),
                attacker,
            )
            .await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    let res = app
        .post_json_from("/login_", &body("leo", PASSWORD), attacker)
        .await;
    res.assert_coded(
        StatusCode::TOO_MANY_REQUESTS,
        "Too Many Requests",
        ErrorCode::TooManyRequests,
    );
    assert_eq!(res.header("retry-after"), Some("900"));
    let res = app
        .post_json_from("/login_", &body("leo", PASSWORD), victim)
        .await;
    assert_eq!(
        res.status,
        StatusCode::OK,
        "the owner can still sign in from elsewhere"
    );

    app.clock.advance(Duration::from_secs(15 * 60));
    let res = app
        .post_json_from("/login_", &body("leo", PASSWORD), attacker)
        .await;
    assert_eq!(res.status, StatusCode::OK);
}

#[tokio::test]
async fn failures_outside_the_window_are_forgotten() {
    let app = TestApp::new().await;
    app.register("mia@example.com").await;
    for _ in 0..9 {
        app.login("mia", "wrong-Password-1")
            .await
            .assert_empty(StatusCode::UNAUTHORIZED);
    }
    app.clock.advance(Duration::from_secs(3600));
    for _ in 0..9 {
        app.login("mia", "wrong-Password-1")
            .await
            .assert_empty(StatusCode::UNAUTHORIZED);
    }
    assert_eq!(app.login("mia", PASSWORD).await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_parallel_wrong_passwords_get_at_most_ten_verifications() {
    let app = TestApp::new().await;
    app.register("nia@example.com").await;
    let burst = (0..60)
        .map(|i| login_request("nia", &format!("wrong-Password-{i}"), None))
        .collect();
    let answers = app.send_all(burst).await;
    assert_only(&answers, StatusCode::UNAUTHORIZED);
    assert_eq!(
        count_status(&answers, StatusCode::UNAUTHORIZED),
        10,
        "the limit"
    );
    assert_eq!(count_status(&answers, StatusCode::TOO_MANY_REQUESTS), 50);
    assert_eq!(
        app.login("nia", PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS,
        "blocked, even with the right password"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_parallel_wrong_logins_from_one_address_get_at_most_fifty() {
    let app = TestApp::new().await;
    let attacker: SocketAddr = "203.0.113.77:1".parse().unwrap();
    // One name each, so no account limit is what stops them.
    let burst = (0..60)
        .map(|i| login_request(&format!("ghost{i}"), "wrong-Password-1", Some(attacker)))
        .collect();
    let answers = app.send_all(burst).await;
    assert_only(&answers, StatusCode::UNAUTHORIZED);
    assert_eq!(count_status(&answers, StatusCode::UNAUTHORIZED), 50);
}

#[tokio::test]
async fn a_right_password_gives_the_address_its_attempt_back() {
    let app = TestApp::new().await;
    app.register("ola@example.com").await;
    let office: SocketAddr = "198.51.100.20:1".parse().unwrap();
    // 49 failures over many names, then many successful logins from the same address: the
    // successes must not use up the address's budget for failures.
    for i in 0..49 {
        let res = app
            .send(login_request(
                &format!("nobody{i}"),
                "wrong-Pass-1",
                Some(office),
            ))
            .await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    }
    for _ in 0..5 {
        let res = app.send(login_request("ola", PASSWORD, Some(office))).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    }
    let res = app
        .send(login_request("nobody", "wrong-Pass-1", Some(office)))
        .await;
    assert_eq!(
        res.status,
        StatusCode::UNAUTHORIZED,
        "the 50th failure is still verified"
    );
}
