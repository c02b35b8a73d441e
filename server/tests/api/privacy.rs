//! A user's email is theirs alone, through every query path; members are added by name or
//! email only, and failed additions are limited per caller.
use axum::http::StatusCode;
use serde_json::{json, Value};
use wire::ErrorCode;

use crate::applications::*;
use crate::common::*;

const UAM: &str = "/v7/user_application_membership";

/// alice administers `fleet`, which bob (`zed@…`) and then carol (`amy@…`) joined: their
/// emails sort the other way round from their ids.
async fn team(app: &TestApp) -> (String, String, String, i64) {
    let alice = app.register("alice@example.com").await;
    let bob = app.register("zed@example.com").await;
    let carol = app.register("amy@example.com").await;
    let org = org_of(app, &alice).await;
    let fleet = create_app(app, &alice, org, "Fleet1").await;
    for who in ["zed@example.com", "amy@example.com"] {
        let res = post(
            app,
            UAM,
            &json!({"email": who, "is_member_of__application": fleet}),
            &alice,
        )
        .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    }
    (alice, bob, carol, fleet)
}

fn emails(rows: &[Value]) -> Vec<(String, Value)> {
    rows.iter()
        .map(|r| {
            (
                r["username"].as_str().unwrap().to_owned(),
                r["email"].clone(),
            )
        })
        .collect()
}

#[tokio::test]
async fn co_members_see_usernames_but_never_emails() {
    let app = TestApp::new().await;
    let (alice, bob, _carol, fleet) = team(&app).await;
    let users = rows(
        &app,
        &enc("/v7/user?$select=id,username,email&$orderby=id"),
        &bob,
    )
    .await;
    assert_eq!(
        emails(&users),
        [
            ("alice".to_owned(), Value::Null),
            ("zed".to_owned(), json!("zed@example.com")),
            ("amy".to_owned(), Value::Null),
        ]
    );
    // Without $select, and through $expand at two depths.
    let all = rows(&app, "/v7/user", &alice).await;
    assert_eq!(all.iter().filter(|u| !u["email"].is_null()).count(), 1);
    let nested = rows(
        &app,
        &enc(&format!("/v7/application({fleet})?$expand=user_application_membership($expand=user($select=username,email))")),
        &alice,
    )
    .await;
    let members = nested[0]["user_application_membership"].as_array().unwrap();
    assert_eq!(members.len(), 2);
    for m in members {
        assert_eq!(m["user"][0]["email"], Value::Null, "{m}");
    }
    let deeper = rows(
        &app,
        &enc("/v7/organization?$expand=organization_membership($expand=user($select=username,email))"),
        &bob,
    )
    .await;
    let seen: Vec<&Value> = deeper
        .iter()
        .flat_map(|o| o["organization_membership"].as_array().unwrap())
        .map(|m| &m["user"][0]["email"])
        .filter(|e| !e.is_null())
        .collect();
    // His own row, once per organization he belongs to (his and alice's).
    assert_eq!(seen, [&json!("zed@example.com"); 2], "only bob's own");
}

#[tokio::test]
async fn another_users_email_is_no_filter_or_order_oracle() {
    let app = TestApp::new().await;
    let (alice, _bob, _carol, _fleet) = team(&app).await;
    for filter in [
        "/v7/user?$filter=email eq 'zed@example.com'",
        "/v7/user?$filter=email gt 'a' and username ne 'alice'",
        "/v7/user?$filter=email ne null and username ne 'alice'",
        "/v7/organization_membership?$filter=user/email eq 'zed@example.com'",
        "/v7/organization?$filter=organization_membership/any(m:m/user/email eq 'amy@example.com')",
    ] {
        assert_eq!(
            rows(&app, &enc(filter), &alice).await,
            Vec::<Value>::new(),
            "{filter}"
        );
        let count = app
            .get(&enc(&format!("{filter}&$count=true")), Some(&alice))
            .await;
        assert_ne!(count.status, StatusCode::INTERNAL_SERVER_ERROR);
    }
    // Ordering by email puts the others in key order (their emails are NULL to alice),
    // although amy@ < zed@.
    for dir in ["asc", "desc"] {
        let users = rows(
            &app,
            &enc(&format!("/v7/user?$select=username&$orderby=email {dir}")),
            &alice,
        )
        .await;
        let others: Vec<&str> = users
            .iter()
            .map(|u| u["username"].as_str().unwrap())
            .filter(|u| *u != "alice")
            .collect();
        assert_eq!(others, ["zed", "amy"], "$orderby=email {dir}");
    }
    // Her own email still filters.
    let own = rows(
        &app,
        &enc("/v7/user?$filter=email eq 'alice@example.com'"),
        &alice,
    )
    .await;
    assert_eq!(own.len(), 1);
}

#[tokio::test]
async fn members_are_never_added_by_numeric_id() {
    let app = TestApp::new().await;
    let alice = app.register("alice@example.com").await;
    let victim = app.register("victim@example.com").await;
    let org = org_of(&app, &alice).await;
    let fleet = create_app(&app, &alice, org, "Fleet1").await;
    for (path, parent) in [
        (UAM, "is_member_of__application"),
        ("/v7/organization_membership", "is_member_of__organization"),
    ] {
        let target = if parent.ends_with("application") {
            fleet
        } else {
            org
        };
        let res = post(
            &app,
            path,
            &json!({"user": user_id(&victim), parent: target}),
            &alice,
        )
        .await;
        assert_eq!(
            res.status,
            StatusCode::BAD_REQUEST,
            "{path}: {}",
            res.text()
        );
    }
    let users = rows(&app, "/v7/user?$select=id", &alice).await;
    assert_eq!(users.len(), 1, "the victim stays invisible");
}

#[tokio::test]
async fn failed_member_additions_are_limited_per_caller() {
    let app = TestApp::new().await;
    let alice = app.register("alice@example.com").await;
    app.register("bob@example.com").await;
    let org = org_of(&app, &alice).await;
    let fleet = create_app(&app, &alice, org, "Fleet1").await;
    // A success gives its attempt back.
    let res = post(
        &app,
        UAM,
        &json!({"username": "bob", "is_member_of__application": fleet}),
        &alice,
    )
    .await;
    assert_eq!(res.status, StatusCode::CREATED);
    for i in 0..30 {
        let res = post(
            &app,
            UAM,
            &json!({"email": format!("probe{i}@example.com"), "is_member_of__application": fleet}),
            &alice,
        )
        .await;
        res.assert_coded(
            StatusCode::BAD_REQUEST,
            "No user with that username or email",
            ErrorCode::NoSuchUser,
        );
    }
    let res = post(
        &app,
        UAM,
        &json!({"email": "probe-last@example.com", "is_member_of__application": fleet}),
        &alice,
    )
    .await;
    res.assert_coded(
        StatusCode::TOO_MANY_REQUESTS,
        "Too Many Requests",
        ErrorCode::TooManyRequests,
    );
    assert_eq!(res.header("retry-after"), Some("3600"));
}
