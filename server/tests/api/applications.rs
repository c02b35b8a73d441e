//! Applications: create (slug, Location, `returnResource=false`), who may create,
//! the console's documented reads, alternate keys, keys of applications and devices by uuid
//! and slug, and deleting an application with everything under it. Also the helpers the
//! member and permission tests share.
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use wire::ErrorCode;

use crate::api_keys::{delete, new_key, patch};
use crate::common::*;

pub async fn post(app: &TestApp, path: &str, body: &Value, token: &str) -> TestResponse {
    app.send(json_request(Method::POST, path, body, Some(token)))
        .await
}

/// `GET` answering `{"d": [...]}`: the rows.
pub async fn rows(app: &TestApp, path: &str, token: &str) -> Vec<Value> {
    let res = app.get(path, Some(token)).await;
    assert_eq!(res.status, StatusCode::OK, "{path}: {}", res.text());
    res.json()["d"].as_array().unwrap().clone()
}

pub fn enc(path: &str) -> String {
    path.replace(' ', "%20")
}

/// A user's personal organization id (handle = username).
pub async fn org_of(app: &TestApp, token: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT o.id FROM organizations o JOIN users u ON u.username = o.handle WHERE u.id = $1",
    )
    .bind(user_id(token))
    .fetch_one(&app.state.db)
    .await
    .unwrap()
}

pub async fn create_app(app: &TestApp, token: &str, org: i64, name: &str) -> i64 {
    let res = post(
        app,
        "/v7/application",
        &json!({"app_name": name, "organization": org}),
        token,
    )
    .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    res.json()["id"].as_i64().unwrap()
}

pub async fn set_plan(app: &TestApp, token: &str, org: i64, plan: &str) {
    let res = patch(
        app,
        &format!("/v7/organization({org})"),
        &json!({"billing_plan": plan}),
        token,
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
}

/// Adds `username` to the application with the role named `role`; the membership id.
pub async fn add_member(
    app: &TestApp,
    token: &str,
    app_id: i64,
    username: &str,
    role: &str,
) -> i64 {
    let role_id = role_id(role);
    let res = post(
        app,
        "/v7/user_application_membership",
        &json!({"username": username, "is_member_of__application": app_id, "application_membership_role": role_id}),
        token,
    )
    .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    res.json()["id"].as_i64().unwrap()
}

pub fn role_id(role: &str) -> i64 {
    match role {
        "developer" => 1,
        "operator" => 2,
        "observer" => 3,
        _ => panic!("{role}"),
    }
}

pub async fn create_device(app: &TestApp, token: &str, app_id: i64) -> Value {
    let res = post(
        app,
        "/v7/device",
        &json!({"belongs_to__application": app_id, "device_name": "pi"}),
        token,
    )
    .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    res.json()
}

pub async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn create_application_shapes_and_rules() {
    let app = TestApp::new().await;
    let alice = app.register("alice@example.com").await;
    let bob = app.register("bob@example.com").await;
    let org = org_of(&app, &alice).await;

    let res = post(
        &app,
        "/v7/application",
        &json!({"app_name": "Fleet-One", "organization": org}),
        &alice,
    )
    .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let body = res.json();
    let id = body["id"].as_i64().unwrap();
    assert_eq!(
        res.header("location"),
        Some(&*format!("/v7/application({id})"))
    );
    assert_eq!(body["app_name"], "Fleet-One");
    assert_eq!(body["slug"], "alice/fleet-one");
    assert_eq!(body["organization"], json!({"__id": org}));
    assert!(body["actor"]["__id"].is_i64());

    let res = post(
        &app,
        "/v7/application?returnResource=false",
        &json!({"app_name": "Second", "organization": org}),
        &alice,
    )
    .await;
    assert_eq!(res.status, StatusCode::CREATED);
    assert_eq!(
        res.json().as_object().unwrap().keys().collect::<Vec<_>>(),
        ["id"]
    );

    // Same slug (names differ only in case) → 409; bad names → 400; extra fields → 400.
    post(
        &app,
        "/v7/application",
        &json!({"app_name": "fleet-one", "organization": org}),
        &alice,
    )
    .await
    .assert_coded(
        StatusCode::CONFLICT,
        "An application with this name already exists in the organization",
        ErrorCode::AlreadyExists,
    );
    let res = post(
        &app,
        "/v7/application",
        &json!({"app_name": "a b", "organization": org}),
        &alice,
    )
    .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    let res = post(
        &app,
        "/v7/application",
        &json!({"app_name": "Third", "organization": org, "slug": "x/y"}),
        &alice,
    )
    .await;
    res.assert_error(
        StatusCode::BAD_REQUEST,
        "Field 'slug' of 'application' cannot be set here",
    );

    // bob is no administrator of alice's organization: 401 and nothing created.
    let before = count(&app, "SELECT COUNT(*) FROM applications").await;
    post(
        &app,
        "/v7/application",
        &json!({"app_name": "Intruder", "organization": org}),
        &bob,
    )
    .await
    .assert_empty(StatusCode::UNAUTHORIZED);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM applications").await,
        before
    );
    // Even as a member of the application, a developer cannot create applications.
    add_member(&app, &alice, id, "bob", "developer").await;
    post(
        &app,
        "/v7/application",
        &json!({"app_name": "Intruder", "organization": org}),
        &bob,
    )
    .await
    .assert_empty(StatusCode::UNAUTHORIZED);
    // An API key cannot write.
    let (key, _) = crate::api_keys::new_key(&app, &alice, "k").await;
    post(
        &app,
        "/v7/application",
        &json!({"app_name": "ByKey", "organization": org}),
        &key,
    )
    .await
    .assert_empty(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn console_reads_as_documented() {
    let app = TestApp::new().await;
    let alice = app.register("alice@example.com").await;
    let bob = app.register("bob@example.com").await;
    let (alice_id, bob_id) = (user_id(&alice), user_id(&bob));
    let org = org_of(&app, &alice).await;
    let fleet = create_app(&app, &alice, org, "Fleet1").await;
    let membership = add_member(&app, &alice, fleet, "bob", "developer").await;

    let list = |me: i64| {
        enc(&format!("/v7/application?$select=id,app_name,slug&$orderby=app_name asc&$expand=organization($select=id,name,handle,billing_plan;$expand=organization_membership($select=id;$filter=user eq {me};$expand=organization_membership_role($select=name))),user_application_membership($select=id;$filter=user eq {me};$expand=application_membership_role($select=name))"))
    };
    let d = rows(&app, &list(alice_id), &alice).await;
    assert_eq!(d.len(), 1);
    assert_eq!(d[0]["slug"], "alice/fleet1");
    assert_eq!(d[0]["organization"][0]["handle"], "alice");
    assert_eq!(
        d[0]["organization"][0]["organization_membership"][0]["organization_membership_role"],
        json!([{"name": "administrator"}])
    );
    assert_eq!(d[0]["user_application_membership"], json!([]));
    // bob: shared with him, as developer, and a plain member of alice's organization.
    let d = rows(&app, &list(bob_id), &bob).await;
    assert_eq!(d.len(), 1);
    assert_eq!(
        d[0]["organization"][0]["organization_membership"][0]["organization_membership_role"],
        json!([{"name": "member"}])
    );
    assert_eq!(
        d[0]["user_application_membership"],
        json!([{"id": membership, "application_membership_role": [{"name": "developer"}]}])
    );
    // typed as the console reads it
    let typed: wire::ODataList<wire::ApplicationRow> =
        serde_json::from_slice(&app.get(&list(bob_id), Some(&bob)).await.body).unwrap();
    assert_eq!(typed.d[0].app_name, "Fleet1");

    let members = rows(&app, &enc(&format!("/v7/user_application_membership?$filter=is_member_of__application eq {fleet}&$expand=user($select=id,username,email),application_membership_role($select=name)")), &bob).await;
    assert_eq!(
        members[0]["user"],
        json!([{"id": bob_id, "username": "bob", "email": "bob@example.com"}])
    );
    let admins = rows(&app, &enc(&format!("/v7/organization_membership?$filter=is_member_of__organization eq {org} and organization_membership_role/name eq 'administrator'&$expand=user($select=id,username,email)")), &bob).await;
    assert_eq!(admins.len(), 1);
    assert_eq!(admins[0]["user"][0]["username"], "alice");

    let o = rows(&app, &enc(&format!("/v7/organization({org})?$select=id,name,handle,billing_plan&$expand=organization_membership($select=id;$expand=user($select=id,username,email),organization_membership_role($select=name))")), &alice).await;
    assert_eq!(o[0]["billing_plan"], "free");
    assert_eq!(o[0]["organization_membership"].as_array().unwrap().len(), 2);
    let typed: Vec<wire::OrganizationRow> = serde_json::from_value(Value::Array(o)).unwrap();
    assert_eq!(typed[0].organization_membership.len(), 2);

    let roles = rows(
        &app,
        "/v7/application_membership_role?$select=id,name",
        &bob,
    )
    .await;
    assert_eq!(
        roles,
        vec![
            json!({"id":1,"name":"developer"}),
            json!({"id":2,"name":"operator"}),
            json!({"id":3,"name":"observer"})
        ]
    );
    // A stranger sees none of it, and not alice's user row either.
    let carol = app.register("carol@example.com").await;
    assert!(rows(&app, &list(user_id(&carol)), &carol).await.is_empty());
    assert!(rows(&app, &format!("/v7/organization({org})"), &carol)
        .await
        .is_empty());
    assert!(rows(&app, &format!("/v7/user({alice_id})"), &carol)
        .await
        .is_empty());
    assert!(rows(
        &app,
        &format!("/v7/user_application_membership({membership})"),
        &carol
    )
    .await
    .is_empty());
}

#[tokio::test]
async fn alternate_keys() {
    let app = TestApp::new().await;
    let alice = app.register("alice@example.com").await;
    let bob = app.register("bob@example.com").await;
    let org = org_of(&app, &alice).await;
    let fleet = create_app(&app, &alice, org, "Fleet1").await;
    let m = add_member(&app, &alice, fleet, "bob", "developer").await;
    assert_eq!(
        rows(
            &app,
            "/v7/application_membership_role(name='observer')?$select=id",
            &alice
        )
        .await,
        vec![json!({"id": 3})]
    );
    assert!(rows(
        &app,
        "/v7/application_membership_role(name='owner')?$select=id",
        &alice
    )
    .await
    .is_empty());
    let bob_id = user_id(&bob);
    let path =
        format!("/v7/user_application_membership(user={bob_id},is_member_of__application={fleet})");
    assert_eq!(
        rows(&app, &format!("{path}?$select=id"), &alice).await,
        vec![json!({"id": m})]
    );
    set_plan(&app, &alice, org, "paid").await;
    let res = patch(
        &app,
        &path,
        &json!({"application_membership_role": 2}),
        &alice,
    )
    .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(
        count(
            &app,
            &format!("SELECT role_id FROM user_application_memberships WHERE id = {m}")
        )
        .await,
        2
    );
    app.get("/v7/application(nope='x')", Some(&alice))
        .await
        .assert_error(
            StatusCode::BAD_REQUEST,
            "$filter: Unknown field 'nope' of 'application'",
        );
    let res = delete(&app, &path, &alice).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM user_application_memberships").await,
        0
    );
}

#[tokio::test]
async fn keys_by_device_uuid_and_application_slug() {
    let app = TestApp::new().await;
    let alice = app.register("alice@example.com").await;
    let dave = app.register("dave@example.com").await;
    let olga = app.register("olga@example.com").await;
    let org = org_of(&app, &alice).await;
    set_plan(&app, &alice, org, "paid").await;
    let fleet = create_app(&app, &alice, org, "Fleet1").await;
    add_member(&app, &alice, fleet, "dave", "developer").await;
    add_member(&app, &alice, fleet, "olga", "operator").await;
    let device = create_device(&app, &alice, fleet).await;
    let (dev_id, uuid) = (
        device["id"].as_i64().unwrap(),
        device["uuid"].as_str().unwrap().to_owned(),
    );
    assert_eq!(uuid.len(), 32);

    let res = post(
        &app,
        &format!("/api-key/application/{fleet}/provisioning"),
        &json!({"name": "prov"}),
        &dave,
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json().as_str().unwrap().len(), 32);
    let res = post(
        &app,
        &format!("/api-key/device/{dev_id}/device-key"),
        &json!({}),
        &alice,
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    // Operators may not; neither may anyone for a foreign or missing application.
    post(
        &app,
        &format!("/api-key/application/{fleet}/provisioning"),
        &json!({}),
        &olga,
    )
    .await
    .assert_empty(StatusCode::UNAUTHORIZED);
    post(
        &app,
        &format!("/api-key/application/{}/provisioning", fleet + 100),
        &json!({}),
        &alice,
    )
    .await
    .assert_empty(StatusCode::UNAUTHORIZED);

    let by_uuid = enc(&format!("/v7/api_key?$select=id,name&$filter=is_of__actor/any(a:a/is_of__device/any(d:d/uuid eq '{uuid}'))"));
    let keys = rows(&app, &by_uuid, &dave).await;
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0]["name"], Value::Null);
    let by_slug = enc("/v7/api_key?$select=id,name&$filter=is_of__actor/any(a:a/is_of__application/any(p:p/slug eq 'alice/fleet1'))");
    assert_eq!(rows(&app, &by_slug, &alice).await.len(), 1);
    assert_eq!(rows(&app, &by_slug, &dave).await[0]["name"], "prov");
    // The operator sees the application but not its keys.
    assert!(rows(&app, &by_slug, &olga).await.is_empty());
    assert!(rows(&app, &by_uuid, &olga).await.is_empty());

    // Deleting the application removes devices, their actors and every key (trigger + cascade).
    let res = delete(&app, &format!("/v7/application({fleet})"), &alice).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM devices").await, 0);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM api_keys").await, 0);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM actors WHERE actor_type <> 'user'"
        )
        .await,
        0
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM user_application_memberships").await,
        0
    );
}

#[tokio::test]
async fn deleting_an_organization_removes_everything_under_it() {
    let app = TestApp::new().await;
    let alice = app.register("alice@example.com").await;
    let org = org_of(&app, &alice).await;
    let fleet = create_app(&app, &alice, org, "Fleet1").await;
    let device = create_device(&app, &alice, fleet).await;
    let dev_id = device["id"].as_i64().unwrap();
    for (path, body) in [
        (
            "/v7/device_tag",
            json!({"device": dev_id, "tag_key": "k", "value": "v"}),
        ),
        (
            "/v7/device_environment_variable",
            json!({"device": dev_id, "name": "K", "value": "v"}),
        ),
        (
            "/v7/application_environment_variable",
            json!({"application": fleet, "name": "K", "value": "v"}),
        ),
    ] {
        assert_eq!(
            post(&app, path, &body, &alice).await.status,
            StatusCode::CREATED
        );
    }
    post(
        &app,
        &format!("/api-key/device/{dev_id}/device-key"),
        &json!({}),
        &alice,
    )
    .await;
    sqlx::query("DELETE FROM organizations WHERE id = $1")
        .bind(org)
        .execute(&app.state.db)
        .await
        .unwrap();
    for table in [
        "applications",
        "devices",
        "device_tags",
        "device_environment_variables",
        "application_environment_variables",
        "api_keys",
        "organization_memberships",
    ] {
        assert_eq!(
            count(&app, &format!("SELECT COUNT(*) FROM {table}")).await,
            0,
            "{table}"
        );
    }
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM actors WHERE actor_type <> 'user'"
        )
        .await,
        0
    );
}

/// Administrators also see their applications' keys through `/v7/api_key`, so the console's
/// Access tokens page asks for the user's own named keys only (`src/api/api_key.rs`
/// `list_path`): that exact request must leave application keys out.
#[tokio::test]
async fn the_consoles_key_list_holds_only_your_own_keys() {
    let app = TestApp::new().await;
    let alice = app.register("alice@example.com").await;
    let uid = user_id(&alice);
    let org = org_of(&app, &alice).await;
    let fleet = create_app(&app, &alice, org, "Fleet1").await;
    let res = post(
        &app,
        &format!("/api-key/application/{fleet}/provisioning"),
        &json!({"name": "prov"}),
        &alice,
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    new_key(&app, &alice, "mine").await;

    let names = |rows: Vec<Value>| -> Vec<String> {
        let mut n: Vec<String> = rows
            .iter()
            .map(|r| r["name"].as_str().unwrap_or("").to_owned())
            .collect();
        n.sort();
        n
    };
    // Without the filter the application's key is visible too ...
    assert_eq!(
        names(rows(&app, "/v7/api_key", &alice).await),
        ["mine", "prov"]
    );
    // ... with the console's filter only the user's own.
    let console = format!(
        "/v7/api_key?$orderby=name%20asc&$filter=name%20ne%20null%20and%20\
         is_of__actor/any(a:a/is_of__user/any(u:u/id%20eq%20{uid}))"
    );
    assert_eq!(names(rows(&app, &console, &alice).await), ["mine"]);
}
