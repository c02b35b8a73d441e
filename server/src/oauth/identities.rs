//! Social identities in the database: which user a provider's subject signs in as.
use crate::db::{self, Db};
use crate::error::AppError;

/// The user the provider's `subject` is linked to.
pub async fn user_of(db: &Db, provider: &str, subject: &str) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT user_id FROM user_identities WHERE provider = $1 AND subject = $2",
    )
    .bind(provider)
    .bind(subject)
    .fetch_optional(db)
    .await?)
}

/// Links `subject` to the user. Fails with a unique violation when the subject is linked
/// already, or the user has an identity of this provider.
pub async fn link<'e>(
    db: impl db::Executor<'e>,
    user_id: i64,
    provider: &str,
    subject: &str,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO user_identities (user_id, provider, subject, created_at)
         VALUES ($1, $2, $3, $4)",
    )
    .bind(user_id)
    .bind(provider)
    .bind(subject)
    .bind(now_ms)
    .execute(db)
    .await?;
    Ok(())
}
