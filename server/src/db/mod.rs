//! Database connection, migrations and the few helpers every query module shares.
//!
//! Queries are runtime-checked `sqlx::query` calls with `$n` placeholders in SQL that both
//! databases read the same way, through sqlx's `Any` driver: SQLite (the embedded default) or
//! PostgreSQL, each with its own migrations of the same schema.
//!
//! A statement that changes data *and* has `RETURNING`, run outside a transaction, is read
//! with `fetch_all`, never `fetch_one`/`fetch_optional`. It commits when it finishes; sqlx
//! stops stepping after the first row it was asked for and resets the statement, and SQLite
//! reports a commit that failed there (a full disk) to no one. The caller would then act on a
//! change that was rolled back: a key reported created but gone, a single-use token or a
//! rate-limit reservation that was never stored. Inside a transaction `COMMIT` reports it.
use std::str::FromStr;
use std::time::Duration;

use anyhow::{bail, Context};
use sqlx::any::AnyPoolOptions;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Any, Executor as _, Transaction};

pub mod copy;
mod snapshot;
mod unique;
pub use snapshot::{Snapshots, Stamp};
pub use unique::{violated_unique, OnUnique};

pub type Db = sqlx::AnyPool;
pub type Tx = Transaction<'static, Any>;
pub type Connection = sqlx::AnyConnection;

/// What a query runs on: the pool or a transaction's connection (`&mut *tx`).
pub trait Executor<'e>: sqlx::Executor<'e, Database = Any> {}
impl<'e, E: sqlx::Executor<'e, Database = Any>> Executor<'e> for E {}

/// The databases this server runs on, chosen by the `--database-url` scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// Refuses a URL this build cannot open, before start-up writes anything (data folder,
    /// keys). sqlx reads anything without a scheme as a SQLite file path, so a typo would
    /// otherwise run on a new, empty SQLite file.
    pub fn of_url(url: &str) -> anyhow::Result<Self> {
        let scheme = url.split_once(':').map_or("", |(scheme, _)| scheme);
        match scheme.to_ascii_lowercase().as_str() {
            "sqlite" => Ok(Self::Sqlite),
            "postgres" | "postgresql" => Ok(Self::Postgres),
            _ => bail!(
                "--database-url must start with sqlite:// or postgres:// (got a URL with scheme {scheme:?})"
            ),
        }
    }

    pub fn of(db: &Db) -> Self {
        match db.connect_options().database_url.scheme() {
            "sqlite" => Self::Sqlite,
            _ => Self::Postgres,
        }
    }
}

/// Per-connection SQLite settings (the Any driver opens connections from the URL alone).
/// WAL: readers never block the writer, and commits are a single append. FULL: an
/// acknowledged sign-up or revocation survives a power loss too (NORMAL in WAL mode only
/// guarantees that across application crashes); our write rate is tiny. busy_timeout: bursts
/// of writes (every limited attempt reserves a row before it is verified) queue on SQLite's
/// one write lock, and on a loaded two-core machine 5 s was seen to run out; 20 s stays below
/// the 30 s request timeout, so a stuck writer still ends as an answer. temp_store MEMORY:
/// the permission predicates' `IN (… UNION …)` lists are ephemeral tables, which SQLite would
/// otherwise back with a new temporary file per statement; that file dominated the cost of
/// an authenticated list (about 60 µs of a 70 µs query). Those lists hold a user's memberships,
/// so they stay small.
const SQLITE_SETTINGS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
    PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 20000; PRAGMA temp_store = MEMORY;";

/// Opens and migrates the database. A missing SQLite file (and its folder) or PostgreSQL
/// database is created.
pub async fn connect(url: &str) -> anyhow::Result<Db> {
    sqlx::any::install_default_drivers();
    let backend = Backend::of_url(url)?;
    let (pool, migrator) = match backend {
        Backend::Sqlite => {
            let options =
                SqliteConnectOptions::from_str(url).context("parsing the database URL")?;
            if let Some(dir) = options.get_filename().parent() {
                if !dir.as_os_str().is_empty() {
                    std::fs::create_dir_all(dir)
                        .with_context(|| format!("creating {}", dir.display()))?;
                }
            }
            let url = if url.contains("mode=") {
                url.to_owned()
            } else {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}mode=rwc")
            };
            let pool = AnyPoolOptions::new()
                .max_connections(8)
                .after_connect(|conn, _| {
                    Box::pin(async move { conn.execute(SQLITE_SETTINGS).await.map(drop) })
                })
                .connect(&url)
                .await
                .context("opening the database")?;
            (pool, sqlx::migrate!("./migrations/sqlite"))
        }
        Backend::Postgres => {
            // A request waits at most 2 s for a connection, so while PostgreSQL is down or
            // restarting requests fail fast (503: sqlx retries a refused connection until
            // then) and the pool reconnects once it is back. Under load a connection is free
            // within ~0.1 s (p99 at 64 clients on 16 connections); a wait of 2 s means
            // overload, and 503 is the right answer to that too.
            let options = AnyPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(2));
            let pool = match options.clone().connect(url).await {
                // 3D000 invalid_catalog_name: the database does not exist yet. Created like a
                // missing SQLite file, when the role may (CREATEDB); else the error says why.
                Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("3D000") => {
                    use sqlx::migrate::MigrateDatabase;
                    Any::create_database(url)
                        .await
                        .context("creating the PostgreSQL database")?;
                    options.connect(url).await
                }
                other => other,
            }
            .context("connecting to PostgreSQL")?;
            (pool, sqlx::migrate!("./migrations/postgres"))
        }
    };
    migrator
        .run(&pool)
        .await
        .context("migrating the database")?;
    Ok(pool)
}

/// Commit stamps for `url`'s database, opened and migrated by [`connect`] already.
pub async fn snapshots(url: &str) -> anyhow::Result<Snapshots> {
    match Backend::of_url(url)? {
        Backend::Postgres => Ok(Snapshots::none()),
        Backend::Sqlite => {
            let options =
                SqliteConnectOptions::from_str(url).context("parsing the database URL")?;
            Snapshots::sqlite(url, options.get_filename())
                .await
                .context("opening the database's commit stamps")
        }
    }
}

/// The key of the one advisory lock every PostgreSQL write transaction takes (ASCII "acwrite"):
/// any fixed number works, it only has to be the same on every instance.
const WRITE_LOCK: i64 = 0x0061_6377_7269_7465;

/// A transaction that holds the database's one write lock from its first statement, so that
/// its checks and changes are serialised against every other write transaction, on every
/// server instance. Each invariant that spans statements (the last administrator, single-use
/// tokens, strictly increasing TOTP steps, rate-limit reservations, the plan rule) is written
/// once against this guarantee, and it holds on both databases:
/// - SQLite: `BEGIN IMMEDIATE` takes the write lock up front (a deferred transaction that
///   reads first could fail with SQLITE_BUSY when another writer got in between); waiters
///   queue through busy_timeout.
/// - PostgreSQL: a transaction-scoped advisory lock, `pg_advisory_xact_lock`, taken first and
///   released at commit or rollback. Readers are never blocked, as under SQLite's WAL.
///   Chosen over SERIALIZABLE with retries because every write here is small and rare next to
///   reads, and it keeps one proof of each invariant for both databases.
pub async fn begin_write(db: &Db) -> Result<Tx, sqlx::Error> {
    match Backend::of(db) {
        Backend::Sqlite => db.begin_with("BEGIN IMMEDIATE").await,
        Backend::Postgres => {
            let mut tx = db.begin().await?;
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(WRITE_LOCK)
                .execute(&mut *tx)
                .await?;
            Ok(tx)
        }
    }
}

/// Reads a boolean column: PostgreSQL sends `BOOLEAN`, SQLite an integer 0 or 1.
pub fn get_bool(row: &sqlx::any::AnyRow, index: usize) -> Result<Option<bool>, sqlx::Error> {
    use sqlx::Row as _;
    match row.try_get::<Option<bool>, _>(index) {
        Ok(b) => Ok(b),
        Err(sqlx::Error::ColumnDecode { .. }) => {
            Ok(row.try_get::<Option<i64>, _>(index)?.map(|i| i != 0))
        }
        Err(e) => Err(e),
    }
}
#[cfg(test)]
mod tests {
    use super::Backend;

    #[test]
    fn only_sqlite_and_postgres_urls_are_opened() {
        let of = |url| Backend::of_url(url).unwrap();
        assert_eq!(of("sqlite://data/account-console.db"), Backend::Sqlite);
        assert_eq!(of("sqlite::memory:"), Backend::Sqlite);
        assert_eq!(of("postgres://u@h/db"), Backend::Postgres);
        assert_eq!(of("postgresql://h/db"), Backend::Postgres);
        for url in ["mysql://h/db", "data/x.db", ""] {
            let err = Backend::of_url(url).unwrap_err().to_string();
            assert!(err.contains("--database-url"), "{url}: {err}");
        }
    }
}
