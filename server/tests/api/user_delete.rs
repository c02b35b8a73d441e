//! `DELETE /v7/user(<id>)` (contract §8): own numeric id, fresh authentication, everything
//! the user owns deleted in one transaction (checked table by table).
use std::time::Duration;

use axum::http::{Method, StatusCode};
use serde_json::json;
use wire::ErrorCode;

use super::api_keys::new_key;
use crate::common::*;

async fn delete_user(app: &TestApp, path: &str, token: &str) -> TestResponse {
    app.send(json_request(Method::DELETE, path, &json!({}), Some(token)))
        .await
}

async fn exec(app: &TestApp, sql: &'static str, args: &[i64]) -> i64 {
    let mut q = sqlx::query_scalar::<_, i64>(sql);
    for a in args {
        q = q.bind(*a);
    }
    q.fetch_optional(&app.state.db).await.unwrap().unwrap_or(0)
}

/// An application with a device, tags, variables, a member and API keys of both, in the
/// organization `org_id`; returns the application's id.
async fn add_application(app: &TestApp, org_id: i64, name: &str, member: i64) -> i64 {
    let db = &app.state.db;
    let actor = |kind: &'static str| async move {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO actors (actor_type, created_at) VALUES ($1, 0) RETURNING id",
        )
        .bind(kind)
        .fetch_one(db)
        .await
        .unwrap()
    };
    let app_actor = actor("application").await;
    let app_id: i64 = sqlx::query_scalar(
        "INSERT INTO applications (actor_id, organization_id, app_name, slug, created_at)
         VALUES ($1, $2, $3, $3, 0) RETURNING id",
    )
    .bind(app_actor)
    .bind(org_id)
    .bind(name)
    .fetch_one(db)
    .await
    .unwrap();
    let dev_actor = actor("device").await;
    let dev_id: i64 = sqlx::query_scalar(
        "INSERT INTO devices (actor_id, application_id, uuid, device_name, created_at)
         VALUES ($1, $2, $3, 'pi', 0) RETURNING id",
    )
    .bind(dev_actor)
    .bind(app_id)
    .bind(format!("{name}-uuid"))
    .fetch_one(db)
    .await
    .unwrap();
    for sql in [
        "INSERT INTO device_tags (device_id, tag_key, value) VALUES ($1, 'k', 'v')",
        "INSERT INTO device_environment_variables (device_id, name, value) VALUES ($1, 'K', 'v')",
    ] {
        sqlx::query(sql).bind(dev_id).execute(db).await.unwrap();
    }
    sqlx::query(
        "INSERT INTO application_environment_variables (application_id, name, value)
         VALUES ($1, 'K', 'v')",
    )
    .bind(app_id)
    .execute(db)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO user_application_memberships (user_id, application_id, role_id, created_at)
         VALUES ($1, $2, 1, 0)",
    )
    .bind(member)
    .bind(app_id)
    .execute(db)
    .await
    .unwrap();
    for (actor, hash) in [
        (app_actor, format!("{name}-a")),
        (dev_actor, format!("{name}-d")),
    ] {
        sqlx::query("INSERT INTO api_keys (actor_id, key_hash, created_at) VALUES ($1, $2, 0)")
            .bind(actor)
            .bind(hash)
            .execute(db)
            .await
            .unwrap();
    }
    app_id
}

async fn personal_org(app: &TestApp, user: i64) -> i64 {
    exec(
        app,
        "SELECT o.id FROM organizations o JOIN users u ON u.username = o.handle WHERE u.id = $1",
        &[user],
    )
    .await
}

/// Rows per table, for a before/after comparison.
async fn counts(app: &TestApp) -> Vec<(&'static str, i64)> {
    let mut out = Vec::new();
    for table in [
        "actors",
        "users",
        "organizations",
        "organization_memberships",
        "sessions",
        "api_keys",
        "applications",
        "user_application_memberships",
        "devices",
        "device_tags",
        "device_environment_variables",
        "application_environment_variables",
        "totp_credentials",
        "recovery_codes",
        "user_identities",
        "password_reset_tokens",
    ] {
        let n: i64 =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
                .fetch_one(&app.state.db)
                .await
                .unwrap();
        out.push((table, n));
    }
    out
}

#[tokio::test]
async fn deletion_removes_every_owned_row_and_nothing_else() {
    let app = TestApp::new().await;
    // Bob's things must survive Alice's deletion.
    let bob = app.register("bob@example.com").await;
    let bob_id = user_id(&bob);
    add_application(&app, personal_org(&app, bob_id).await, "bobapp", bob_id).await;
    new_key(&app, &bob, "bob-key").await;
    let before = counts(&app).await;

    let alice = app.register("alice@example.com").await;
    let alice_id = user_id(&alice);
    let org = personal_org(&app, alice_id).await;
    add_application(&app, org, "aliceapp", alice_id).await;
    new_key(&app, &alice, "alice-key").await;
    app.login("alice", PASSWORD).await;
    app.login("alice", "Wrong-pass-word-1").await; // a rate-limit row keyed by her id
    sqlx::query(
        "INSERT INTO totp_credentials (user_id, secret_ciphertext, created_at) VALUES ($1, $2, 0)",
    )
    .bind(alice_id)
    .bind(vec![0_u8])
    .execute(&app.state.db)
    .await
    .unwrap();
    for sql in [
        "INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES ($1, 'rc', 0)",
        "INSERT INTO user_identities (user_id, provider, subject, created_at) VALUES ($1, 'oidc', 's', 0)",
        "INSERT INTO password_reset_tokens (user_id, token_hash, created_at, expires_at) VALUES ($1, 't', 0, 0)",
    ] {
        sqlx::query(sql).bind(alice_id).execute(&app.state.db).await.unwrap();
    }
    // Alice is also a member of an application in Bob's organization.
    sqlx::query(
        "INSERT INTO user_application_memberships (user_id, application_id, role_id, created_at)
         SELECT $1, id, 1, 0 FROM applications WHERE app_name = 'bobapp'",
    )
    .bind(alice_id)
    .execute(&app.state.db)
    .await
    .unwrap();

    let res = delete_user(&app, &format!("/v7/user({alice_id})"), &alice).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert!(res.body.is_empty());
    assert_eq!(counts(&app).await, before);
    // Counters keyed by her id go too (the client address's stay: they are not hers).
    let key = format!("login:user:{alice_id}");
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rate_limits WHERE key = $1")
        .bind(&key)
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(left, 0);
    app.get("/user/v1/whoami", Some(&alice))
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
    app.login("alice", PASSWORD)
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.get("/user/v1/whoami", Some(&bob)).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_sole_administrator_of_an_organization_with_members_is_refused() {
    let app = TestApp::new().await;
    let alice = app.register("alice@example.com").await;
    let bob = app.register("bob@example.com").await;
    let (alice_id, bob_id) = (user_id(&alice), user_id(&bob));
    let acme: i64 = sqlx::query_scalar(
        "INSERT INTO organizations (name, handle, created_at) VALUES ('Acme Ltd', 'acme', 0)
         RETURNING id",
    )
    .fetch_one(&app.state.db)
    .await
    .unwrap();
    for (user, role) in [(alice_id, 1), (bob_id, 2)] {
        sqlx::query(
            "INSERT INTO organization_memberships (user_id, organization_id, role_id, created_at)
             VALUES ($1, $2, $3, 0)",
        )
        .bind(user)
        .bind(acme)
        .bind(role)
        .execute(&app.state.db)
        .await
        .unwrap();
    }
    delete_user(&app, &format!("/v7/user({alice_id})"), &alice)
        .await
        .assert_coded(
            StatusCode::CONFLICT,
            "You are the only administrator of Acme Ltd, which has other members. \
             Make someone else an administrator first.",
            ErrorCode::LastAdministrator,
        );
    assert_eq!(
        app.get("/user/v1/whoami", Some(&alice)).await.status,
        StatusCode::OK
    );
    // With a second administrator Alice may go; Acme stays.
    sqlx::query("UPDATE organization_memberships SET role_id = 1 WHERE user_id = $1")
        .bind(bob_id)
        .execute(&app.state.db)
        .await
        .unwrap();
    let res = delete_user(&app, &format!("/v7/user({alice_id})"), &alice).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(
        exec(
            &app,
            "SELECT COUNT(*) FROM organizations WHERE id = $1",
            &[acme]
        )
        .await,
        1
    );
}

#[tokio::test]
async fn only_the_own_numeric_id_with_fresh_authentication_from_a_session() {
    let app = TestApp::new().await;
    let alice = app.register("alice@example.com").await;
    let bob = app.register("bob@example.com").await;
    let alice_id = user_id(&alice);
    delete_user(&app, "/v7/user", &alice)
        .await
        .assert_error(StatusCode::BAD_REQUEST, "You must provide user ID");
    delete_user(&app, &format!("/v7/user({})", user_id(&bob)), &alice)
        .await
        .assert_error(
            StatusCode::BAD_REQUEST,
            "You can only delete your own account",
        );
    let (key, _) = new_key(&app, &alice, "ci").await;
    delete_user(&app, &format!("/v7/user({alice_id})"), &key)
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
    app.clock.advance(Duration::from_secs(21 * 60));
    delete_user(&app, &format!("/v7/user({alice_id})"), &alice)
        .await
        .assert_coded(
            StatusCode::UNAUTHORIZED,
            "Fresh authentication token required",
            ErrorCode::FreshAuthRequired,
        );
    assert_eq!(
        app.get("/user/v1/whoami", Some(&bob)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/user/v1/whoami", Some(&alice)).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_personal_organization_others_now_run_is_never_deleted() {
    let app = TestApp::new().await;
    let alice = app.register("alice@example.com").await;
    let bob = app.register("bob@example.com").await;
    let (alice_id, bob_id) = (user_id(&alice), user_id(&bob));
    let org = personal_org(&app, alice_id).await;
    // bob becomes administrator of alice's organization and runs an application there.
    exec(
        &app,
        "INSERT INTO organization_memberships (user_id, organization_id, role_id, created_at)
         SELECT $1, $2, id, 0 FROM organization_membership_roles WHERE name = 'administrator'",
        &[bob_id, org],
    )
    .await;
    let fleet = add_application(&app, org, "fleet", bob_id).await;

    // Demoted, alice is refused, with the organization named.
    exec(
        &app,
        "UPDATE organization_memberships SET role_id =
             (SELECT id FROM organization_membership_roles WHERE name = 'member')
         WHERE user_id = $1 AND organization_id = $2",
        &[alice_id, org],
    )
    .await;
    let res = delete_user(&app, &format!("/v7/user({alice_id})"), &alice).await;
    res.assert_coded(
        StatusCode::CONFLICT,
        "The organization alice has other members. Leave it, or remove its other members, before deleting your account.",
ErrorCode::OrganizationHasMembers,
    );
    // Removed from it, she may go, and bob's organization stays with its application.
    exec(
        &app,
        "DELETE FROM organization_memberships WHERE user_id = $1 AND organization_id = $2",
        &[alice_id, org],
    )
    .await;
    let res = delete_user(&app, &format!("/v7/user({alice_id})"), &alice).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(
        exec(
            &app,
            "SELECT COUNT(*) FROM applications WHERE id = $1",
            &[fleet]
        )
        .await,
        1
    );
    assert_eq!(
        exec(
            &app,
            "SELECT COUNT(*) FROM organizations WHERE id = $1",
            &[org]
        )
        .await,
        1
    );
}
