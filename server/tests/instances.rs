//! Two real server processes on one database behave as one service: what one changes, the
//! other enforces on its very next request, over real sockets. This is what `api::replicas`
//! checks inside one process, here with nothing shared but the database (one SQLite file, or
//! one PostgreSQL database when `ACCOUNT_CONSOLE_TEST_POSTGRES` is set), the JWT secret and
//! the TOTP key, so that no per-process cache or counter can pass for shared state: a logout,
//! a revoked key, failed logins, a used TOTP code and the last administrator's seat.
mod process;
mod totp;

use std::net::SocketAddr;
use std::time::{SystemTime, UNIX_EPOCH};

use data_encoding::BASE64URL_NOPAD;
use process::{free_addr, request, start_with, wait_ready, Server};
use serde_json::{json, Value};

const TOTP_KEY: &str = "instances-test-totp-key-instances-test-totp-key";
const PASSWORD: &str = "plum-Sofa-42-quartz";

/// Instances `a` and `b` on one fresh database; both processes are killed on drop, also when
/// an assertion fails.
struct Pair {
    a: SocketAddr,
    b: SocketAddr,
    servers: Vec<Server>,
    dir: tempfile::TempDir,
}

impl Pair {
    async fn start(name: &str) -> Pair {
        let dir = tempfile::tempdir().unwrap();
        let db = match std::env::var("ACCOUNT_CONSOLE_TEST_POSTGRES") {
            Ok(cluster) => format!("{cluster}/instances_{name}_{}", std::process::id()),
            Err(_) => format!("sqlite://{}", dir.path().join("shared.db").display()),
        };
        let a = free_addr();
        let b = std::iter::repeat_with(free_addr).find(|b| *b != a).unwrap();
        let mut pair = Pair {
            a,
            b,
            servers: Vec::new(),
            dir,
        };
        // One after the other: the first one creates and migrates the database.
        for (label, addr) in [("a", a), ("b", b)] {
            let data = pair.dir.path().join(label);
            let extra = ["--totp-key", TOTP_KEY];
            pair.servers.push(start_with(&data, &db, addr, &extra));
            wait_ready(addr).await;
        }
        pair
    }
}

async fn call(
    addr: SocketAddr,
    method: &str,
    path: &str,
    token: &str,
    body: &str,
) -> (u16, String) {
    let token = Some(token).filter(|t| !t.is_empty());
    request(addr, method, path, token, body)
        .await
        .unwrap_or_else(|| panic!("{method} {path}: no answer"))
}

/// The `d` rows of an OData `GET`.
async fn rows(addr: SocketAddr, path: &str, token: &str) -> Vec<Value> {
    let (status, body) = call(addr, "GET", &path.replace(' ', "%20"), token, "").await;
    assert_eq!(status, 200, "{path}: {body}");
    let value: Value = serde_json::from_str(&body).unwrap();
    value["d"].as_array().unwrap().clone()
}

/// Signs up `<name>@example.com` (username `name`) and returns (token, user id).
async fn register(addr: SocketAddr, name: &str) -> (String, i64) {
    let body = json!({"email": format!("{name}@example.com"), "password": PASSWORD});
    let (status, token) = call(addr, "POST", "/user/register", "", &body.to_string()).await;
    assert_eq!(status, 201, "{token}");
    let (status, me) = call(addr, "GET", "/user/v1/whoami", &token, "").await;
    assert_eq!(status, 200, "{me}");
    let me: Value = serde_json::from_str(&me).unwrap();
    assert_eq!(me["username"], name);
    (token, me["id"].as_i64().unwrap())
}

async fn login(addr: SocketAddr, username: &str, password: &str) -> (u16, String) {
    let body = json!({"username": username, "password": password}).to_string();
    call(addr, "POST", "/login_", "", &body).await
}

async fn whoami(addr: SocketAddr, token: &str) -> u16 {
    call(addr, "GET", "/actor/v1/whoami", token, "").await.0
}

#[tokio::test]
async fn a_session_logged_out_on_one_is_refused_by_the_other() {
    let p = Pair::start("logout").await;
    let (token, _) = register(p.a, "ada").await;
    assert_eq!(whoami(p.b, &token).await, 200);
    let (status, body) = call(p.a, "POST", "/user/v1/logout", &token, "").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(whoami(p.b, &token).await, 401);
}

#[tokio::test]
async fn a_key_revoked_on_one_is_refused_by_the_other() {
    let p = Pair::start("api_key").await;
    let (token, _) = register(p.a, "ada").await;
    let (status, key) = call(
        p.a,
        "POST",
        "/api-key/user/full",
        &token,
        r#"{"name":"ci"}"#,
    )
    .await;
    assert_eq!(status, 200, "{key}");
    let key: String = serde_json::from_str(&key).unwrap();
    assert_eq!(whoami(p.b, &key).await, 200);
    let found = rows(p.b, "/v7/api_key?$filter=name eq 'ci'&$select=id", &token).await;
    let id = found[0]["id"].as_i64().unwrap();
    let (status, body) = call(p.a, "DELETE", &format!("/v7/api_key({id})"), &token, "").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(whoami(p.b, &key).await, 401);
}

#[tokio::test]
async fn wrong_passwords_count_across_instances() {
    let p = Pair::start("passwords").await;
    register(p.a, "judy").await;
    // The per-account limit (`ratelimit::LOGIN_PER_ACCOUNT`) is 10: five failures on each
    // instance reach it only if both count into the same place.
    for i in 0..10 {
        let instance = if i % 2 == 0 { p.a } else { p.b };
        let (status, body) = login(instance, "judy", "wrong-Password-1").await;
        assert_eq!(status, 401, "attempt {i}: {body}");
    }
    for instance in [p.a, p.b] {
        assert_eq!(login(instance, "judy", PASSWORD).await.0, 429);
    }
}

fn now_s() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

async fn verify(addr: SocketAddr, token: &str, code: &str) -> (u16, String) {
    let body = json!({ "code": code }).to_string();
    call(addr, "POST", "/auth/totp/verify", token, &body).await
}

/// A password login of an account with 2FA: the partial token waiting for a code.
async fn partial_login(addr: SocketAddr, username: &str) -> String {
    let (status, token) = login(addr, username, PASSWORD).await;
    assert_eq!(status, 200, "{token}");
    let claims = BASE64URL_NOPAD.decode(token.split('.').nth(1).unwrap().as_bytes());
    let claims: Value = serde_json::from_slice(&claims.unwrap()).unwrap();
    assert_eq!(claims["twoFactorRequired"], true, "{claims}");
    token
}

#[tokio::test]
async fn a_totp_code_used_on_one_is_refused_by_the_other() {
    let p = Pair::start("totp").await;
    let (token, _) = register(p.a, "gina").await;
    // Set up on A, enabled on B with the current step's code: both read the secret A stored,
    // so they share the TOTP key.
    let (status, uri) = call(p.a, "GET", "/auth/totp/setup", &token, "").await;
    assert_eq!(status, 200, "{uri}");
    let query = uri.split_once('?').unwrap().1;
    let (_, secret) = form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "secret")
        .unwrap();
    let (status, body) = verify(p.b, &token, &totp::code_at(&secret, now_s())).await;
    assert_eq!(status, 200, "{body}");
    // The next step's code (valid now through the one step of skew, and later than the step
    // just used): accepted once, on A, then refused on B.
    let next = totp::code_at(&secret, now_s() + 30);
    let on_a = partial_login(p.a, "gina").await;
    let on_b = partial_login(p.b, "gina").await;
    let (status, body) = verify(p.a, &on_a, &next).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(verify(p.b, &on_b, &next).await.0, 401);
}

/// Administrators of the organization (role 1) among its memberships, as (membership, user).
async fn admins(addr: SocketAddr, org: i64, token: &str) -> Vec<(i64, i64)> {
    let path = format!("/v7/organization_membership?$filter=is_member_of__organization eq {org}");
    let list = rows(addr, &path, token).await;
    let id = |v: &Value| v.as_i64().unwrap();
    list.iter()
        .filter(|m| m["organization_membership_role"]["__id"] == 1)
        .map(|m| (id(&m["id"]), id(&m["user"]["__id"])))
        .collect()
}

/// The body adding `username` to `org` as an administrator.
fn admin_of(org: i64, username: &str) -> String {
    json!({
        "username": username,
        "is_member_of__organization": org,
        "organization_membership_role": 1,
    })
    .to_string()
}

/// The two administrators of an organization step down at the same moment, each through a
/// different instance, round after round (a role change, then a removal, alternately):
/// exactly one succeeds each time and one administrator is left.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_administrators_demoting_each_other_on_two_instances_leave_one() {
    let p = Pair::start("admins").await;
    let (alice, alice_id) = register(p.a, "alice").await;
    let (bob, bob_id) = register(p.a, "bob").await;
    let org = rows(p.a, "/v7/organization?$filter=handle eq 'alice'", &alice).await;
    let org = org[0]["id"].as_i64().unwrap();
    let members = "/v7/organization_membership";
    let (status, body) = call(p.a, "POST", members, &alice, &admin_of(org, "bob")).await;
    assert_eq!(status, 201, "{body}");
    let seats = admins(p.b, org, &bob).await;
    assert_eq!(seats.len(), 2, "{seats:?}");
    let seat = |user: i64| seats.iter().find(|s| s.1 == user).unwrap().0;
    let mut ids = [seat(alice_id), seat(bob_id)];
    let people = [(&alice, "alice", alice_id), (&bob, "bob", bob_id)];
    for round in 0..6 {
        let (method, body) = if round % 2 == 0 {
            ("PATCH", r#"{"organization_membership_role":2}"#)
        } else {
            ("DELETE", "")
        };
        let step_down = |addr, i: usize| {
            let path = format!("{members}({})", ids[i]);
            let token = people[i].0.clone();
            tokio::spawn(async move { call(addr, method, &path, &token, body).await })
        };
        let (x, y) = (step_down(p.a, 0), step_down(p.b, 1));
        let answers = [x.await.unwrap(), y.await.unwrap()];
        let mut statuses = [answers[0].0, answers[1].0];
        statuses.sort();
        assert_eq!(statuses, [200, 400], "round {round}: {answers:?}");
        // The one refused is the one left: the only administrator, seen so by both.
        let (left, gone) = if answers[0].0 == 400 { (0, 1) } else { (1, 0) };
        let token = people[left].0;
        for addr in [p.a, p.b] {
            let seats = admins(addr, org, token).await;
            assert_eq!(seats, [(ids[left], people[left].2)], "round {round}");
        }
        // Back to two administrators: the one left promotes or re-adds the other.
        let (method, path, body) = if method == "PATCH" {
            let body = r#"{"organization_membership_role":1}"#.to_owned();
            ("PATCH", format!("{members}({})", ids[gone]), body)
        } else {
            ("POST", members.to_owned(), admin_of(org, people[gone].1))
        };
        let (status, body) = call(p.b, method, &path, token, &body).await;
        assert!(matches!(status, 200 | 201), "round {round}: {body}");
        if status == 201 {
            ids[gone] = serde_json::from_str::<Value>(&body).unwrap()["id"]
                .as_i64()
                .unwrap();
        }
        assert_eq!(admins(p.a, org, token).await.len(), 2, "round {round}");
    }
}
