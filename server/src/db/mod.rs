//! Database connection, migrations and the few helpers every query module shares.
//!
//! Queries are runtime-checked `sqlx::query` calls with `$n` placeholders, so the same SQL runs
//! on PostgreSQL once a `postgres` migration directory exists; the pool type is the only
//! SQLite-specific name outside this module.
use std::str::FromStr;
use std::time::Duration;

use anyhow::{bail, Context};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, Transaction};

mod unique;
pub use unique::{violated_unique, OnUnique};

pub type Db = sqlx::SqlitePool;
pub type Tx = Transaction<'static, Sqlite>;

/// What a query runs on: the pool or a transaction's connection (`&mut *tx`).
pub trait Executor<'e>: sqlx::Executor<'e, Database = Sqlite> {}
impl<'e, E: sqlx::Executor<'e, Database = Sqlite>> Executor<'e> for E {}

/// Opens (creating if missing) and migrates the database.
pub async fn connect(url: &str) -> anyhow::Result<Db> {
    let options = SqliteConnectOptions::from_str(url)
        .with_context(|| "parsing the database URL")?
        .create_if_missing(true)
        // WAL: readers never block the writer, and commits are a single append.
        .journal_mode(SqliteJournalMode::Wal)
        // FULL: an acknowledged sign-up or revocation survives a power loss too (NORMAL in WAL
        // mode only guarantees that across application crashes). Our write rate is tiny, so
        // the extra fsync per commit costs nothing noticeable.
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        // Bursts of writes (every limited attempt reserves a row before it is verified) queue
        // on SQLite's one write lock; on a loaded two-core machine 5 s was seen to run out.
        // Below the 30 s request timeout, so a stuck writer still ends as an answer.
        .busy_timeout(Duration::from_secs(20));
    if let Some(dir) = options.get_filename().parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
    }
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await
        .context("opening the database")?;
    sqlx::migrate!("./migrations/sqlite")
        .run(&pool)
        .await
        .context("migrating the database")?;
    Ok(pool)
}

/// Refuses a URL this build cannot open, before start-up writes anything (data folder, keys). sqlx reads anything without a `sqlite:` scheme as a
/// file path, so a `postgres://` URL would otherwise create a folder named `postgres:` and
/// run on a new, empty SQLite file.
pub fn check_url(url: &str) -> anyhow::Result<()> {
    let scheme = url.split_once(':').map_or("", |(scheme, _)| scheme);
    match scheme.to_ascii_lowercase().as_str() {
        "sqlite" => Ok(()),
        "postgres" | "postgresql" => {
            bail!("--database-url: PostgreSQL is not supported by this build; use a sqlite:// URL")
        }
        _ => bail!("--database-url must start with sqlite:// (got a URL with scheme {scheme:?})"),
    }
}

/// A transaction that takes the write lock up front. On SQLite a deferred transaction that
/// reads first and writes later can fail with SQLITE_BUSY when another writer got in between;
/// `BEGIN IMMEDIATE` waits for the lock instead (busy_timeout). PostgreSQL: plain `BEGIN`.
pub async fn begin_write(db: &Db) -> Result<Tx, sqlx::Error> {
    db.begin_with("BEGIN IMMEDIATE").await
}
#[cfg(test)]
mod tests {
    use super::check_url;

    #[test]
    fn only_sqlite_urls_are_opened() {
        assert!(check_url("sqlite://data/account-console.db").is_ok());
        assert!(check_url("sqlite::memory:").is_ok());
        for url in [
            "postgres://u@h/db",
            "postgresql://h/db",
            "mysql://h/db",
            "data/x.db",
            "",
        ] {
            let err = check_url(url).unwrap_err().to_string();
            assert!(err.contains("--database-url"), "{url}: {err}");
        }
    }
}
