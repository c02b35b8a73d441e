//! SQLite storage faults on the real server binary: a disk that fills up under it, and a
//! database another process keeps locked. Both are answered 503, never
//! 500, and lose or corrupt nothing; the server recovers without a restart.
mod process;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use process::{free_addr, request, server_args, spawn, start, wait_ready, Server, REGISTER};
use sqlx::Connection;

/// Room for the database, its WAL and the keys, and little more: the filler takes the rest.
const DISK: &str = "8m";
/// Writes tried on the full disk: enough to fill any WAL the database had, then some refusals.
const MAX_ATTEMPTS: usize = 3000;
const REFUSALS: usize = 10;

async fn create_key(addr: std::net::SocketAddr, token: &str, name: &str) -> u16 {
    let body = format!(r#"{{"name":"{name}"}}"#);
    let reply = request(addr, "POST", "/api-key/user/full", Some(token), &body).await;
    reply.expect("the server answers").0
}

async fn register(addr: std::net::SocketAddr) -> String {
    let (status, token) = request(addr, "POST", "/user/register", None, REGISTER)
        .await
        .unwrap();
    assert_eq!(status, 201, "{token}");
    token
}

async fn open(db: &str) -> sqlx::AnyConnection {
    sqlx::any::install_default_drivers();
    sqlx::AnyConnection::connect(db).await.unwrap()
}

/// A small file system of the test's own: a tmpfs in a private mount namespace (of an
/// unprivileged user namespace, so no root is needed), mounted over one folder. A holder
/// process keeps it alive, so the files outlive the server run in it.
struct Disk {
    holder: Child,
}

impl Disk {
    fn mount(over: &Path) -> Self {
        let mut holder = Command::new("unshare")
            .args(["--user", "--map-root-user", "--mount", "sh", "-c"])
            .arg(r#"mount -t tmpfs -o size="$1" tmpfs "$2" && echo mounted && exec sleep 3600"#)
            .args(["sh", DISK])
            .arg(over)
            .stdout(Stdio::piped())
            .spawn()
            .expect("run unshare (util-linux)");
        let mut line = String::new();
        BufReader::new(holder.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(
            line.trim(),
            "mounted",
            "mounting a tmpfs in a user namespace"
        );
        Self { holder }
    }

    /// The server binary with `args`, in the file system's namespace (nsenter execs it, so
    /// the child's pid is the server's).
    fn run(&self, args: Vec<std::ffi::OsString>) -> Server {
        let mut command = Command::new("nsenter");
        command
            .arg(format!("--target={}", self.holder.id()))
            .args(["--user", "--mount", "--preserve-credentials"])
            .arg(env!("CARGO_BIN_EXE_server"))
            .args(args);
        spawn(command)
    }

    /// `path` as seen inside the namespace.
    fn inside(&self, path: &Path) -> PathBuf {
        let relative = path.strip_prefix("/").unwrap();
        Path::new(&format!("/proc/{}/root", self.holder.id())).join(relative)
    }
}

impl Drop for Disk {
    fn drop(&mut self) {
        let _ = self.holder.kill();
        let _ = self.holder.wait();
    }
}

/// Fills the file system holding `path` until it refuses to grow.
fn fill(path: &Path) {
    let mut filler = std::fs::File::create(path).unwrap();
    let chunk = vec![0u8; 64 * 1024];
    loop {
        if let Err(e) = filler.write_all(&chunk) {
            assert_eq!(e.kind(), std::io::ErrorKind::StorageFull, "{e}");
            return;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_answers_503_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let file = data.join("account-console.db");
    let db = format!("sqlite://{}", file.display());
    let addr = free_addr();
    let disk = Disk::mount(&data);
    let mut server = disk.run(server_args(&data, &db, addr));
    wait_ready(addr).await;
    let token = register(addr).await;
    let mut acknowledged = Vec::new();
    for i in 0..5 {
        let name = format!("before-{i}");
        assert_eq!(create_key(addr, &token, &name).await, 200);
        acknowledged.push(name);
    }

    let filler = disk.inside(&data.join("filler"));
    fill(&filler);
    // Commits first reuse the WAL's room; once it must grow (or a checkpoint must grow the
    // database file), they fail.
    let (mut attempts, mut refused) = (0, 0);
    while refused < REFUSALS {
        attempts += 1;
        assert!(attempts <= MAX_ATTEMPTS, "the full disk refused no write");
        let name = format!("full-{attempts}");
        match create_key(addr, &token, &name).await {
            200 => acknowledged.push(name),
            503 => refused += 1,
            other => panic!("{name}: {other} on a full disk"),
        }
    }
    // The attempt's rate-limit reservation cannot be stored, so it is not made at all.
    let wrong = r#"{"username":"faults@example.com","password":"wrong-Password-1"}"#;
    let (status, _) = request(addr, "POST", "/login_", None, wrong).await.unwrap();
    assert_eq!(status, 503, "a password attempt that cannot be counted");
    let (status, _) = request(addr, "GET", "/v7/api_key?$select=name", Some(&token), "")
        .await
        .unwrap();
    assert_eq!(status, 200, "reads go on while the disk is full");

    std::fs::remove_file(&filler).unwrap();
    assert_eq!(create_key(addr, &token, "after").await, 200, "recovered");
    acknowledged.push("after".to_owned());

    server.kill();

    // The files as the killed server left them, copied out of its file system.
    let copy = dir.path().join("copy");
    std::fs::create_dir(&copy).unwrap();
    for suffix in ["", "-wal"] {
        let name = format!("account-console.db{suffix}");
        std::fs::copy(disk.inside(&data.join(&name)), copy.join(&name)).unwrap();
    }
    let mut conn = open(&format!(
        "sqlite://{}",
        copy.join("account-console.db").display()
    ))
    .await;
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(check, "ok");
    let mut stored: Vec<String> = sqlx::query_scalar("SELECT name FROM api_keys")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    stored.sort();
    acknowledged.sort();
    assert_eq!(
        stored, acknowledged,
        "exactly the acknowledged keys are stored"
    );
    println!("{refused} of {attempts} writes refused with 503 on the full disk, the rest kept");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_database_answers_503_until_it_is_released() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let db = format!("sqlite://{}", data.join("account-console.db").display());
    let addr = free_addr();
    let mut server = start(&data, &db, addr);
    wait_ready(addr).await;
    let token = register(addr).await;

    // Another process's write transaction that outlasts the server's busy timeout.
    let mut other = open(&db).await;
    sqlx::query("BEGIN EXCLUSIVE")
        .execute(&mut other)
        .await
        .unwrap();
    let body = r#"{"name":"locked out"}"#;
    let (status, _) = request(addr, "POST", "/api-key/user/full", Some(&token), body)
        .await
        .unwrap();
    assert_eq!(status, 503, "a write behind another's lock");
    sqlx::query("ROLLBACK").execute(&mut other).await.unwrap();

    assert_eq!(create_key(addr, &token, "released").await, 200);
    let names: Vec<String> = sqlx::query_scalar("SELECT name FROM api_keys")
        .fetch_all(&mut other)
        .await
        .unwrap();
    assert_eq!(names, ["released"]);
    server.kill();
}
