//! `server migrate-data`: a SQLite database copied into a new one (PostgreSQL when the tests
//! run on it) keeps every credential working.
use axum::http::StatusCode;

use crate::api_keys::{new_key, works};
use crate::common::TestApp;
use crate::two_factor::{code, enrolled, new_codes, partial_login, verify, STEP};

#[tokio::test]
async fn a_copied_database_keeps_passwords_totp_recovery_codes_keys_and_sessions() {
    let old = TestApp::sqlite().await;
    let user = enrolled(&old, "gina@example.com").await;
    let recovery = new_codes(&old, &user.token).await;
    let (key, _) = new_key(&old, &user.token, "ci").await;
    old.register("hal@example.com").await;

    let dir = tempfile::tempdir().unwrap();
    let target = TestApp::fresh_database_url(dir.path());
    let copied = server::db::copy::copy_database(&old.db_url, &target)
        .await
        .unwrap();
    let rows = |table| copied.iter().find(|(t, _)| *t == table).unwrap().1;
    assert_eq!(
        (rows("users"), rows("recovery_codes"), rows("api_keys")),
        (2, 10, 1)
    );

    let new = old.with_keys_on(target.clone(), &[]).await;
    assert_eq!(
        new.get("/user/v1/whoami", Some(&user.token)).await.status,
        StatusCode::OK,
        "the session"
    );
    assert!(works(&new, &key).await, "the API key");
    old.clock.advance(STEP);
    let partial = partial_login(&new, &user.username).await;
    let res = verify(&new, &partial, &code(&new, &user.secret)).await;
    assert_eq!(
        res.status,
        StatusCode::OK,
        "password and TOTP: {}",
        res.text()
    );
    let partial = partial_login(&new, &user.username).await;
    let res = verify(&new, &partial, &recovery[0]).await;
    assert_eq!(
        res.status,
        StatusCode::OK,
        "a recovery code: {}",
        res.text()
    );
    // New rows get new ids after the copied ones.
    new.register("ivy@example.com").await;

    // A second copy into the now non-empty database is refused.
    let again = server::db::copy::copy_database(&old.db_url, &target).await;
    assert!(again
        .unwrap_err()
        .to_string()
        .contains("--to already holds"));
}
