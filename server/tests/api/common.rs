//! The harness: the real router on a fresh database (a SQLite file, or a PostgreSQL database
//! when [`POSTGRES_ENV`] is set) and a settable clock, driven without a socket (`oneshot`),
//! with a mocked peer address.
// Shared by several test binaries, each using a part of it.
#![allow(dead_code)]
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::body::{to_bytes, Body, Bytes};
use axum::extract::connect_info::MockConnectInfo;
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use clap::Parser;
use data_encoding::BASE64URL_NOPAD;
use serde_json::Value;
use server::clock::ManualClock;
use server::{AppState, Config};
use tempfile::TempDir;
use tower::ServiceExt;
use wire::{ErrorCode, ERROR_CODE_HEADER};

/// 2026-01-01T00:00:00.000Z
pub const T0: i64 = 1_767_225_600_000;
pub const SECRET: &str = "test-signing-key-test-signing-key-0123456789";
pub const PASSWORD: &str = "plum-Sofa-42-quartz";
pub const DEFAULT_PEER: ([u8; 4], u16) = ([192, 0, 2, 1], 40_000);

/// Set (by `scripts/with-postgres`) to a PostgreSQL cluster's URL: every test app then runs on
/// a new database of its own there instead of a SQLite file.
pub const POSTGRES_ENV: &str = "ACCOUNT_CONSOLE_TEST_POSTGRES";

pub fn on_postgres() -> bool {
    std::env::var_os(POSTGRES_ENV).is_some()
}

/// A database of its own in the cluster; the server creates it when it starts.
fn fresh_postgres_database(cluster: &str) -> String {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{cluster}/test_{}_{n}", std::process::id())
}

pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    pub clock: Arc<ManualClock>,
    pub db_url: String,
    pub dir: TempDir,
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl TestApp {
    /// API only (the static dir does not exist).
    pub async fn new() -> Self {
        Self::with_args(&[]).await
    }

    pub async fn with_args(extra: &[&str]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        Self::in_dir(dir, extra, None).await
    }

    /// With a console build at `<dir>/dist` made by `make_dist`.
    pub async fn with_console(extra: &[&str], make_dist: impl FnOnce(&std::path::Path)) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let dist = dir.path().join("dist");
        std::fs::create_dir_all(&dist).unwrap();
        make_dist(&dist);
        Self::in_dir(dir, extra, None).await
    }

    /// On a SQLite file whatever [`POSTGRES_ENV`] says (a database to copy from, say).
    pub async fn sqlite() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("data/test.db").display());
        Self::in_dir(dir, &[], Some((url, Arc::new(ManualClock::new(T0))))).await
    }

    /// A second server instance on this one's database, as replicas behind a load balancer
    /// are: its own state and connection pool, the same JWT secret (`--jwt-secret`), the same
    /// TOTP key (its key file, copied into the new data directory) and the same clock.
    pub async fn replica(&self, extra: &[&str]) -> Self {
        self.with_keys_on(self.db_url.clone(), extra).await
    }

    /// A new instance with this one's keys and clock on the database at `db_url`.
    pub async fn with_keys_on(&self, db_url: String, extra: &[&str]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("data")).unwrap();
        std::fs::copy(
            self.data_dir().join("totp-key"),
            dir.path().join("data/totp-key"),
        )
        .unwrap();
        Self::in_dir(dir, extra, Some((db_url, self.clock.clone()))).await
    }

    /// A database URL nobody uses yet: in the PostgreSQL cluster when [`POSTGRES_ENV`] is
    /// set, else a SQLite file in `dir`.
    pub fn fresh_database_url(dir: &std::path::Path) -> String {
        match std::env::var(POSTGRES_ENV) {
            Ok(cluster) => fresh_postgres_database(&cluster),
            Err(_) => format!("sqlite://{}", dir.join("test.db").display()),
        }
    }

    async fn in_dir(
        dir: TempDir,
        extra: &[&str],
        shared: Option<(String, Arc<ManualClock>)>,
    ) -> Self {
        let path = |p: &str| -> String { dir.path().join(p).to_str().unwrap().to_owned() };
        let (db, clock) = shared.unwrap_or_else(|| {
            let db = Self::fresh_database_url(&dir.path().join("data"));
            (db, Arc::new(ManualClock::new(T0)))
        });
        let mut args: Vec<String> = [
            "server",
            "--data-dir",
            &path("data"),
            "--database-url",
            &db,
            "--static-dir",
            &path("dist"),
            "--jwt-secret",
            SECRET,
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        args.extend(extra.iter().map(|s| (*s).to_owned()));
        let config = Config::try_parse_from(args).unwrap();
        let (router, state) = server::app(config, clock.clone()).await.unwrap();
        let router = router.layer(MockConnectInfo(SocketAddr::from(DEFAULT_PEER)));
        Self {
            router,
            state,
            clock,
            db_url: db,
            dir,
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub async fn send(&self, req: Request<Body>) -> TestResponse {
        answer(self.router.clone(), req).await
    }

    /// Sends every request at once, each on its own task, and returns the answers in order.
    pub async fn send_all(&self, reqs: Vec<Request<Body>>) -> Vec<TestResponse> {
        let tasks: Vec<_> = reqs
            .into_iter()
            .map(|req| {
                let router = self.router.clone();
                tokio::spawn(answer(router, req))
            })
            .collect();
        let mut out = Vec::with_capacity(tasks.len());
        for task in tasks {
            out.push(task.await.unwrap());
        }
        out
    }

    /// How many rows `table` has (white-listed names only: tests never build SQL from input).
    pub async fn rows(&self, table: &'static str) -> i64 {
        let sql = match table {
            "rate_limits" => "SELECT COUNT(*) FROM rate_limits",
            "sessions" => "SELECT COUNT(*) FROM sessions",
            "password_reset_tokens" => "SELECT COUNT(*) FROM password_reset_tokens",
            "oauth_states" => "SELECT COUNT(*) FROM oauth_states",
            "email_verification_tokens" => "SELECT COUNT(*) FROM email_verification_tokens",
            other => panic!("no row count for {other}"),
        };
        sqlx::query_scalar(sql)
            .fetch_one(&self.state.db)
            .await
            .unwrap()
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> TestResponse {
        self.send(json_request(Method::POST, path, body, None))
            .await
    }

    pub async fn post_json_from(&self, path: &str, body: &Value, peer: SocketAddr) -> TestResponse {
        let mut req = json_request(Method::POST, path, body, None);
        req.extensions_mut().insert(ConnectInfo(peer));
        self.send(req).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> TestResponse {
        let mut req = Request::get(path);
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        self.send(req.body(Body::empty()).unwrap()).await
    }

    /// Signs up and returns the session token.
    pub async fn register(&self, email: &str) -> String {
        let res = self
            .post_json(
                "/user/register",
                &serde_json::json!({"email": email, "password": PASSWORD}),
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
        res.text()
    }

    pub async fn login(&self, username: &str, password: &str) -> TestResponse {
        self.post_json(
            "/login_",
            &serde_json::json!({"username": username, "password": password}),
        )
        .await
    }
}

pub fn json_request(
    method: Method,
    path: &str,
    body: &Value,
    token: Option<&str>,
) -> Request<Body> {
    let mut req = Request::builder()
        .method(method)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    req.body(Body::from(body.to_string())).unwrap()
}

/// `req` through `router`, its body read whole.
async fn answer(router: Router, req: Request<Body>) -> TestResponse {
    let res = router.oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = to_bytes(res.into_body(), usize::MAX).await.unwrap();
    TestResponse {
        status,
        headers,
        body,
    }
}

/// `POST /login_` as a request, from `peer` when given.
pub fn login_request(username: &str, password: &str, peer: Option<SocketAddr>) -> Request<Body> {
    let body = serde_json::json!({"username": username, "password": password});
    let mut req = json_request(Method::POST, "/login_", &body, None);
    if let Some(peer) = peer {
        req.extensions_mut().insert(ConnectInfo(peer));
    }
    req
}

/// How many answers have `status`.
pub fn count_status(responses: &[TestResponse], status: StatusCode) -> usize {
    responses.iter().filter(|r| r.status == status).count()
}

/// Every answer is `allowed` or a 429 with `Retry-After`.
#[track_caller]
pub fn assert_only(responses: &[TestResponse], allowed: StatusCode) {
    for r in responses {
        if r.status == StatusCode::TOO_MANY_REQUESTS {
            assert!(r.header("retry-after").is_some(), "429 without Retry-After");
        } else {
            assert_eq!(r.status, allowed, "{}", r.text());
        }
    }
}

impl TestResponse {
    pub fn text(&self) -> String {
        String::from_utf8(self.body.to_vec()).unwrap()
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.text()))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }

    /// A JSON string body, as the API sends client errors, without an error code: nothing
    /// the console needs to tell apart.
    #[track_caller]
    pub fn assert_error(&self, status: StatusCode, message: &str) {
        self.assert_message(status, message);
        assert_eq!(
            self.header(ERROR_CODE_HEADER),
            None,
            "unexpected error code"
        );
    }

    /// balena's body text unchanged, plus the code the console decides by.
    #[track_caller]
    pub fn assert_coded(&self, status: StatusCode, message: &str, code: ErrorCode) {
        self.assert_message(status, message);
        assert_eq!(self.header(ERROR_CODE_HEADER), Some(code.as_str()));
    }

    #[track_caller]
    fn assert_message(&self, status: StatusCode, message: &str) {
        assert_eq!(self.status, status, "{}", self.text());
        assert_eq!(self.header("content-type"), Some("application/json"));
        assert_eq!(self.json(), Value::String(message.to_owned()));
    }

    /// An empty-bodied error (401, 404, 405).
    #[track_caller]
    pub fn assert_empty(&self, status: StatusCode) {
        assert_eq!(self.status, status, "{}", self.text());
        assert!(self.body.is_empty(), "body: {:?}", self.text());
    }
}

/// The payload of a JWT, unverified (what a client sees).
pub fn claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&BASE64URL_NOPAD.decode(payload.as_bytes()).unwrap()).unwrap()
}

pub fn user_id(token: &str) -> i64 {
    claims(token)["id"].as_i64().unwrap()
}

/// The sorted claim names of a token.
pub fn claim_keys(token: &str) -> Vec<String> {
    let mut keys: Vec<String> = claims(token).as_object().unwrap().keys().cloned().collect();
    keys.sort();
    keys
}

/// Signs arbitrary claims with the test key (to forge partial or odd tokens).
pub fn sign(claims: &Value) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        claims,
        &jsonwebtoken::EncodingKey::from_secret(SECRET.as_bytes()),
    )
    .unwrap()
}
