//! API keys: `POST /api-key/user/full`, Bearer-key authentication, `/v7/api_key` (contract §6).
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use wire::ErrorCode;

use crate::common::*;

const CREATE: &str = "/api-key/user/full";
const MINUTE: Duration = Duration::from_secs(60);

pub async fn actor_of(app: &TestApp, token: &str) -> i64 {
    sqlx::query_scalar("SELECT actor_id FROM users WHERE id = $1")
        .bind(user_id(token))
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

pub async fn create(app: &TestApp, token: &str, body: &Value) -> TestResponse {
    app.send(json_request(Method::POST, CREATE, body, Some(token)))
        .await
}

/// Creates a key named `name` and returns (key, id).
pub async fn new_key(app: &TestApp, token: &str, name: &str) -> (String, i64) {
    let res = create(app, token, &json!({"name": name, "expiryDate": null})).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let key = res.json().as_str().unwrap().to_owned();
    let id = sqlx::query_scalar("SELECT id FROM api_keys WHERE key_hash = $1")
        .bind(sha256_hex(&key))
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    (key, id)
}

fn sha256_hex(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A token of the same session with a fresh `authTime` (refresh with the password).
pub async fn reauthenticate(app: &TestApp, token: &str) -> String {
    let res = app
        .send(json_request(
            Method::POST,
            "/user/v1/refresh-token",
            &json!({"password": PASSWORD}),
            Some(token),
        ))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    res.text()
}

pub async fn patch(app: &TestApp, path: &str, body: &Value, token: &str) -> TestResponse {
    app.send(json_request(Method::PATCH, path, body, Some(token)))
        .await
}

pub async fn delete(app: &TestApp, path: &str, token: &str) -> TestResponse {
    let req = Request::delete(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    app.send(req).await
}

/// The caller's key names, in order.
pub async fn names(app: &TestApp, token: &str) -> Vec<String> {
    let res = app
        .get("/v7/api_key?$orderby=name%20asc", Some(token))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    res.json()["d"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_owned())
        .collect()
}

pub async fn works(app: &TestApp, key: &str) -> bool {
    let status = app.get("/actor/v1/whoami", Some(key)).await.status;
    assert!(matches!(status, StatusCode::OK | StatusCode::UNAUTHORIZED));
    status == StatusCode::OK
}

#[tokio::test]
async fn a_new_key_is_shown_once_and_only_its_hash_is_stored() {
    let app = TestApp::new().await;
    let token = app.register("kim@example.com").await;
    let res = create(
        &app,
        &token,
        &json!({"name": "ci", "description": "deploys", "expiryDate": null}),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("content-type"), Some("application/json"));
    assert_eq!(res.header("cache-control"), Some("no-store"));
    let key = res.json().as_str().unwrap().to_owned();
    assert_eq!(key.len(), 32);
    assert!(key.bytes().all(|b| b.is_ascii_alphanumeric()));

    // The database holds SHA-256(key) and nothing else derived from it.
    let rows: Vec<(i64, String, Option<String>, Option<String>)> =
        sqlx::query_as("SELECT id, key_hash, name, description FROM api_keys")
            .fetch_all(&app.state.db)
            .await
            .unwrap();
    assert_eq!(rows.len(), 1);
    let (id, hash, name, description) = rows[0].clone();
    assert_eq!(hash, sha256_hex(&key));
    assert_eq!(
        (name.as_deref(), description.as_deref()),
        (Some("ci"), Some("deploys"))
    );
    let dump: Vec<String> = sqlx::query_scalar(
        "SELECT COALESCE(key_hash,'') || COALESCE(name,'') || COALESCE(description,'') FROM api_keys",
    )
    .fetch_all(&app.state.db)
    .await
    .unwrap();
    assert!(!dump.is_empty() && !dump.iter().any(|row| row.contains(&key)));

    let actor = actor_of(&app, &token).await;
    let list = app.get("/v7/api_key", Some(&token)).await;
    assert_eq!(
        list.json(),
        json!({"d": [{
            "id": id,
            "created_at": "2026-01-01T00:00:00.000Z",
            "name": "ci",
            "description": "deploys",
            "expiry_date": null,
            "is_of__actor": {"__id": actor},
            "last_used_at": null,
        }]})
    );
    assert!(!list.text().contains(&key));
    let typed: wire::ODataList<wire::ApiKeyRow> = serde_json::from_slice(&list.body).unwrap();
    assert_eq!(typed.d[0].is_of_actor.id, actor);

    // The key authenticates reads as its user.
    let who = app.get("/actor/v1/whoami", Some(&key)).await;
    assert_eq!(who.status, StatusCode::OK);
    assert_eq!(who.json()["id"], json!(actor));
    let who = app.get("/user/v1/whoami", Some(&key)).await;
    assert_eq!(who.json()["id"], json!(user_id(&token)));
    let by_key = app.get(&format!("/v7/api_key({id})"), Some(&key)).await;
    assert_eq!(
        by_key.json()["d"][0]["last_used_at"],
        json!("2026-01-01T00:00:00.000Z")
    );
    app.get("/v7/api_key", Some("A".repeat(32).as_str()))
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn create_answers_the_contracts_errors() {
    let app = TestApp::new().await;
    let token = app.register("lou@example.com").await;
    for body in [
        json!({}),
        json!({"name": ""}),
        json!({"name": null}),
        json!({"name": 5}),
        json!({"name": "ok", "description": 3}),
        json!({"name": "ok", "expiryDate": 7}),
    ] {
        create(&app, &token, &body)
            .await
            .assert_empty(StatusCode::BAD_REQUEST);
    }
    for bad in ["tomorrow", "", "2026-02-30", "2026-01-01T25:00:00Z"] {
        create(&app, &token, &json!({"name": "k", "expiryDate": bad}))
            .await
            .assert_error(
                StatusCode::BAD_REQUEST,
                "Key expiry date should be a valid date",
            );
    }
    create(&app, &token, &json!({"name": "n".repeat(51)})).await.assert_error(
        StatusCode::BAD_REQUEST,
        "It is necessary that each api key that has a name, has a name that has a Length (Type) that is less than or equal to 50.",
    );
    create(&app, &token, &json!({"name": "k", "description": "d".repeat(151)})).await.assert_error(
        StatusCode::BAD_REQUEST,
        "It is necessary that each api key that has a description, has a description that has a Length (Type) that is less than or equal to 150.",
    );
    let res = create(
        &app,
        &token,
        &json!({"name": "é".repeat(50), "description": "d".repeat(150), "expiryDate": "2026-02-01T00:00:00.000Z"}),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let expiry: Option<i64> = sqlx::query_scalar("SELECT expiry_date FROM api_keys")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_eq!(expiry, Some(T0 + 31 * 24 * 3600 * 1000));

    // Not JSON, no credentials, a partial (2FA pending) token, an API key: refused.
    let req = Request::post(CREATE)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from(r#"{"name":"x"}"#))
        .unwrap();
    assert_eq!(
        app.send(req).await.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    app.send(json_request(
        Method::POST,
        CREATE,
        &json!({"name": "x"}),
        None,
    ))
    .await
    .assert_empty(StatusCode::UNAUTHORIZED);
    let mut partial = claims(&token);
    partial["twoFactorRequired"] = json!(true);
    create(&app, &sign(&partial), &json!({"name": "x"}))
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
    let (key, _) = new_key(&app, &token, "robot").await;
    create(&app, &key, &json!({"name": "x"}))
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn creating_a_key_needs_fresh_authentication() {
    let app = TestApp::new().await;
    let token = app.register("max@example.com").await;
    app.clock.advance(19 * MINUTE);
    new_key(&app, &token, "early").await;
    app.clock.advance(2 * MINUTE);
    create(&app, &token, &json!({"name": "late"}))
        .await
        .assert_coded(
            StatusCode::UNAUTHORIZED,
            "Fresh authentication token required",
            ErrorCode::FreshAuthRequired,
        );
    // A plain refresh keeps authTime; one with the password renews it.
    let refreshed = app.get("/user/v1/refresh-token", Some(&token)).await.text();
    create(&app, &refreshed, &json!({"name": "late"}))
        .await
        .assert_coded(
            StatusCode::UNAUTHORIZED,
            "Fresh authentication token required",
            ErrorCode::FreshAuthRequired,
        );
    let fresh = app
        .send(json_request(
            Method::POST,
            "/user/v1/refresh-token",
            &json!({"password": PASSWORD}),
            Some(&token),
        ))
        .await
        .text();
    new_key(&app, &fresh, "late").await;
    assert_eq!(names(&app, &fresh).await, ["early", "late"]);
}

#[tokio::test]
async fn expiry_and_revocation_take_effect_on_the_next_request() {
    let app = TestApp::new().await;
    let token = app.register("ned@example.com").await;
    let res = create(
        &app,
        &token,
        &json!({"name": "hour", "expiryDate": "2026-01-01T01:00:00Z"}),
    )
    .await;
    let hour = res.json().as_str().unwrap().to_owned();
    let (patched, patched_id) = new_key(&app, &token, "patched").await;
    let (revoked, revoked_id) = new_key(&app, &token, "revoked").await;
    assert!(works(&app, &hour).await && works(&app, &patched).await && works(&app, &revoked).await);

    app.clock.advance(60 * MINUTE - Duration::from_millis(1));
    assert!(works(&app, &hour).await);
    app.clock.advance(Duration::from_millis(1));
    assert!(!works(&app, &hour).await, "expired at expiry_date");

    let path = format!("/v7/api_key({patched_id})");
    let res = patch(
        &app,
        &path,
        &json!({"expiry_date": "2025-12-31T00:00:00.000Z"}),
        &token,
    )
    .await;
    res.assert_empty(StatusCode::OK);
    assert!(
        !works(&app, &patched).await,
        "a past date expires the key at once"
    );
    // Removing an expiry lengthens the key's life: an hour after sign-in that needs the
    // password again.
    patch(&app, &path, &json!({"expiry_date": null}), &token)
        .await
        .assert_coded(
            StatusCode::UNAUTHORIZED,
            "Fresh authentication token required",
            ErrorCode::FreshAuthRequired,
        );
    assert!(!works(&app, &patched).await);
    let fresh = reauthenticate(&app, &token).await;
    patch(&app, &path, &json!({"expiry_date": null}), &fresh)
        .await
        .assert_empty(StatusCode::OK);
    assert!(works(&app, &patched).await, "null clears the expiry");

    delete(&app, &format!("/v7/api_key({revoked_id})"), &token)
        .await
        .assert_empty(StatusCode::OK);
    assert!(!works(&app, &revoked).await);
    app.get("/v7/api_key", Some(&revoked))
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn patch_changes_fields_and_answers_errors() {
    let app = TestApp::new().await;
    let token = app.register("ola@example.com").await;
    let (_, id) = new_key(&app, &token, "old").await;
    let path = format!("/v7/api_key({id})");
    patch(
        &app,
        &path,
        &json!({"name": "new", "description": "why", "expiry_date": "2027-01-01"}),
        &token,
    )
    .await
    .assert_empty(StatusCode::OK);
    let row = &app.get(&path, Some(&token)).await.json()["d"][0];
    assert_eq!(
        (&row["name"], &row["description"], &row["expiry_date"]),
        (
            &json!("new"),
            &json!("why"),
            &json!("2027-01-01T00:00:00.000Z")
        )
    );
    patch(&app, &path, &json!({"description": null}), &token)
        .await
        .assert_empty(StatusCode::OK);
    assert_eq!(
        app.get(&path, Some(&token)).await.json()["d"][0]["description"],
        Value::Null
    );

    let cases = [
        (json!({}), "No fields to update"),
        (json!({"key": "x"}), "Field 'key' of 'api_key' cannot be set here"),
        (json!({"is_of__actor": 1}), "Field 'is_of__actor' of 'api_key' cannot be set here"),
        (json!({"description": 7}), "description must be a string or null"),
        (json!({"name": ""}), "name must be a non-empty string"),
        (json!({"name": null}), "name must be a non-empty string"),
        (json!({"expiry_date": "soon"}), "Key expiry date should be a valid date"),
        (json!({"name": "n".repeat(51)}), "It is necessary that each api key that has a name, has a name that has a Length (Type) that is less than or equal to 50."),
    ];
    for (body, msg) in cases {
        patch(&app, &path, &body, &token)
            .await
            .assert_error(StatusCode::BAD_REQUEST, msg);
    }
    assert_eq!(names(&app, &token).await, ["new"]);
}

#[tokio::test]
async fn api_keys_cannot_manage_keys_or_sessions() {
    let app = TestApp::new().await;
    let token = app.register("pia@example.com").await;
    let (key, id) = new_key(&app, &token, "k").await;
    let path = format!("/v7/api_key({id})");
    patch(&app, &path, &json!({"name": "x"}), &key)
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
    delete(&app, &path, &key)
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
    delete(&app, "/v7/api_key", &key)
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
    create(&app, &key, &json!({"name": "x"}))
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
    app.get("/user/v1/refresh-token", Some(&key))
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
    let logout = Request::post("/user/v1/logout")
        .header(header::AUTHORIZATION, format!("Bearer {key}"))
        .body(Body::empty())
        .unwrap();
    app.send(logout)
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
    assert_eq!(
        names(&app, &key).await,
        ["k"],
        "nothing changed, reads still work"
    );
}

#[tokio::test]
async fn another_users_keys_are_invisible_and_untouchable() {
    let app = TestApp::new().await;
    let alice = app.register("alice@example.com").await;
    let bob = app.register("bob@example.com").await;
    let (alice_key, alice_id) = new_key(&app, &alice, "alice-ci").await;
    let (_, bob_id) = new_key(&app, &bob, "bob-ci").await;
    let alice_actor = actor_of(&app, &alice).await;

    assert_eq!(names(&app, &bob).await, ["bob-ci"]);
    let theirs = format!("/v7/api_key({alice_id})");
    assert_eq!(app.get(&theirs, Some(&bob)).await.json(), json!({"d": []}));
    let by_actor = format!("/v7/api_key?$filter=is_of__actor%20eq%20{alice_actor}");
    assert_eq!(
        app.get(&by_actor, Some(&bob)).await.json(),
        json!({"d": []})
    );
    assert_eq!(
        app.get("/v7/api_key/$count", Some(&bob)).await.json(),
        json!({"d": 1})
    );

    patch(
        &app,
        &theirs,
        &json!({"name": "pwned", "expiry_date": "2000-01-01"}),
        &bob,
    )
    .await
    .assert_empty(StatusCode::OK);
    delete(&app, &theirs, &bob)
        .await
        .assert_empty(StatusCode::OK);
    delete(
        &app,
        &format!("/v7/api_key?$filter=id%20in%20({alice_id},{bob_id})"),
        &bob,
    )
    .await
    .assert_empty(StatusCode::OK);
    assert_eq!(
        names(&app, &bob).await,
        Vec::<String>::new(),
        "bob's own key matched"
    );
    new_key(&app, &bob, "bob-2").await;
    delete(&app, "/v7/api_key", &bob)
        .await
        .assert_empty(StatusCode::OK);
    assert_eq!(names(&app, &bob).await, Vec::<String>::new());

    assert_eq!(names(&app, &alice).await, ["alice-ci"]);
    assert!(
        works(&app, &alice_key).await,
        "alice's key survived every attempt"
    );
}

/// Security bar §4.6 (1) and (3): concurrent revokes of one key both succeed while the key is
/// in use on other threads, and once they are done no request gets through.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_revokes_while_the_key_is_in_use() {
    use tower::ServiceExt;
    let app = TestApp::new().await;
    let token = app.register("tom@example.com").await;
    let (key, id) = new_key(&app, &token, "k").await;
    let path = format!("/v7/api_key({id})");
    let send = |method: Method, path: String, bearer: String| {
        let router = app.router.clone();
        tokio::spawn(async move {
            let req = Request::builder()
                .method(method)
                .uri(path)
                .header(header::AUTHORIZATION, format!("Bearer {bearer}"))
                .body(Body::empty())
                .unwrap();
            router.oneshot(req).await.unwrap().status()
        })
    };
    let mut uses = Vec::new();
    for _ in 0..20 {
        uses.push(send(Method::GET, "/v7/api_key".into(), key.clone()));
    }
    let revokes = [
        send(Method::DELETE, path.clone(), token.clone()),
        send(Method::DELETE, path.clone(), token.clone()),
    ];
    for r in revokes {
        assert_eq!(r.await.unwrap(), StatusCode::OK);
    }
    for u in uses {
        let status = u.await.unwrap();
        assert!(
            matches!(status, StatusCode::OK | StatusCode::UNAUTHORIZED),
            "{status}"
        );
    }
    for _ in 0..5 {
        assert!(!works(&app, &key).await);
    }
}

#[tokio::test]
async fn bulk_delete_by_filter_revokes_exactly_the_matches() {
    let app = TestApp::new().await;
    let token = app.register("quinn@example.com").await;
    let (k1, id1) = new_key(&app, &token, "one").await;
    let (k2, id2) = new_key(&app, &token, "two").await;
    let (k3, _) = new_key(&app, &token, "three").await;
    delete(
        &app,
        &format!("/v7/api_key?$filter=id%20in%20({id1},%20{id2})"),
        &token,
    )
    .await
    .assert_empty(StatusCode::OK);
    assert!(!works(&app, &k1).await && !works(&app, &k2).await && works(&app, &k3).await);
    assert_eq!(names(&app, &token).await, ["three"]);
    delete(&app, "/v7/api_key?$filter=nope%20eq%201", &token)
        .await
        .assert_error(
            StatusCode::BAD_REQUEST,
            "$filter: Unknown field 'nope' of 'api_key'",
        );
    delete(&app, "/v7/api_key?$top=1", &token)
        .await
        .assert_error(
            StatusCode::BAD_REQUEST,
            "Only $filter applies to PATCH and DELETE",
        );
    assert_eq!(names(&app, &token).await, ["three"]);
}

#[tokio::test]
async fn last_used_at_is_written_at_most_once_a_minute() {
    let app = TestApp::new().await;
    let token = app.register("rui@example.com").await;
    let (key, id) = new_key(&app, &token, "k").await;
    let last_used = || async {
        sqlx::query_scalar::<_, Option<i64>>("SELECT last_used_at FROM api_keys WHERE id = $1")
            .bind(id)
            .fetch_one(&app.state.db)
            .await
            .unwrap()
    };
    assert_eq!(last_used().await, None, "session use does not count");
    assert!(works(&app, &key).await);
    assert_eq!(last_used().await, Some(T0));
    app.clock.advance(Duration::from_secs(59));
    assert!(works(&app, &key).await);
    assert_eq!(last_used().await, Some(T0));
    app.clock.advance(Duration::from_secs(1));
    assert!(works(&app, &key).await);
    assert_eq!(last_used().await, Some(T0 + 60_000));
}

#[tokio::test]
async fn the_sdks_named_keys_request_works() {
    let app = TestApp::new().await;
    let token = app.register("sol@example.com").await;
    for name in ["zeta", "alpha", "mid"] {
        new_key(&app, &token, name).await;
    }
    // A nameless key (balena's other key kinds) is left out by `name ne null`.
    let actor = actor_of(&app, &token).await;
    sqlx::query("INSERT INTO api_keys (actor_id, key_hash, created_at) VALUES ($1, 'x', 0)")
        .bind(actor)
        .execute(&app.state.db)
        .await
        .unwrap();
    let path = format!(
        "/v7/api_key?$orderby=name%20asc&$filter=is_of__actor%20eq%20{actor}%20and%20name%20ne%20null"
    );
    let res = app.get(&path, Some(&token)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let names: Vec<String> = res.json()["d"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["alpha", "mid", "zeta"]);
    let res = app
        .get("/v7/api_key?$select=id,created_at,name,description,expiry_date&$orderby=name%20desc&$filter=name%20ne%20null", Some(&token))
        .await;
    let first = &res.json()["d"][0];
    assert_eq!(first["name"], json!("zeta"));
    assert_eq!(first.as_object().unwrap().len(), 5);
}

/// A measurement with correctness checks: listing and bulk-revoking 1,000 keys through the
/// router. It runs with every test run and asserts only correctness (1,000 rows listed, all
/// revoked in one request); for figures worth quoting run it in release mode:
/// `cargo test --release -p server --test api thousand_keys -- --nocapture`.
#[tokio::test]
async fn thousand_keys_timing() {
    use std::time::Instant;
    let app = TestApp::new().await;
    let token = app.register("wes@example.com").await;
    let actor = actor_of(&app, &token).await;
    let mut tx = app.state.db.begin().await.unwrap();
    for i in 0..1000 {
        sqlx::query(
            "INSERT INTO api_keys (actor_id, key_hash, name, description, created_at)
             VALUES ($1, $2, $3, 'a key used by the timing run', $4)",
        )
        .bind(actor)
        .bind(sha256_hex(&i.to_string()))
        .bind(format!("key-{i:04}"))
        .bind(T0 + i)
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let sdk = format!(
        "/v7/api_key?$orderby=name%20asc&$filter=is_of__actor%20eq%20{actor}%20and%20name%20ne%20null"
    );
    for path in ["/v7/api_key", sdk.as_str()] {
        let mut ms = Vec::new();
        for _ in 0..21 {
            let start = Instant::now();
            let res = app.get(path, Some(&token)).await;
            ms.push(start.elapsed().as_secs_f64() * 1000.0);
            assert_eq!(res.json()["d"].as_array().unwrap().len(), 1000);
        }
        ms.sort_by(f64::total_cmp);
        eprintln!(
            "GET {path}: 1,000 rows, median {:.2} ms, min {:.2} ms",
            ms[10], ms[0]
        );
    }
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM api_keys")
        .fetch_all(&app.state.db)
        .await
        .unwrap();
    let list: Vec<String> = ids.iter().map(ToString::to_string).collect();
    let path = format!("/v7/api_key?$filter=id%20in%20({})", list.join(","));
    let start = Instant::now();
    delete(&app, &path, &token)
        .await
        .assert_empty(StatusCode::OK);
    let took = start.elapsed().as_secs_f64() * 1000.0;
    eprintln!(
        "DELETE of 1,000 keys by id in (...) ({} bytes of URL): {took:.2} ms",
        path.len()
    );
    assert!(names(&app, &token).await.is_empty());
}

#[tokio::test]
async fn lengthening_a_keys_life_needs_fresh_authentication_shortening_does_not() {
    let app = TestApp::new().await;
    let token = app.register("pat@example.com").await;
    let res = create(
        &app,
        &token,
        &json!({"name": "month", "expiryDate": "2026-02-01T00:00:00Z"}),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let (_, forever) = new_key(&app, &token, "forever").await;
    let month: i64 = sqlx::query_scalar("SELECT id FROM api_keys WHERE name = 'month'")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    app.clock.advance(21 * MINUTE);
    let stale = &token;
    let path = format!("/v7/api_key({month})");
    for longer in [
        json!({"expiry_date": null}),
        json!({"expiry_date": "2026-03-01"}),
    ] {
        patch(&app, &path, &longer, stale).await.assert_coded(
            StatusCode::UNAUTHORIZED,
            "Fresh authentication token required",
            ErrorCode::FreshAuthRequired,
        );
    }
    // Through a $filter that reaches it too.
    patch(
        &app,
        "/v7/api_key?$filter=name%20eq%20'month'",
        &json!({"expiry_date": null}),
        stale,
    )
    .await
    .assert_coded(
        StatusCode::UNAUTHORIZED,
        "Fresh authentication token required",
        ErrorCode::FreshAuthRequired,
    );
    for shorter in [
        json!({"expiry_date": "2026-01-15"}),
        json!({"name": "renamed"}),
    ] {
        patch(&app, &path, &shorter, stale)
            .await
            .assert_empty(StatusCode::OK);
    }
    // A permanent key given an expiry lives shorter.
    patch(
        &app,
        &format!("/v7/api_key({forever})"),
        &json!({"expiry_date": "2026-06-01"}),
        stale,
    )
    .await
    .assert_empty(StatusCode::OK);
    let fresh = reauthenticate(&app, &token).await;
    patch(&app, &path, &json!({"expiry_date": "2027-01-01"}), &fresh)
        .await
        .assert_empty(StatusCode::OK);
}
