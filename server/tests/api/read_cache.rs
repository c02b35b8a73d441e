//! Sessions and OData reads come from memory while the database is unchanged: any commit, by
//! any connection of any process, must be seen by the very next request. The changes here are
//! made through a connection of their own, as another process (or an operator's SQL) would.
use axum::http::StatusCode;
use sqlx::Connection;

use crate::api_keys::{names, new_key};
use crate::common::{user_id, TestApp};

const KEYS: &str = "/v7/api_key?$select=name";

/// Runs `sql` on a connection outside the server's pool.
async fn elsewhere(app: &TestApp, sql: &'static str, bind: i64) {
    let mut conn = sqlx::AnyConnection::connect(&app.db_url).await.unwrap();
    sqlx::query(sql)
        .bind(bind)
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
}

#[tokio::test]
async fn a_session_deleted_by_another_connection_is_refused_next() {
    let app = TestApp::new().await;
    let token = app.register("ada@example.com").await;
    for _ in 0..3 {
        assert_eq!(app.get(KEYS, Some(&token)).await.status, StatusCode::OK);
    }
    elsewhere(
        &app,
        "DELETE FROM sessions WHERE user_id = $1",
        user_id(&token),
    )
    .await;
    app.get(KEYS, Some(&token))
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_list_changed_by_another_connection_is_answered_fresh() {
    let app = TestApp::new().await;
    let token = app.register("ada@example.com").await;
    let (_, id) = new_key(&app, &token, "ci").await;
    for _ in 0..3 {
        assert_eq!(names(&app, &token).await, ["ci"]);
    }
    elsewhere(
        &app,
        "UPDATE api_keys SET name = 'deploy' WHERE id = $1",
        id,
    )
    .await;
    assert_eq!(names(&app, &token).await, ["deploy"]);
    elsewhere(&app, "DELETE FROM api_keys WHERE id = $1", id).await;
    assert_eq!(names(&app, &token).await, Vec::<String>::new());
}

#[tokio::test]
async fn the_same_request_by_two_users_gets_each_their_own_rows() {
    let app = TestApp::new().await;
    let ada = app.register("ada@example.com").await;
    let bob = app.register("bob@example.com").await;
    new_key(&app, &ada, "ada's").await;
    new_key(&app, &bob, "bob's").await;
    for _ in 0..2 {
        assert_eq!(names(&app, &ada).await, ["ada's"]);
        assert_eq!(names(&app, &bob).await, ["bob's"]);
    }
    app.get(KEYS, None)
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
}
