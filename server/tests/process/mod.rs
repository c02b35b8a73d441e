//! Driving the real server binary over a socket: for tests that kill it, restart it or run
//! it in a namespace of its own.
// Shared by several test binaries, each using a part of it.
#![allow(dead_code)]
use std::ffi::OsString;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub const SECRET: &str = "fault-test-signing-key-fault-test-signing-key";
pub const REGISTER: &str = r#"{"email":"faults@example.com","password":"plum-Sofa-42-quartz"}"#;

/// One HTTP/1.1 exchange; `None` when the connection broke (the server was killed).
pub async fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &str,
) -> Option<(u16, String)> {
    let mut stream = tokio::net::TcpStream::connect(addr).await.ok()?;
    let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{auth}\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(req.as_bytes()).await.ok()?;
    let mut raw = String::new();
    stream.read_to_string(&mut raw).await.ok()?;
    let (head, body) = raw.split_once("\r\n\r\n")?;
    let status = head.split_whitespace().nth(1)?.parse().ok()?;
    Some((status, body.to_owned()))
}

/// The server binary's arguments for a data folder, a database URL and an address.
pub fn server_args(data: &Path, db: &str, addr: SocketAddr) -> Vec<OsString> {
    let mut args: Vec<OsString> = ["--listen", &addr.to_string(), "--database-url", db]
        .map(OsString::from)
        .into();
    args.push("--data-dir".into());
    args.push(data.into());
    for a in ["--static-dir", "/nonexistent", "--jwt-secret", SECRET] {
        args.push(a.into());
    }
    args
}

/// A running server binary. Killed when dropped, so a test that fails midway leaves no server
/// behind holding its port and database.
pub struct Server(Child);

impl Server {
    /// SIGKILL, and reaped.
    pub fn kill(&mut self) {
        self.0.kill().expect("kill the server");
        self.0.wait().expect("reap the server");
    }

    pub fn id(&self) -> u32 {
        self.0.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs `command` quietly: the server's own log is not the test's output.
pub fn spawn(mut command: Command) -> Server {
    let child = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the server binary");
    Server(child)
}

pub fn start(data: &Path, db: &str, addr: SocketAddr) -> Server {
    start_with(data, db, addr, &[])
}

pub async fn wait_ready(addr: SocketAddr) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while request(addr, "GET", "/config", None, "").await.map(|r| r.0) != Some(200) {
        assert!(Instant::now() < deadline, "the server did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub fn free_addr() -> SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
}

/// `start` with more arguments after the usual ones (e.g. `--totp-key`).
pub fn start_with(data: &Path, db: &str, addr: SocketAddr, extra: &[&str]) -> Server {
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    command.args(server_args(data, db, addr)).args(extra);
    spawn(command)
}
