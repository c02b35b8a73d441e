//! Knowing, without a query, whether anything was committed since a moment: what lets hot
//! reads be answered from memory while staying exactly as fresh as the database.
//!
//! Every SQLite connection in WAL mode learns of commits from the wal-index header at the
//! start of the `-shm` file (<https://www.sqlite.org/walformat.html>): each commit rewrites
//! it (frame count, change counter, checksums), and nothing else does. Reading those bytes
//! with one `pread` costs about a microsecond, where a query through sqlx's connection thread
//! costs two thread hand-offs (~40 µs here). It sees commits by every connection of every
//! process, so it holds for writes this server did not make too.
//!
//! PostgreSQL offers no such signal shared by all instances without a round trip, so there
//! (and for a SQLite database without WAL, e.g. in memory) there is no stamp and nothing is
//! served from memory.
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::Mutex;

use sqlx::Connection as _;

/// The wal-index header, stored twice in a row: a writer updates the second copy, then the
/// first, so a reader that finds them equal read a whole one.
const HEADER: usize = 48;

/// What the database's commit history looked like at one instant: two equal stamps mean no
/// transaction committed in between.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Stamp([u8; HEADER]);

#[cfg(test)]
impl Stamp {
    pub fn for_tests(n: u8) -> Self {
        Self([n; HEADER])
    }
}

pub struct Snapshots {
    shm: Option<File>,
    /// Held open for the server's life: SQLite deletes the `-shm` file when its last
    /// connection closes and builds a new one on the next open, which the open `shm` handle
    /// would not see. The pool alone may close all its connections when idle. (Never used,
    /// only kept; the mutex makes the state shareable between threads.)
    _pin: Option<Mutex<sqlx::AnyConnection>>,
}

impl Snapshots {
    /// No stamps: every read goes to the database.
    pub fn none() -> Self {
        Self {
            shm: None,
            _pin: None,
        }
    }

    /// Stamps for the SQLite database at `file`, opened through `url` to pin its `-shm`.
    /// None when it is not in WAL mode (nothing to read the header from).
    pub async fn sqlite(url: &str, file: &Path) -> anyhow::Result<Self> {
        let mut pin = sqlx::AnyConnection::connect(url).await?;
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&mut pin)
            .await?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Ok(Self::none());
        }
        let mut shm = file.as_os_str().to_owned();
        shm.push("-shm");
        Ok(Self {
            shm: Some(File::open(shm)?),
            _pin: Some(Mutex::new(pin)),
        })
    }

    /// The current stamp; None when there are none, or the header was being rewritten at
    /// this very moment (the caller then just reads the database).
    pub fn now(&self) -> Option<Stamp> {
        let mut both = [0u8; 2 * HEADER];
        self.shm.as_ref()?.read_exact_at(&mut both, 0).ok()?;
        let (first, second) = both.split_at(HEADER);
        (first == second).then(|| Stamp(first.try_into().expect("HEADER bytes")))
    }
}
