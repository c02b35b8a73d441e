//! The OData engine over HTTP: `/v7/user`, `/v7/actor`, `$count`, `$expand`, and hostile input
//! (every bad query is a 400 with a readable JSON string, never a 500).
use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::api_keys::{actor_of, delete, new_key, patch};
use crate::common::*;

#[tokio::test]
async fn user_queries_filter_select_expand_and_count() {
    let app = TestApp::new().await;
    app.register("other@example.com").await;
    let token = app.register("tia@example.com").await;
    let uid = user_id(&token);
    let actor = actor_of(&app, &token).await;

    let res = app
        .get("/v7/user?$select=username&$filter=username%20eq%20'tia'%20and%20created_at%20ge%20'2026-01-01'", Some(&token))
        .await;
    assert_eq!(res.json(), json!({"d": [{"username": "tia"}]}));
    // Another user's row cannot be reached by filtering for it.
    let res = app
        .get("/v7/user?$filter=username%20eq%20'other'", Some(&token))
        .await;
    assert_eq!(res.json(), json!({"d": []}));
    let res = app
        .get(
            "/v7/user?$select=id&$expand=actor($select=id)",
            Some(&token),
        )
        .await;
    assert_eq!(
        res.json(),
        json!({"d": [{"id": uid, "actor": [{"id": actor}]}]})
    );
    let res = app
        .get(
            &format!("/v7/user?$filter=actor/id%20eq%20{actor}"),
            Some(&token),
        )
        .await;
    assert_eq!(res.json()["d"].as_array().unwrap().len(), 1);
    assert_eq!(
        app.get("/v7/user/$count", Some(&token)).await.json(),
        json!({"d": 1})
    );
    assert_eq!(
        app.get(
            "/v7/user/$count?$filter=username%20eq%20'nobody'",
            Some(&token)
        )
        .await
        .json(),
        json!({"d": 0})
    );
    assert_eq!(
        app.get("/v7/actor", Some(&token)).await.json(),
        json!({"d": [{"id": actor}]})
    );

    let (_, key_id) = new_key(&app, &token, "k").await;
    let res = app
        .get(
            &format!("/v7/api_key({key_id})?$select=name&$expand=is_of__actor"),
            Some(&token),
        )
        .await;
    assert_eq!(
        res.json(),
        json!({"d": [{"name": "k", "is_of__actor": [{"id": actor}]}]})
    );
    let res = app
        .get(
            "/v7/api_key?$select=name&$filter=is_of__actor/id%20eq%200",
            Some(&token),
        )
        .await;
    assert_eq!(res.json(), json!({"d": []}));
}

#[tokio::test]
async fn bad_queries_are_readable_400s() {
    let app = TestApp::new().await;
    let token = app.register("uma@example.com").await;
    let cases = [
        (
            "/v7/user?$select=id,password_hash",
            "$select: Unknown field 'password_hash' of 'user'",
        ),
        (
            "/v7/user?$filter=password_hash%20ne%20null",
            "$filter: Unknown field 'password_hash' of 'user'",
        ),
        (
            "/v7/user?$filter=id%20eq",
            "$filter: expected a field or a literal: unexpected end at position 6",
        ),
        (
            "/v7/user?$filter=id%20eq%201%3B%20DROP%20TABLE%20users",
            "$filter: unexpected character ';' at position 8",
        ),
        (
            "/v7/user?$filter=startswith(username,'a')",
            "$filter: expected an operator (eq, ne, gt, ge, lt, le, in) at position 11",
        ),
        (
            "/v7/user?$filter=id%20eq%20'1'",
            "$filter: 'id' cannot be compared with '1': wrong type",
        ),
        (
            "/v7/user?$expand=organization",
            "$expand: Unknown navigation 'organization' of 'user'",
        ),
        (
            "/v7/user?$orderby=username%20up",
            "$orderby: expected asc or desc, found \"up\" at position 1",
        ),
        ("/v7/user?$top=-1", "$top: must be a non-negative integer"),
        (
            "/v7/user?$top=99999999999999999999",
            "$top: must be a non-negative integer",
        ),
        ("/v7/user?$search=x", "Unsupported query option: $search"),
        ("/v7/user(abc)", "Invalid resource key"),
    ];
    for (path, msg) in cases {
        app.get(path, Some(&token))
            .await
            .assert_error(StatusCode::BAD_REQUEST, msg);
    }
    let deep = format!(
        "/v7/user?$filter={}id%20eq%201{}",
        "(".repeat(40),
        ")".repeat(40)
    );
    app.get(&deep, Some(&token)).await.assert_error(
        StatusCode::BAD_REQUEST,
        "$filter: expression nested too deeply at position 33",
    );
    let long = format!("/v7/user?$filter={}", "id%20eq%201%20or%20".repeat(1000));
    app.get(&long, Some(&token)).await.assert_error(
        StatusCode::BAD_REQUEST,
        "query string longer than 16384 bytes",
    );
    let res = app
        .get(&format!("/v7/user?$top={}&$skip=0", i64::MAX), Some(&token))
        .await;
    assert_eq!(
        res.json()["d"].as_array().unwrap().len(),
        1,
        "a huge $top is just a bound"
    );

    // Injection attempts in literals are values, in names they are unknown fields.
    for filter in [
        "username%20eq%20'x''%20OR%20''1''=''1'",
        "username%20eq%20'''%20OR%201=1%20--'",
        "username%20in%20('a'')%20OR%20(1=1','b')",
    ] {
        let res = app
            .get(&format!("/v7/user?$filter={filter}"), Some(&token))
            .await;
        assert_eq!(res.json(), json!({"d": []}), "{filter}");
    }
    app.get("/v7/user?$select=id%20FROM%20users--", Some(&token))
        .await
        .assert_error(
            StatusCode::BAD_REQUEST,
            "$select: invalid name \"id FROM users--\" at position 1",
        );
    app.get("/v7/release", Some(&token))
        .await
        .assert_empty(StatusCode::NOT_FOUND);
    app.get("/v7/user/$metadata", Some(&token))
        .await
        .assert_empty(StatusCode::NOT_FOUND);
    app.get("/v7/user", None)
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn read_only_resources_refuse_writes() {
    let app = TestApp::new().await;
    let token = app.register("vic@example.com").await;
    let me = format!("/v7/user({})", user_id(&token));
    patch(&app, &me, &json!({"username": "evil"}), &token)
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
    // Deleting one's own user is allowed (tests/api/user_delete.rs); deleting
    // someone else's is not.
    delete(&app, "/v7/user(999)", &token).await.assert_error(
        StatusCode::BAD_REQUEST,
        "You can only delete your own account",
    );
    delete(&app, "/v7/nothing", &token)
        .await
        .assert_empty(StatusCode::NOT_FOUND);
    let res = app
        .send(json_request(
            Method::POST,
            "/v7/api_key",
            &json!({"name": "x"}),
            Some(&token),
        ))
        .await;
    // POST exists for the application, member and device resources; API keys are created by /api-key/user/full only.
    res.assert_empty(StatusCode::UNAUTHORIZED);
    let who = app.get("/user/v1/whoami", Some(&token)).await.json();
    assert_eq!(who["username"], json!("vic"));
}
