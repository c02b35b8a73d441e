//! Work that runs after the answer has gone out: bounded, so a flood of anonymous requests
//! cannot queue unbounded tasks (each holding database writes) behind the logins of everyone
//! else, and the periodic sweep of rows that can no longer count for anything.
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::db::Db;
use crate::error::AppError;
use crate::state::AppState;

/// Background tasks in flight at most; more are dropped (their requests were already answered
/// the same way, so dropping is invisible, as a rate limit would be).
pub const MAX_TASKS: usize = 8;

/// How often expired rows are swept.
const SWEEP_EVERY: Duration = Duration::from_secs(10 * 60);

#[derive(Debug)]
pub struct Background {
    permits: Arc<Semaphore>,
}

impl Default for Background {
    fn default() -> Self {
        Self {
            permits: Arc::new(Semaphore::new(MAX_TASKS)),
        }
    }
}

impl Background {
    /// Runs `task` in the background if a slot is free; `false` when it was dropped.
    pub fn try_spawn<F>(&self, what: &'static str, task: F) -> bool
    where
        F: Future<Output = Result<(), AppError>> + Send + 'static,
    {
        let Ok(permit) = Arc::clone(&self.permits).try_acquire_owned() else {
            tracing::warn!(what, "background work saturated: request dropped");
            return false;
        };
        tokio::spawn(async move {
            if let Err(e) = task.await {
                tracing::error!(what, error = %e, "background work failed");
            }
            drop(permit);
        });
        true
    }

    /// Waits until no background task runs (tests, graceful shutdown).
    pub async fn idle(&self) {
        let all = u32::try_from(MAX_TASKS).unwrap_or(u32::MAX);
        if let Ok(permits) = self.permits.acquire_many(all).await {
            drop(permits);
        }
    }
}

/// Deletes what has expired: rate-limit keys whose window and block are over, sessions, reset
/// tokens, email verification tokens and social sign-in states. Returns the rows deleted.
pub async fn sweep(db: &Db, now_ms: i64) -> Result<u64, AppError> {
    let mut deleted = crate::ratelimit::sweep(db, now_ms).await?;
    for sql in [
        "DELETE FROM sessions WHERE expires_at <= $1",
        "DELETE FROM password_reset_tokens WHERE expires_at <= $1",
        "DELETE FROM oauth_states WHERE expires_at <= $1",
        "DELETE FROM email_verification_tokens WHERE expires_at <= $1",
    ] {
        deleted += sqlx::query(sql)
            .bind(now_ms)
            .execute(db)
            .await?
            .rows_affected();
    }
    Ok(deleted)
}

/// Sweeps every [`SWEEP_EVERY`] for as long as the server runs.
pub fn spawn_sweeper(state: &AppState) {
    let state = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(SWEEP_EVERY);
        loop {
            tick.tick().await;
            match sweep(&state.db, state.now_ms()).await {
                Ok(n) => tracing::debug!(deleted = n, "expired rows swept"),
                Err(e) => tracing::error!(error = %e, "sweeping expired rows failed"),
            }
        }
    });
}
