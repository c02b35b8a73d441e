//! Application and organization members: adding by email and by username (joining
//! the organization as member), errors, the plan rule, leaving, role changes applying on the
//! next request, the last administrator (also under a race), and the SDK's exact requests
//! (contract §7).
use axum::http::{Method, StatusCode};
use serde_json::json;
use tower::ServiceExt;
use wire::ErrorCode;

use crate::api_keys::{delete, patch};
use crate::applications::*;
use crate::common::*;

const UAM: &str = "/v7/user_application_membership";

async fn org_role(app: &TestApp, user: i64, org: i64) -> Option<String> {
    sqlx::query_scalar(
        "SELECT r.name FROM organization_memberships om
         JOIN organization_membership_roles r ON r.id = om.role_id
         WHERE om.user_id = $1 AND om.organization_id = $2",
    )
    .bind(user)
    .bind(org)
    .fetch_optional(&app.state.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn add_by_email_and_username_joins_the_organization() {
    let app = TestApp::new().await;
    let alice = app.register("alice@example.com").await;
    let bob = app.register("bob@example.com").await;
    let carol = app.register("carol@example.com").await;
    let org = org_of(&app, &alice).await;
    let fleet = create_app(&app, &alice, org, "Fleet1").await;
    assert_eq!(org_role(&app, user_id(&bob), org).await, None);

    let res = post(
        &app,
        UAM,
        &json!({"email": "Bob@Example.com", "is_member_of__application": fleet}),
        &alice,
    )
    .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let body = res.json();
    assert_eq!(body["user"], json!({"__id": user_id(&bob)}));
    assert_eq!(body["is_member_of__application"], json!({"__id": fleet}));
    // Default role: developer.
    assert_eq!(body["application_membership_role"], json!({"__id": 1}));
    assert!(res
        .header("location")
        .unwrap()
        .starts_with("/v7/user_application_membership("));
    assert_eq!(
        org_role(&app, user_id(&bob), org).await.as_deref(),
        Some("member")
    );

    let res = post(&app, UAM, &json!({"username": "carol", "is_member_of__application": fleet, "application_membership_role": 1}), &alice).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    assert_eq!(
        org_role(&app, user_id(&carol), org).await.as_deref(),
        Some("member")
    );
    // bob now sees the application and the organization; carol sees bob as a co-member.
    assert_eq!(
        rows(&app, &format!("/v7/application({fleet})?$select=id"), &bob)
            .await
            .len(),
        1
    );
    assert_eq!(
        rows(
            &app,
            &format!("/v7/user({})?$select=username", user_id(&bob)),
            &carol
        )
        .await
        .len(),
        1
    );

    post(
        &app,
        UAM,
        &json!({"username": "bob", "is_member_of__application": fleet}),
        &alice,
    )
    .await
    .assert_coded(
        StatusCode::CONFLICT,
        "This user is already a member of the application",
        ErrorCode::AlreadyExists,
    );
    for who in [
        json!({"username": "nobody"}),
        json!({"email": "nobody@example.com"}),
    ] {
        let mut body = who.clone();
        body["is_member_of__application"] = json!(fleet);
        post(&app, UAM, &body, &alice).await.assert_coded(
            StatusCode::BAD_REQUEST,
            "No user with that username or email",
            ErrorCode::NoSuchUser,
        );
    }
    post(
        &app,
        UAM,
        &json!({"username": "bob", "email": "bob@example.com", "is_member_of__application": fleet}),
        &alice,
    )
    .await
    .assert_error(
        StatusCode::BAD_REQUEST,
        "Give exactly one of username or email",
    );
    post(
        &app,
        UAM,
        &json!({"username": "bob", "is_member_of__application": fleet, "created_at": "2020-01-01"}),
        &alice,
    )
    .await
    .assert_error(
        StatusCode::BAD_REQUEST,
        "Field 'created_at' of 'user_application_membership' cannot be set here",
    );
    // A member (developer) cannot add members.
    let before = count(&app, "SELECT COUNT(*) FROM user_application_memberships").await;
    let dan = app.register("dan@example.com").await;
    post(
        &app,
        UAM,
        &json!({"username": "dan", "is_member_of__application": fleet}),
        &bob,
    )
    .await
    .assert_empty(StatusCode::UNAUTHORIZED);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM user_application_memberships").await,
        before
    );
    assert_eq!(org_role(&app, user_id(&dan), org).await, None);
}

#[tokio::test]
async fn plan_rule() {
    let app = TestApp::new().await;
    let alice = app.register("alice@example.com").await;
    let bob = app.register("bob@example.com").await;
    app.register("carol@example.com").await;
    let org = org_of(&app, &alice).await;
    let fleet = create_app(&app, &alice, org, "Fleet1").await;
    for role in [2, 3] {
        post(&app, UAM, &json!({"username": "bob", "is_member_of__application": fleet, "application_membership_role": role}), &alice)
            .await
            .assert_coded(StatusCode::BAD_REQUEST, "Operator and Observer need a paid plan: this organization is on the free plan", ErrorCode::PaidPlanRequired);
    }
    // Nothing half-done: bob did not join the organization either.
    assert_eq!(org_role(&app, user_id(&bob), org).await, None);
    let m = add_member(&app, &alice, fleet, "bob", "developer").await;
    patch(
        &app,
        &format!("{UAM}({m})"),
        &json!({"application_membership_role": 2}),
        &alice,
    )
    .await
    .assert_coded(
        StatusCode::BAD_REQUEST,
        "Operator and Observer need a paid plan: this organization is on the free plan",
        ErrorCode::PaidPlanRequired,
    );
    // Only an administrator switches the plan; bob (a member who can see it) gets 401.
    patch(
        &app,
        &format!("/v7/organization({org})"),
        &json!({"billing_plan": "paid"}),
        &bob,
    )
    .await
    .assert_empty(StatusCode::UNAUTHORIZED);
    patch(
        &app,
        &format!("/v7/organization({org})"),
        &json!({"billing_plan": "gold"}),
        &alice,
    )
    .await
    .assert_error(
        StatusCode::BAD_REQUEST,
        "billing_plan must be 'free' or 'paid'",
    );
    patch(
        &app,
        &format!("/v7/organization({org})"),
        &json!({"name": "x"}),
        &alice,
    )
    .await
    .assert_error(
        StatusCode::BAD_REQUEST,
        "Field 'name' of 'organization' cannot be set here",
    );
    set_plan(&app, &alice, org, "paid").await;
    let res = patch(
        &app,
        &format!("{UAM}({m})"),
        &json!({"application_membership_role": 2}),
        &alice,
    )
    .await;
    assert_eq!(res.status, StatusCode::OK);
    add_member(&app, &alice, fleet, "carol", "observer").await;
}

#[tokio::test]
async fn role_changes_and_removal_apply_on_the_next_request() {
    let app = TestApp::new().await;
    let alice = app.register("alice@example.com").await;
    let bob = app.register("bob@example.com").await;
    let org = org_of(&app, &alice).await;
    set_plan(&app, &alice, org, "paid").await;
    let fleet = create_app(&app, &alice, org, "Fleet1").await;
    let m = add_member(&app, &alice, fleet, "bob", "developer").await;
    let new_var = json!({"application": fleet, "name": "A", "value": "1"});
    assert_eq!(
        post(&app, "/v7/application_environment_variable", &new_var, &bob)
            .await
            .status,
        StatusCode::CREATED
    );
    // A member cannot change their own role (no mass assignment through PATCH).
    patch(
        &app,
        &format!("{UAM}({m})"),
        &json!({"application_membership_role": 1}),
        &bob,
    )
    .await
    .assert_empty(StatusCode::UNAUTHORIZED);
    let res = patch(
        &app,
        &format!("{UAM}({m})"),
        &json!({"application_membership_role": 3}),
        &alice,
    )
    .await;
    assert_eq!(res.status, StatusCode::OK);
    let var2 = json!({"application": fleet, "name": "B", "value": "1"});
    post(&app, "/v7/application_environment_variable", &var2, &bob)
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
    // Still a reader.
    assert_eq!(
        rows(&app, &format!("/v7/application({fleet})"), &bob)
            .await
            .len(),
        1
    );
    // Leaving: bob deletes his own membership; then he sees nothing.
    assert_eq!(
        delete(&app, &format!("{UAM}({m})"), &bob).await.status,
        StatusCode::OK
    );
    assert!(rows(&app, &format!("/v7/application({fleet})"), &bob)
        .await
        .is_empty());
    assert!(rows(&app, "/v7/application_environment_variable", &bob)
        .await
        .is_empty());
}

#[tokio::test]
async fn last_administrator_is_kept() {
    let app = TestApp::new().await;
    let alice = app.register("alice@example.com").await;
    let org = org_of(&app, &alice).await;
    let own: i64 = count(
        &app,
        &format!("SELECT id FROM organization_memberships WHERE organization_id = {org}"),
    )
    .await;
    let msg = "An organization must keep at least one administrator";
    patch(
        &app,
        &format!("/v7/organization_membership({own})"),
        &json!({"organization_membership_role": 2}),
        &alice,
    )
    .await
    .assert_coded(StatusCode::BAD_REQUEST, msg, ErrorCode::LastAdministrator);
    delete(&app, &format!("/v7/organization_membership({own})"), &alice)
        .await
        .assert_coded(StatusCode::BAD_REQUEST, msg, ErrorCode::LastAdministrator);
    assert_eq!(
        org_role(&app, user_id(&alice), org).await.as_deref(),
        Some("administrator")
    );
}

/// Two administrators demote each other at the same moment, many times over: exactly one
/// succeeds each time, and an administrator always remains.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn last_administrator_race() {
    let app = TestApp::new().await;
    let alice = app.register("alice@example.com").await;
    let bob = app.register("bob@example.com").await;
    let org = org_of(&app, &alice).await;
    let res = post(&app, "/v7/organization_membership", &json!({"username": "bob", "is_member_of__organization": org, "organization_membership_role": 1}), &alice).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let bob_m = res.json()["id"].as_i64().unwrap();
    let alice_m: i64 = count(&app, &format!("SELECT id FROM organization_memberships WHERE organization_id = {org} AND user_id = {}", user_id(&alice))).await;
    for round in 0..8 {
        // Each steps down at once: even rounds demote themselves, odd rounds leave. Whoever
        // commits second would leave no administrator and is refused.
        let (method, body) = if round % 2 == 0 {
            (Method::PATCH, json!({"organization_membership_role": 2}))
        } else {
            (Method::DELETE, json!({}))
        };
        let spawn = |id: i64, token: &str| {
            let req = json_request(
                method.clone(),
                &format!("/v7/organization_membership({id})"),
                &body,
                Some(token),
            );
            let router = app.router.clone();
            tokio::spawn(async move { router.oneshot(req).await.unwrap().status() })
        };
        let (a, b) = (spawn(alice_m, &alice), spawn(bob_m, &bob));
        let (a, b) = (a.await.unwrap(), b.await.unwrap());
        let mut statuses = [a, b];
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::OK, StatusCode::BAD_REQUEST],
            "round {round}"
        );
        let admins = count(&app, &format!("SELECT COUNT(*) FROM organization_memberships om JOIN organization_membership_roles r ON r.id = om.role_id WHERE om.organization_id = {org} AND r.name = 'administrator'")).await;
        assert_eq!(admins, 1, "round {round}");
        // Restore two administrators for the next round (by SQL, to keep ids stable).
        for (user, id) in [(user_id(&alice), alice_m), (user_id(&bob), bob_m)] {
            sqlx::query("INSERT INTO organization_memberships (id, user_id, organization_id, role_id, created_at) VALUES ($1, $2, $3, 1, 0) ON CONFLICT (id) DO UPDATE SET role_id = 1")
                .bind(id).bind(user).bind(org).execute(&app.state.db).await.unwrap();
        }
    }
}

#[tokio::test]
async fn organization_members_are_managed_by_administrators() {
    let app = TestApp::new().await;
    let alice = app.register("alice@example.com").await;
    let bob = app.register("bob@example.com").await;
    app.register("carol@example.com").await;
    let org = org_of(&app, &alice).await;
    let fleet = create_app(&app, &alice, org, "Fleet1").await;
    let res = post(
        &app,
        "/v7/organization_membership",
        &json!({"email": "bob@example.com", "is_member_of__organization": org}),
        &alice,
    )
    .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    assert_eq!(
        res.json()["organization_membership_role"],
        json!({"__id": 2})
    );
    let bob_m = res.json()["id"].as_i64().unwrap();
    // bob, a plain member, cannot add, promote or remove.
    post(
        &app,
        "/v7/organization_membership",
        &json!({"username": "carol", "is_member_of__organization": org}),
        &bob,
    )
    .await
    .assert_empty(StatusCode::UNAUTHORIZED);
    patch(
        &app,
        &format!("/v7/organization_membership({bob_m})"),
        &json!({"organization_membership_role": 1}),
        &bob,
    )
    .await
    .assert_empty(StatusCode::UNAUTHORIZED);
    post(
        &app,
        "/v7/organization_membership",
        &json!({"username": "bob", "is_member_of__organization": org}),
        &alice,
    )
    .await
    .assert_coded(
        StatusCode::CONFLICT,
        "This user is already a member of the organization",
        ErrorCode::AlreadyExists,
    );
    // Leaving the organization also ends bob's application memberships there.
    add_member(&app, &alice, fleet, "bob", "developer").await;
    assert_eq!(
        delete(&app, &format!("/v7/organization_membership({bob_m})"), &bob)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM user_application_memberships").await,
        0
    );
    assert!(rows(&app, &format!("/v7/organization({org})"), &bob)
        .await
        .is_empty());
}

/// balena-sdk 23's `membership.create/changeRole/remove`, request by request (contract §7).
#[tokio::test]
async fn the_sdks_membership_requests() {
    let app = TestApp::new().await;
    let alice = app.register("alice@example.com").await;
    let bob = app.register("bob@example.com").await;
    let bob_id = user_id(&bob);
    let org = org_of(&app, &alice).await;
    set_plan(&app, &alice, org, "paid").await;
    let fleet = create_app(&app, &alice, org, "Fleet1").await;

    // (1) resolve the application, with bob's organization membership if any (none yet).
    let resolve = format!("/v7/application({fleet})?$select=id&$expand=organization($select=id;$expand=organization_membership($select=id;$filter=user/any(u:u/username%20eq%20'bob')))");
    assert_eq!(
        rows(&app, &resolve, &alice).await,
        vec![json!({"id": fleet, "organization": [{"id": org, "organization_membership": []}]})]
    );
    // (2) the role by name
    let role = rows(
        &app,
        "/v7/application_membership_role(name='observer')?$select=id",
        &alice,
    )
    .await;
    assert_eq!(role, vec![json!({"id": 3})]);
    // (3) create
    let res = post(&app, UAM, &json!({"username": "bob", "is_member_of__application": fleet, "application_membership_role": 3}), &alice).await;
    assert_eq!(res.status, StatusCode::CREATED);
    let m = res.json()["id"].as_i64().unwrap();
    assert_eq!(
        res.json(),
        json!({"id": m, "created_at": res.json()["created_at"], "user": {"__id": bob_id}, "is_member_of__application": {"__id": fleet}, "application_membership_role": {"__id": 3}})
    );
    // Now (1) finds bob's organization membership.
    let d = rows(&app, &resolve, &alice).await;
    assert_eq!(
        d[0]["organization"][0]["organization_membership"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // getAllByApplication / getAllByUser / get
    let all = rows(&app, &format!("{UAM}?$filter=is_member_of__application%20eq%20{fleet}&$expand=user($select=id,username),application_membership_role($select=name)"), &alice).await;
    assert_eq!(all[0]["user"], json!([{"id": bob_id, "username": "bob"}]));
    assert_eq!(
        all[0]["application_membership_role"],
        json!([{"name": "observer"}])
    );
    assert_eq!(
        rows(&app, &format!("{UAM}?$filter=user%20eq%20{bob_id}"), &bob)
            .await
            .len(),
        1
    );
    assert_eq!(
        rows(
            &app,
            &format!("{UAM}?$filter=user/any(u:u/username%20eq%20'bob')"),
            &bob
        )
        .await
        .len(),
        1
    );
    assert_eq!(rows(&app, &format!("{UAM}({m})"), &bob).await.len(), 1);
    // changeRole by id and by alternate key
    let role = rows(
        &app,
        "/v7/application_membership_role(name='operator')?$select=id",
        &alice,
    )
    .await;
    let op = role[0]["id"].as_i64().unwrap();
    assert_eq!(
        patch(
            &app,
            &format!("{UAM}({m})"),
            &json!({"application_membership_role": op}),
            &alice
        )
        .await
        .status,
        StatusCode::OK
    );
    let alt = format!("{UAM}(user={bob_id},is_member_of__application={fleet})");
    assert_eq!(
        patch(
            &app,
            &alt,
            &json!({"application_membership_role": 1}),
            &alice
        )
        .await
        .status,
        StatusCode::OK
    );
    assert_eq!(
        count(
            &app,
            &format!("SELECT role_id FROM user_application_memberships WHERE id = {m}")
        )
        .await,
        1
    );
    // remove
    let res = delete(&app, &format!("{UAM}({m})"), &alice).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.is_empty());
    assert!(rows(&app, &format!("{UAM}({m})"), &alice).await.is_empty());
}
