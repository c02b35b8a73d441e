//! Faults: the server binary killed with SIGKILL in the middle of a burst of writes, 20 times
//! over. Every write it acknowledged is there after the restart, and a SQLite database passes
//! its integrity check. On PostgreSQL when `ACCOUNT_CONSOLE_TEST_POSTGRES` is set.
mod process;

use std::process::Command;
use std::time::{Duration, Instant};

use process::{free_addr, request, start, wait_ready, REGISTER};

const ROUNDS: usize = 20;
const BURST: usize = 16;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let db = match std::env::var("ACCOUNT_CONSOLE_TEST_POSTGRES") {
        Ok(cluster) => format!("{cluster}/faults_{}", std::process::id()),
        Err(_) => format!("sqlite://{}", data.join("account-console.db").display()),
    };
    let addr = free_addr();
    let mut server = start(&data, &db, addr);
    wait_ready(addr).await;
    let (status, token) = request(addr, "POST", "/user/register", None, REGISTER)
        .await
        .unwrap();
    assert_eq!(status, 201, "{token}");

    let mut acknowledged: Vec<String> = Vec::new();
    for round in 0..ROUNDS {
        let (tx, mut acks) = tokio::sync::mpsc::unbounded_channel();
        let tasks: Vec<_> = (0..BURST)
            .map(|i| {
                let (token, tx) = (token.clone(), tx.clone());
                tokio::spawn(async move {
                    let name = format!("r{round}-{i}");
                    let body = format!(r#"{{"name":"{name}"}}"#);
                    let reply = request(addr, "POST", "/api-key/user/full", Some(&token), &body);
                    if let Some((200, _)) = reply.await {
                        tx.send(name).unwrap();
                    }
                })
            })
            .collect();
        drop(tx);
        // Kill once a few writes were acknowledged: the rest are in flight.
        let mut this_round = Vec::new();
        while this_round.len() < 3 {
            match acks.recv().await {
                Some(name) => this_round.push(name),
                None => break,
            }
        }
        server.kill();
        for task in tasks {
            task.await.unwrap();
        }
        while let Ok(name) = acks.try_recv() {
            this_round.push(name);
        }
        assert!(
            !this_round.is_empty(),
            "round {round}: nothing was acknowledged"
        );
        acknowledged.extend(this_round);

        server = start(&data, &db, addr);
        wait_ready(addr).await;
        let (status, list) = request(addr, "GET", "/v7/api_key?$select=name", Some(&token), "")
            .await
            .unwrap();
        assert_eq!(status, 200, "{list}");
        let list: serde_json::Value = serde_json::from_str(&list).unwrap();
        let stored: Vec<&str> = list["d"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["name"].as_str().unwrap())
            .collect();
        for name in &acknowledged {
            assert!(
                stored.contains(&name.as_str()),
                "round {round}: {name} was lost"
            );
        }
    }
    server.kill();
    println!(
        "{} of {} writes acknowledged before the kills, all of them kept",
        acknowledged.len(),
        ROUNDS * BURST
    );
    assert!(
        acknowledged.len() < ROUNDS * BURST,
        "every write was acknowledged: no kill landed mid-burst"
    );

    if db.starts_with("sqlite:") {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect(&db).await.unwrap();
        let check: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert_eq!(check, "ok");
    }
}

/// PostgreSQL stopped and started again under a running server: meanwhile requests are
/// answered 503 (the pool waits at most 2 s for a connection, far below the 30 s request
/// timeout), and afterwards the same server process answers again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_restarted_under_the_server_answers_503_then_recovers() {
    const NAME: &str = "postgres_restarted_under_the_server_answers_503_then_recovers";
    // Stopping a cluster stops every test on it: this one always gets a cluster of its own,
    // by running itself under scripts/with-postgres.
    const OWN: &str = "ACCOUNT_CONSOLE_TEST_OWN_CLUSTER";
    if std::env::var(OWN).as_deref() != Ok(NAME) {
        let status = Command::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../scripts/with-postgres"
        ))
        .arg(std::env::current_exe().unwrap())
        .args(["--exact", NAME, "--nocapture"])
        .env(OWN, NAME)
        .status()
        .expect("run scripts/with-postgres");
        assert!(status.success(), "{NAME} next to a cluster of its own");
        return;
    }
    let cluster = std::env::var("ACCOUNT_CONSOLE_TEST_POSTGRES").unwrap();
    let ctl = std::env::var("ACCOUNT_CONSOLE_TEST_POSTGRES_CTL").unwrap();
    let pg = |action: &str| {
        let out = Command::new(&ctl).arg(action).output().unwrap();
        assert!(out.status.success(), "{action}: {out:?}");
    };
    let dir = tempfile::tempdir().unwrap();
    let db = format!("{cluster}/restart_{}", std::process::id());
    let addr = free_addr();
    let mut server = start(&dir.path().join("data"), &db, addr);
    wait_ready(addr).await;
    let (status, token) = request(addr, "POST", "/user/register", None, REGISTER)
        .await
        .unwrap();
    assert_eq!(status, 201, "{token}");
    let whoami = || request(addr, "GET", "/user/v1/whoami", Some(&token), "");

    pg("stop");
    let down = Instant::now();
    for _ in 0..3 {
        assert_eq!(
            whoami().await.unwrap().0,
            503,
            "a read while PostgreSQL is down"
        );
    }
    let key = r#"{"name":"while down"}"#;
    let reply = request(addr, "POST", "/api-key/user/full", Some(&token), key).await;
    assert_eq!(reply.unwrap().0, 503, "a write while PostgreSQL is down");
    println!("4 requests answered 503 in {:?}", down.elapsed());

    pg("start");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match whoami().await.unwrap().0 {
            200 => break,
            503 if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(200)).await
            }
            other => panic!("{other} after PostgreSQL came back"),
        }
    }
    let key = r#"{"name":"after"}"#;
    let reply = request(addr, "POST", "/api-key/user/full", Some(&token), key).await;
    assert_eq!(reply.unwrap().0, 200, "a write after PostgreSQL came back");
    server.kill();
}
