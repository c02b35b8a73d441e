//! Two server instances on one database behave as one service: what one instance changes,
//! the other enforces on its very next request. Each instance has its own state and pool
//! (`TestApp::replica`); on SQLite they share the file, on PostgreSQL the database.
use axum::http::{Method, StatusCode};
use serde_json::json;
use tower::ServiceExt;

use crate::api_keys::{delete, new_key, works};
use crate::applications::{count, org_of, post};
use crate::common::{json_request, user_id, TestApp, PASSWORD};
use crate::session::logout;
use crate::two_factor::{code, enrolled, partial_login, verify};

#[tokio::test]
async fn a_session_logged_out_on_one_is_refused_by_the_other() {
    let a = TestApp::new().await;
    let b = a.replica(&[]).await;
    let token = a.register("ada@example.com").await;
    assert_eq!(
        b.get("/user/v1/whoami", Some(&token)).await.status,
        StatusCode::OK
    );
    assert_eq!(logout(&a, &token).await.status, StatusCode::OK);
    b.get("/user/v1/whoami", Some(&token))
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_key_revoked_on_one_is_refused_by_the_other() {
    let a = TestApp::new().await;
    let b = a.replica(&[]).await;
    let token = a.register("ada@example.com").await;
    let (key, id) = new_key(&a, &token, "ci").await;
    assert!(works(&b, &key).await);
    let res = delete(&a, &format!("/v7/api_key({id})"), &token).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert!(!works(&b, &key).await);
}

#[tokio::test]
async fn wrong_passwords_count_across_instances() {
    let a = TestApp::new().await;
    let b = a.replica(&[]).await;
    a.register("judy@example.com").await;
    for i in 0..10 {
        let instance = if i % 2 == 0 { &a } else { &b };
        instance
            .login("judy", "wrong-Password-1")
            .await
            .assert_empty(StatusCode::UNAUTHORIZED);
    }
    // Ten failures, five on each: the account is blocked on both.
    for instance in [&a, &b] {
        assert_eq!(
            instance.login("judy", PASSWORD).await.status,
            StatusCode::TOO_MANY_REQUESTS
        );
    }
}

#[tokio::test]
async fn a_totp_code_used_on_one_is_refused_by_the_other() {
    let a = TestApp::new().await;
    let b = a.replica(&[]).await;
    let user = enrolled(&a, "gina@example.com").await;
    let now_code = code(&a, &user.secret);
    let on_a = partial_login(&a, &user.username).await;
    let on_b = partial_login(&b, &user.username).await;
    assert_eq!(verify(&a, &on_a, &now_code).await.status, StatusCode::OK);
    verify(&b, &on_b, &now_code)
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
}

/// The two administrators of an organization step down at the same moment, each through a
/// different instance, many times over: exactly one succeeds each time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_administrators_demoting_each_other_on_two_instances_leave_one() {
    let a = TestApp::new().await;
    let b = a.replica(&[]).await;
    let alice = a.register("alice@example.com").await;
    let bob = a.register("bob@example.com").await;
    let org = org_of(&a, &alice).await;
    let res = post(&a, "/v7/organization_membership", &json!({"username": "bob", "is_member_of__organization": org, "organization_membership_role": 1}), &alice).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let bob_m = res.json()["id"].as_i64().unwrap();
    let alice_m = count(&a, &format!("SELECT id FROM organization_memberships WHERE organization_id = {org} AND user_id = {}", user_id(&alice))).await;
    let admins = format!("SELECT COUNT(*) FROM organization_memberships om JOIN organization_membership_roles r ON r.id = om.role_id WHERE om.organization_id = {org} AND r.name = 'administrator'");
    for round in 0..6 {
        let (method, body) = if round % 2 == 0 {
            (Method::PATCH, json!({"organization_membership_role": 2}))
        } else {
            (Method::DELETE, json!({}))
        };
        let spawn = |instance: &TestApp, id: i64, token: &str| {
            let path = format!("/v7/organization_membership({id})");
            let req = json_request(method.clone(), &path, &body, Some(token));
            let router = instance.router.clone();
            tokio::spawn(async move { router.oneshot(req).await.unwrap().status() })
        };
        let (x, y) = (spawn(&a, alice_m, &alice), spawn(&b, bob_m, &bob));
        let mut statuses = [x.await.unwrap(), y.await.unwrap()];
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::OK, StatusCode::BAD_REQUEST],
            "round {round}"
        );
        assert_eq!(count(&b, &admins).await, 1, "round {round}");
        for (user, id) in [(user_id(&alice), alice_m), (user_id(&bob), bob_m)] {
            sqlx::query("INSERT INTO organization_memberships (id, user_id, organization_id, role_id, created_at) VALUES ($1, $2, $3, 1, 0) ON CONFLICT (id) DO UPDATE SET role_id = 1")
                .bind(id).bind(user).bind(org).execute(&a.state.db).await.unwrap();
        }
    }
}
