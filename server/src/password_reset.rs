//! Password-reset links in the database: only each token's SHA-256 is stored, one live link
//! per user, consumed by the one statement that decides between parallel confirmations.
use crate::db::{self, Db, Tx};
use crate::error::AppError;

/// The account a live link belongs to: id, username, email.
pub type Owner = (i64, String, Option<String>);

/// Stores a new link for `user_id`, replacing every older one of the user.
pub async fn replace(
    db_pool: &Db,
    user_id: i64,
    token_hash: &str,
    now_ms: i64,
    expires_at: i64,
) -> Result<(), AppError> {
    let mut tx = db::begin_write(db_pool).await?;
    delete_for_user(&mut tx, user_id).await?;
    sqlx::query(
        "INSERT INTO password_reset_tokens (user_id, token_hash, created_at, expires_at)
         VALUES ($1, $2, $3, $4)",
    )
    .bind(user_id)
    .bind(token_hash)
    .bind(now_ms)
    .bind(expires_at)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Who a live (unexpired, unused) link belongs to.
pub async fn owner(db_pool: &Db, token_hash: &str, now_ms: i64) -> Result<Option<Owner>, AppError> {
    Ok(sqlx::query_as(
        "SELECT u.id, u.username, u.email FROM password_reset_tokens t
         JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND t.expires_at > $2",
    )
    .bind(token_hash)
    .bind(now_ms)
    .fetch_optional(db_pool)
    .await?)
}

/// Uses the link up: of two parallel confirmations only one gets its user id back.
pub async fn consume(tx: &mut Tx, token_hash: &str, now_ms: i64) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar(
        "DELETE FROM password_reset_tokens WHERE token_hash = $1 AND expires_at > $2
         RETURNING user_id",
    )
    .bind(token_hash)
    .bind(now_ms)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Every link of the user, live or not.
pub async fn delete_for_user(tx: &mut Tx, user_id: i64) -> Result<(), AppError> {
    sqlx::query("DELETE FROM password_reset_tokens WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
