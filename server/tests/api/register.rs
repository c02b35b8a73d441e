//! Signing up: validation, conflicts and the first session token.
use axum::http::StatusCode;
use serde_json::json;
use wire::ErrorCode;

use crate::common::*;

const TOKEN_CLAIMS: [&str; 5] = ["authTime", "exp", "iat", "id", "jwt_secret"];

#[tokio::test]
async fn sign_up_answers_201_with_a_plain_text_session_token() {
    let app = TestApp::new().await;
    let res = app
        .post_json(
            "/user/register",
            &json!({"email": "alice@example.com", "password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED);
    assert_eq!(
        res.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(res.header("cache-control"), Some("no-store"));
    let token = res.text();
    assert_eq!(claim_keys(&token), TOKEN_CLAIMS);
    let c = claims(&token);
    assert_eq!(c["authTime"], json!(T0));
    assert_eq!(c["iat"], json!(T0 / 1000));
    assert_eq!(c["exp"], json!(T0 / 1000 + 7 * 24 * 3600));
    assert_eq!(c["jwt_secret"].as_str().unwrap().len(), 32);
    let me = app.get("/user/v1/whoami", Some(&token)).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json()["email"], "alice@example.com");
}

#[tokio::test]
async fn sign_up_creates_actor_user_personal_org_and_admin_membership() {
    let app = TestApp::new().await;
    let token = app.register("Alice.Smith@Example.com").await;
    let user_id = user_id(&token);

    let (username, email, hash, actor_type): (String, String, String, String) = sqlx::query_as(
        "SELECT u.username, u.email, u.password_hash, a.actor_type
         FROM users u JOIN actors a ON a.id = u.actor_id WHERE u.id = $1",
    )
    .bind(user_id)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(username, "alice_smith");
    assert_eq!(
        email, "alice.smith@example.com",
        "emails are stored lowercased"
    );
    assert_eq!(actor_type, "user");
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{hash}"
    );
    assert!(!hash.contains(PASSWORD));

    let (name, handle, plan, role): (String, String, String, String) = sqlx::query_as(
        "SELECT o.name, o.handle, o.billing_plan, r.name
         FROM organization_memberships m
         JOIN organizations o ON o.id = m.organization_id
         JOIN organization_membership_roles r ON r.id = m.role_id
         WHERE m.user_id = $1",
    )
    .bind(user_id)
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    assert_eq!(
        (name.as_str(), handle.as_str()),
        ("alice_smith", "alice_smith")
    );
    assert_eq!(plan, "free");
    assert_eq!(role, "administrator");
}

#[tokio::test]
async fn derived_usernames_are_unique_and_a_chosen_one_is_kept() {
    let app = TestApp::new().await;
    let names = [
        ("bob@example.com", "bob"),
        ("Bob@example.org", "bob2"),
        ("bob@example.net", "bob3"),
        ("7seas@example.com", "u7seas"),
    ];
    for (email, want) in names {
        let token = app.register(email).await;
        let me = app.get("/user/v1/whoami", Some(&token)).await.json();
        assert_eq!(me["username"], want, "{email}");
    }
    let res = app
        .post_json(
            "/user/register",
            &json!({"email": "carol@example.com", "password": PASSWORD, "username": "captain_c"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED);
    let me = app.get("/user/v1/whoami", Some(&res.text())).await.json();
    assert_eq!(me["username"], "captain_c");
}

#[tokio::test]
async fn invalid_sign_ups_get_readable_400s() {
    let app = TestApp::new().await;
    let cases = [
        (
            json!({"email": "not-an-email", "password": PASSWORD}),
            "Invalid email",
            None,
        ),
        (
            json!({"email": "a@b.co", "password": "short1!"}),
            "Password must be at least 8 characters",
            Some(ErrorCode::WeakPassword),
        ),
        (
            json!({"email": "a@b.co", "password": "x".repeat(129)}),
            "Password must be at most 128 characters",
            Some(ErrorCode::WeakPassword),
        ),
        (
            json!({"email": "a@b.co", "password": "password123"}),
            "This password is too common; choose another",
            Some(ErrorCode::WeakPassword),
        ),
        (
            json!({"email": "a@b.co", "password": "12345678"}),
            "This password is too common; choose another",
            Some(ErrorCode::WeakPassword),
        ),
        (
            json!({"email": "dave@b.co", "password": "dave-plum-Sofa-42"}),
            "Password must not contain your username or the name part of your email address",
            Some(ErrorCode::WeakPassword),
        ),
        (
            json!({"email": "x@b.co", "password": "Zorro-plum-Sofa-42", "username": "zorro"}),
            "Password must not contain your username or the name part of your email address",
            Some(ErrorCode::WeakPassword),
        ),
        (
            json!({"email": "x@b.co", "password": PASSWORD, "username": "Bad Name"}),
            wire::validate::Invalid::Username.message(),
            None,
        ),
    ];
    for (body, message, code) in cases {
        let res = app.post_json("/user/register", &body).await;
        match code {
            Some(code) => res.assert_coded(StatusCode::BAD_REQUEST, message, code),
            None => res.assert_error(StatusCode::BAD_REQUEST, message),
        }
    }
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(count, 0);
}

#[tokio::test]
async fn taken_email_or_username_is_409() {
    let app = TestApp::new().await;
    app.register("erin@example.com").await;
    let res = app
        .post_json(
            "/user/register",
            &json!({"email": "ERIN@example.com", "password": PASSWORD}),
        )
        .await;
    res.assert_coded(
        StatusCode::CONFLICT,
        "This email is already taken",
        ErrorCode::EmailTaken,
    );
    let res = app
        .post_json(
            "/user/register",
            &json!({"email": "other@example.com", "password": PASSWORD, "username": "erin"}),
        )
        .await;
    res.assert_coded(
        StatusCode::CONFLICT,
        "This username is already taken",
        ErrorCode::UsernameTaken,
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_sign_ups_for_one_email_give_one_201_and_one_409() {
    let app = TestApp::new().await;
    let body = json!({"email": "race@example.com", "password": PASSWORD});
    let (a, b) = tokio::join!(
        app.post_json("/user/register", &body),
        app.post_json("/user/register", &body)
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::CREATED, StatusCode::CONFLICT]);
    let loser = if a.status == StatusCode::CONFLICT {
        a
    } else {
        b
    };
    loser.assert_coded(
        StatusCode::CONFLICT,
        "This email is already taken",
        ErrorCode::EmailTaken,
    );
    let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    let orgs: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM organizations")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!((users, orgs), (1, 1), "no half-created account");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_sign_ups_for_one_derived_username_both_succeed() {
    let app = TestApp::new().await;
    let one = json!({"email": "sam@one.example", "password": PASSWORD});
    let two = json!({"email": "sam@two.example", "password": PASSWORD});
    let (a, b) = tokio::join!(
        app.post_json("/user/register", &one),
        app.post_json("/user/register", &two)
    );
    assert_eq!(
        (a.status, b.status),
        (StatusCode::CREATED, StatusCode::CREATED)
    );
    let mut names: Vec<String> = sqlx::query_scalar("SELECT username FROM users")
        .fetch_all(&app.state.db)
        .await
        .unwrap();
    names.sort();
    assert_eq!(names, ["sam", "sam2"]);
}

#[tokio::test]
async fn sign_ups_are_limited_per_client_address() {
    let app = TestApp::new().await;
    // Invalid attempts count too: the limit is on trying, not on succeeding.
    for _ in 0..20 {
        let res = app
            .post_json(
                "/user/register",
                &json!({"email": "nope", "password": PASSWORD}),
            )
            .await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST);
    }
    let body = json!({"email": "late@example.com", "password": PASSWORD});
    let res = app.post_json("/user/register", &body).await;
    res.assert_coded(
        StatusCode::TOO_MANY_REQUESTS,
        "Too Many Requests",
        ErrorCode::TooManyRequests,
    );
    assert_eq!(res.header("retry-after"), Some("3600"));
    let elsewhere = app
        .post_json_from("/user/register", &body, "198.51.100.9:1".parse().unwrap())
        .await;
    assert_eq!(
        elsewhere.status,
        StatusCode::CREATED,
        "other addresses are not affected"
    );
}
