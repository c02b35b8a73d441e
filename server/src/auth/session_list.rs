//! The active-sessions list: what a user sees of their own sessions and how they end them.
//! Partial sessions (two-factor code still due) are not shown and cannot be picked: they are
//! sign-ins in progress, replaced by a new session once the code passes.
use sqlx::FromRow;
use wire::SessionRow;

use crate::auth::session::Session;
use crate::auth::user_agent;
use crate::clock::iso_millis;
use crate::db::{self, Db};
use crate::error::AppError;

#[derive(FromRow)]
struct Row {
    id: i64,
    user_agent: Option<String>,
    client_ip: Option<String>,
    created_at: i64,
    last_used_at: i64,
}

/// `current`'s user's live, fully authenticated sessions, most recently used first;
/// `current` marks the caller's.
pub async fn list(db: &Db, current: &Session, now_ms: i64) -> Result<Vec<SessionRow>, AppError> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, user_agent, client_ip, created_at, last_used_at FROM sessions
         WHERE user_id = $1 AND expires_at > $2 AND NOT partial
         ORDER BY last_used_at DESC, id DESC",
    )
    .bind(current.user_id)
    .bind(now_ms)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let (browser, os) = user_agent::describe(row.user_agent.as_deref().unwrap_or_default());
            SessionRow {
                id: row.id,
                browser: browser.map(str::to_owned),
                os: os.map(str::to_owned),
                ip: row.client_ip,
                created_at: iso_millis(row.created_at),
                last_used_at: iso_millis(row.last_used_at),
                current: row.id == current.id,
            }
        })
        .collect())
}

/// Ends session `id` if it is one of `user_id`'s listed sessions; `false` for anyone else's
/// (or an unknown id), which the caller answers alike so ids reveal nothing.
pub async fn revoke_own(db: &Db, user_id: i64, id: i64) -> Result<bool, AppError> {
    let done = sqlx::query("DELETE FROM sessions WHERE id = $1 AND user_id = $2 AND NOT partial")
        .bind(id)
        .bind(user_id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Ends every other session of the caller's user; `None` when the caller's own session ended
/// first. In one write transaction, so when two sessions revoke each other at the same time
/// exactly one of them survives (never neither).
pub async fn revoke_others(db: &Db, current: &Session) -> Result<Option<u64>, AppError> {
    let mut tx = db::begin_write(db).await?;
    let alive: Option<i64> = sqlx::query_scalar("SELECT id FROM sessions WHERE id = $1")
        .bind(current.id)
        .fetch_optional(&mut *tx)
        .await?;
    if alive.is_none() {
        return Ok(None);
    }
    let ended =
        crate::auth::session::revoke_others(&mut tx, current.user_id, Some(current.id)).await?;
    tx.commit().await?;
    Ok(Some(ended))
}
