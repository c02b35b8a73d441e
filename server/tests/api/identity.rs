//! Who am I: `/user/v1/whoami`, `/actor/v1/whoami` and the public `/config`.
use axum::http::StatusCode;
use serde_json::json;

use crate::common::*;

async fn actor_id(app: &TestApp, user_id: i64) -> i64 {
    sqlx::query_scalar("SELECT actor_id FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn user_whoami_has_exactly_id_username_email() {
    let app = TestApp::new().await;
    let token = app.register("xena@example.com").await;
    let res = app.get("/user/v1/whoami", Some(&token)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("content-type"), Some("application/json"));
    assert_eq!(res.header("cache-control"), Some("no-store"));
    assert_eq!(
        res.json(),
        json!({"id": user_id(&token), "username": "xena", "email": "xena@example.com"})
    );
    app.get("/user/v1/whoami", None)
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn actor_whoami_describes_the_user_actor() {
    let app = TestApp::new().await;
    app.register("first@example.com").await; // so user and actor ids are not both 1 by luck
    let token = app.register("yuri@example.com").await;
    let uid = user_id(&token);
    let res = app.get("/actor/v1/whoami", Some(&token)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(
        res.json(),
        json!({
            "id": actor_id(&app, uid).await,
            "actorType": "user",
            "actorTypeId": uid,
            "username": "yuri",
            "email": "yuri@example.com"
        })
    );
    app.get("/actor/v1/whoami", None)
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn public_config_needs_no_auth() {
    let app = TestApp::new().await;
    let res = app.get("/config", None).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("content-type"), Some("application/json"));
    assert_eq!(
        res.json(),
        json!({
            "providers": [],
            "signInProviders": [],
            "passwordMinLength": 8,
            "passwordMaxLength": 128
        })
    );
}

#[tokio::test]
async fn v7_user_lists_only_your_own_row() {
    let app = TestApp::new().await;
    let other = app.register("zack@example.com").await;
    app.clock.advance(std::time::Duration::from_millis(1_234));
    let token = app.register("amy@example.com").await;
    let uid = user_id(&token);
    let own = json!({"d": [{
        "id": uid,
        "actor": {"__id": actor_id(&app, uid).await},
        "username": "amy",
        "email": "amy@example.com",
        "has_password_set": true,
        "is_verified": false,
        "created_at": "2026-01-01T00:00:01.234Z"
    }]});
    for path in ["/v7/user".to_owned(), format!("/v7/user({uid})")] {
        let res = app.get(&path, Some(&token)).await;
        assert_eq!(res.status, StatusCode::OK, "{path}");
        assert_eq!(res.header("content-type"), Some("application/json"));
        assert_eq!(res.json(), own, "{path}");
    }
    let res = app
        .get(&format!("/v7/user({})", user_id(&other)), Some(&token))
        .await;
    assert_eq!(
        res.json(),
        json!({"d": []}),
        "another user's row is invisible"
    );
    let res = app.get("/v7/user(999)", Some(&token)).await;
    assert_eq!(res.json(), json!({"d": []}));
    app.get("/v7/user", None)
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn v7_user_select_and_unsupported_options() {
    let app = TestApp::new().await;
    let token = app.register("bea@example.com").await;
    let res = app.get("/v7/user?$select=id,username", Some(&token)).await;
    assert_eq!(
        res.json(),
        json!({"d": [{"id": user_id(&token), "username": "bea"}]})
    );
    let res = app.get("/v7/user?%24select=email", Some(&token)).await;
    assert_eq!(res.json(), json!({"d": [{"email": "bea@example.com"}]}));

    app.get("/v7/user?$select=id,password_hash", Some(&token))
        .await
        .assert_error(
            StatusCode::BAD_REQUEST,
            "$select: Unknown field 'password_hash' of 'user'",
        );
    // $filter and $expand are the OData engine's (tests/api/odata.rs); unknown options are not.
    app.get("/v7/user?$search=bea", Some(&token))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "Unsupported query option: $search");
    app.get("/v7/user(abc)", Some(&token))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "Invalid resource key");
    app.get("/v7/release", Some(&token))
        .await
        .assert_empty(StatusCode::NOT_FOUND);
}
