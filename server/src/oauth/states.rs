//! `oauth_states`: one row per sign-in under way, found by the hash of its `state` and
//! consumed once.
use crate::db::Db;

/// What a sign-in under way keeps until its callback.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Pending {
    pub pkce_verifier: String,
    /// The console's nonce: echoed in the redirect back, so only the browser tab that
    /// started the sign-in accepts its result.
    pub browser_nonce: String,
    /// The OpenID Connect `nonce` the ID token must carry (unused for GitHub).
    pub oidc_nonce: String,
}

/// Stores a new attempt (expired ones go in the periodic sweep, `crate::background`).
pub async fn insert(
    db: &Db,
    state_hash: &str,
    provider: &str,
    pending: &Pending,
    now: i64,
    expires_at: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO oauth_states
             (state_hash, provider, pkce_verifier, browser_nonce, oidc_nonce, created_at,
              expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(state_hash)
    .bind(provider)
    .bind(&pending.pkce_verifier)
    .bind(&pending.browser_nonce)
    .bind(&pending.oidc_nonce)
    .bind(now)
    .bind(expires_at)
    .execute(db)
    .await?;
    Ok(())
}

/// The attempt for this state, deleted in the same statement: a replayed callback (or one
/// for another provider, or an expired one) finds nothing.
pub async fn consume(
    db: &Db,
    state_hash: &str,
    provider: &str,
    now: i64,
) -> sqlx::Result<Option<Pending>> {
    sqlx::query_as(
        "DELETE FROM oauth_states WHERE state_hash = $1 AND provider = $2 AND expires_at > $3
         RETURNING pkce_verifier, browser_nonce, oidc_nonce",
    )
    .bind(state_hash)
    .bind(provider)
    .bind(now)
    .fetch_all(db) // To the end: a failed commit must reach us (see `crate::db`).
    .await
    .map(|rows| rows.into_iter().next())
}
