//! Outgoing mail: the outbox's `.eml` files, and the SMTP path against a real SMTP server
//! (Debian's `python3-aiosmtpd`, installed by scripts/bootstrap).
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use serde_json::json;

use crate::common::*;

pub const VERIFY_SUBJECT: &str = "Subject: Verify your Account Console email address";

/// The outbox's messages, oldest first, without the verification mails every sign-up sends
/// (they go out in the background at their own pace; [`verification_mails`] has them).
pub fn outbox(app: &TestApp) -> Vec<String> {
    all_mails(app)
        .into_iter()
        .filter(|m| !m.contains(VERIFY_SUBJECT))
        .collect()
}

/// The verification mails sent to `email`, oldest first.
pub fn verification_mails(app: &TestApp, email: &str) -> Vec<String> {
    let to = format!("To: {email}");
    all_mails(app)
        .into_iter()
        .filter(|m| m.contains(VERIFY_SUBJECT) && m.contains(&to))
        .collect()
}

/// Waits for the `n`-th verification mail to `email` and returns the token of its link.
pub async fn verification_token(app: &TestApp, email: &str, n: usize) -> String {
    let start = Instant::now();
    loop {
        let mails = verification_mails(app, email);
        if mails.len() >= n {
            let mail = &mails[n - 1];
            let link = mail
                .lines()
                .find(|l| l.contains("/verify-email#token="))
                .unwrap_or_else(|| panic!("no link in {mail}"));
            let fragment = link.split_once("#token=").unwrap().1.trim();
            let (token, email_param) = fragment.split_once("&email=").unwrap();
            assert_eq!(
                email_param,
                email.replace('@', "%40"),
                "the address rides along"
            );
            return token.to_owned();
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no verification mail"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Opens the verification link mailed at sign-up.
pub async fn verify_email(app: &TestApp, email: &str) {
    let token = verification_token(app, email, 1).await;
    let res = app
        .post_json(
            "/user/v1/verify-email",
            &json!({ "verificationToken": token, "email": email }),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
}

fn all_mails(app: &TestApp) -> Vec<String> {
    let dir = app.data_dir().join("outbox");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    names.sort();
    names
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

/// Waits (mail goes out in a background task) until the outbox holds `n` messages.
pub async fn wait_for_mails(app: &TestApp, n: usize) -> Vec<String> {
    let start = Instant::now();
    loop {
        let mails = outbox(app);
        if mails.len() >= n {
            return mails;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "expected {n} mails, have {}",
            mails.len()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The token of the reset link in a message.
pub fn reset_token(mail: &str) -> String {
    let (_, rest) = mail
        .split_once("reset-password#token=")
        .unwrap_or_else(|| panic!("no reset link in {mail}"));
    rest.split_whitespace().next().unwrap().to_owned()
}

/// Asks for a reset link for `email` and returns its token (from the outbox).
pub async fn reset_link_token(app: &TestApp, email: &str) -> String {
    let before = outbox(app).len();
    let res = app
        .post_json("/user/v1/password-reset", &json!({ "email": email }))
        .await;
    assert_eq!(res.status, StatusCode::OK);
    reset_token(&wait_for_mails(app, before + 1).await[before])
}

#[tokio::test]
async fn outbox_messages_are_rfc_5322_with_a_working_link() {
    let app = TestApp::with_args(&["--public-url", "https://console.example/account"]).await;
    app.register("olive@example.com").await;
    app.post_json(
        "/user/v1/password-reset",
        &json!({"email": "olive@example.com"}),
    )
    .await;
    let mail = &wait_for_mails(&app, 1).await[0];
    for header in [
        "From: \"Account Console\" <no-reply@localhost>\r\n",
        "To: olive@example.com\r\n",
        "Subject: Reset your Account Console password\r\n",
        "Date: ",
        "Content-Type: text/plain; charset=utf-8\r\n",
        "Content-Transfer-Encoding: 7bit\r\n",
    ] {
        assert!(mail.contains(header), "{header:?} missing in {mail}");
    }
    // The configured base, never the Host header; the token only in the fragment.
    assert!(mail.contains("\r\nhttps://console.example/account/reset-password#token="));
    let token = reset_token(mail);
    assert_eq!(token.len(), 43, "32 bytes, base64url");
    let res = app
        .post_json(
            "/user/v1/password-reset/confirm",
            &json!({"token": token, "password": "new-Quartz-pear-99"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(
        app.login("olive", "new-Quartz-pear-99").await.status,
        StatusCode::OK
    );
    // The file is the server's user's alone: it holds a live link until used.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let dir = app.data_dir().join("outbox");
        let entry = std::fs::read_dir(dir).unwrap().next().unwrap().unwrap();
        assert_eq!(
            entry.metadata().unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
}

/// `python3 -m aiosmtpd -n` prints every message it receives on stdout.
struct SmtpServer {
    child: Child,
    port: u16,
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_aiosmtpd() -> SmtpServer {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    // Debian's package installs into the system Python, whatever else is first on PATH.
    let python = if std::path::Path::new("/usr/bin/python3").exists() {
        "/usr/bin/python3"
    } else {
        "python3"
    };
    let child = Command::new(python)
        .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 -m aiosmtpd (install python3-aiosmtpd: scripts/bootstrap)");
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "aiosmtpd did not start (is python3-aiosmtpd installed? see scripts/bootstrap)"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    SmtpServer { child, port }
}

#[tokio::test]
async fn the_smtp_path_delivers_to_a_real_smtp_server() {
    let mut smtp = start_aiosmtpd();
    let port = smtp.port.to_string();
    let app = TestApp::with_args(&[
        "--smtp-host",
        "127.0.0.1",
        "--smtp-port",
        &port,
        "--smtp-tls",
        "none",
        "--mail-from",
        "Console <console@example.com>",
        "--public-url",
        "http://console.test/",
    ])
    .await;
    app.register("sid@example.com").await;
    app.post_json(
        "/user/v1/password-reset",
        &json!({"email": "sid@example.com"}),
    )
    .await;
    // Read aiosmtpd's stdout on a thread until the whole reset message has arrived (the
    // sign-up's verification mail may come before or after it).
    let stdout = smtp.child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut message = String::new();
        for line in BufReader::new(stdout).lines() {
            let line = line.unwrap();
            message.push_str(&line);
            message.push('\n');
            if line.contains("END MESSAGE") {
                if message.contains("Subject: Reset your Account Console password") {
                    break;
                }
                message.clear();
            }
        }
        message
    });
    let received = tokio::task::spawn_blocking(move || reader.join().unwrap())
        .await
        .unwrap();
    assert!(received.contains("sid@example.com"), "{received}");
    assert!(received.contains("console@example.com"), "{received}");
    let token = reset_token(&received);
    assert!(received.contains("http://console.test/reset-password#token="));
    // Nothing went to the outbox, and the emailed token works.
    assert!(outbox(&app).is_empty());
    let res = app
        .post_json(
            "/user/v1/password-reset/confirm",
            &json!({"token": token, "password": "smtp-Walrus-owl-31"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
}
