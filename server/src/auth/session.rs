//! Server-side sessions behind the JWTs.
//!
//! balena's tokens carry `jwt_secret`, which OBA compares with a per-user secret. Here it is a
//! per-*session* secret instead: 20 random bytes (base32, 32 characters, the same shape),
//! stored only as SHA-256. Every authenticated request looks the session up, so logout, password
//! change, 2FA change and the session list revoke tokens at once, while the claim set
//! stays exactly balena's.
use anyhow::anyhow;
use data_encoding::{BASE32, HEXLOWER};
use sha2::{Digest, Sha256};
use wire::SessionClaims;

use crate::auth::origin::SessionOrigin;
use crate::db::{self, Db};
use crate::error::AppError;
use crate::jwt::JwtKeys;
use crate::read_cache::Reads;

/// Token lifetime, renewed by refresh (balena/openBalena: 7 days).
pub const TOKEN_TTL_MS: i64 = 7 * 24 * 60 * 60 * 1000;
/// A partial token (password given, two-factor code due) only serves the challenge: it lives
/// 15 minutes, then the login starts over.
pub const PARTIAL_TOKEN_TTL_MS: i64 = 15 * 60 * 1000;
/// Absolute session lifetime (ASVS 7.3.2): refresh is refused once the last password
/// authentication is older than this, so a token chain lives at most this plus one TTL.
pub const ABSOLUTE_LIFETIME_MS: i64 = 30 * 24 * 60 * 60 * 1000;

/// Sensitive actions (2FA changes, recovery codes, API keys) need a password authentication
/// this recent (ASVS 7.5.1; openBalena's `SUDO_TOKEN_VALIDITY`). `POST /user/v1/refresh-token
/// {"password"}` renews it.
pub const FRESH_AUTH_MS: i64 = 20 * 60 * 1000;

/// A session's `last_used_at` is written at most once in this window.
pub const LAST_USED_GRANULARITY_MS: i64 = 60_000;

/// 401 `"Fresh authentication token required"` unless the session's last password
/// authentication is at most [`FRESH_AUTH_MS`] old.
pub fn ensure_fresh(session: &Session, now_ms: i64) -> Result<(), AppError> {
    if now_ms - session.auth_time <= FRESH_AUTH_MS {
        Ok(())
    } else {
        tracing::info!(
            user_id = session.user_id,
            "refused: fresh authentication required"
        );
        Err(AppError::FreshAuthRequired)
    }
}

/// A live session, as found for a request's token.
#[derive(Clone, Debug)]
pub struct Session {
    pub id: i64,
    pub user_id: i64,
    /// The token's `jwt_secret`; needed to mint a refreshed token for the same session.
    pub secret: String,
    /// Last password authentication (ms), from the session row.
    pub auth_time: i64,
    /// The token's `twoFactorRequired` claim: `Some(true)` is a partial (2FA pending) token.
    pub two_factor_required: Option<bool>,
}

fn hash_secret(secret: &str) -> String {
    HEXLOWER.encode(&Sha256::digest(secret.as_bytes()))
}

fn new_secret() -> Result<String, AppError> {
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes).map_err(|e| anyhow!("CSPRNG unavailable: {e}"))?;
    Ok(BASE32.encode(&bytes))
}

fn mint(
    keys: &JwtKeys,
    user_id: i64,
    secret: &str,
    auth_time: i64,
    two_factor_required: Option<bool>,
    now_ms: i64,
) -> Result<(String, i64), AppError> {
    let iat = now_ms.div_euclid(1000);
    let ttl = if two_factor_required == Some(true) {
        PARTIAL_TOKEN_TTL_MS
    } else {
        TOKEN_TTL_MS
    };
    let exp = iat + ttl / 1000;
    let claims = SessionClaims {
        id: user_id,
        jwt_secret: secret.to_owned(),
        auth_time,
        two_factor_required,
        iat,
        exp,
    };
    Ok((keys.sign(&claims)?, exp * 1000))
}

/// Starts a session for a user who just authenticated with a password; returns its JWT.
/// Takes a connection so sign-up can create it inside its transaction.
pub async fn create(
    conn: &mut db::Connection,
    keys: &JwtKeys,
    user_id: i64,
    origin: &SessionOrigin,
    now_ms: i64,
) -> Result<String, AppError> {
    create_with(conn, keys, user_id, now_ms, None, origin, now_ms).await
}

/// Starts a session whose token carries `two_factor_required` (`Some(true)`: a partial token
/// after the password step of a 2FA user; `Some(false)`: the second factor was passed) and
/// the given `auth_time` (the last password authentication). `origin` is what the session
/// list shows about where it was started.
pub async fn create_with(
    conn: &mut db::Connection,
    keys: &JwtKeys,
    user_id: i64,
    auth_time: i64,
    two_factor_required: Option<bool>,
    origin: &SessionOrigin,
    now_ms: i64,
) -> Result<String, AppError> {
    let secret = new_secret()?;
    let (token, expires_at) = mint(
        keys,
        user_id,
        &secret,
        auth_time,
        two_factor_required,
        now_ms,
    )?;
    sqlx::query(
        "INSERT INTO sessions (user_id, secret_hash, created_at, auth_time, expires_at,
                               user_agent, client_ip, last_used_at, partial)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $3, $8)",
    )
    .bind(user_id)
    .bind(hash_secret(&secret))
    .bind(now_ms)
    .bind(auth_time)
    .bind(expires_at)
    .bind(origin.user_agent.as_deref())
    .bind(origin.ip.map(|ip| ip.to_string()))
    .bind(two_factor_required == Some(true))
    .execute(&mut *conn)
    .await?;
    // Expired sessions of this user are dead weight; sweeping them here keeps the table small
    // without a background job.
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND expires_at <= $2")
        .bind(user_id)
        .bind(now_ms)
        .execute(&mut *conn)
        .await?;
    Ok(token)
}

/// A session row as the read cache keeps it, by [`SessionKey`].
#[derive(Clone, Debug)]
pub struct SessionRow {
    id: i64,
    auth_time: i64,
    last_used_at: i64,
    expires_at: i64,
}

/// The secret's hash and the user id: what a token's session is looked up by.
pub type SessionKey = (String, i64);

/// The live session a verified token belongs to. Stamps `last_used_at` when it is more than
/// [`LAST_USED_GRANULARITY_MS`] old, so most requests only read; the UPDATE is conditional, so
/// parallel requests in the same minute write at most once. The row comes from the read cache
/// while no commit happened since it was read, so a logout or revocation anywhere is seen by
/// the next request; expiry and the `last_used_at` window are checked against `now_ms` either
/// way.
pub async fn find(
    db: &Db,
    reads: &Reads,
    claims: &SessionClaims,
    now_ms: i64,
) -> Result<Option<Session>, AppError> {
    let stale_before = now_ms - LAST_USED_GRANULARITY_MS;
    let key = (hash_secret(&claims.jwt_secret), claims.id);
    let at = reads.snapshots.now();
    let row = match reads.sessions.get(at, &key) {
        Some(row) if row.expires_at > now_ms && row.last_used_at > stale_before => row,
        _ => {
            let row: Option<(i64, i64, i64, i64)> = sqlx::query_as(
                "SELECT id, auth_time, last_used_at, expires_at FROM sessions
                 WHERE secret_hash = $1 AND user_id = $2 AND expires_at > $3",
            )
            .bind(&key.0)
            .bind(key.1)
            .bind(now_ms)
            .fetch_optional(db)
            .await?;
            let Some((id, auth_time, last_used_at, expires_at)) = row else {
                return Ok(None);
            };
            let row = SessionRow {
                id,
                auth_time,
                last_used_at,
                expires_at,
            };
            reads.sessions.put(at, key, row.clone());
            row
        }
    };
    let SessionRow {
        id,
        auth_time,
        last_used_at,
        ..
    } = row;
    if last_used_at <= stale_before {
        sqlx::query("UPDATE sessions SET last_used_at = $1 WHERE id = $2 AND last_used_at <= $3")
            .bind(now_ms)
            .bind(id)
            .bind(stale_before)
            .execute(db)
            .await?;
    }
    Ok(Some(Session {
        id,
        user_id: claims.id,
        secret: claims.jwt_secret.clone(),
        auth_time,
        two_factor_required: claims.two_factor_required,
    }))
}

/// A new token for the same session, valid for another TTL. `reauthenticated` (the password
/// was just checked) renews `authTime`. `None` when the session ended meanwhile.
pub async fn refresh(
    db: &Db,
    keys: &JwtKeys,
    session: &Session,
    reauthenticated: bool,
    now_ms: i64,
) -> Result<Option<String>, AppError> {
    let auth_time = if reauthenticated {
        now_ms
    } else {
        session.auth_time
    };
    // The 2FA claim is kept: a refreshed token of a 2FA user still says the factor was passed.
    let (token, expires_at) = mint(
        keys,
        session.user_id,
        &session.secret,
        auth_time,
        session.two_factor_required,
        now_ms,
    )?;
    let updated = sqlx::query(
        "UPDATE sessions SET expires_at = $1, auth_time = $2
         WHERE id = $3 AND expires_at > $4",
    )
    .bind(expires_at)
    .bind(auth_time)
    .bind(session.id)
    .bind(now_ms)
    .execute(db)
    .await?;
    Ok((updated.rows_affected() == 1).then_some(token))
}

/// Ends a session: every token minted for it stops working on the next request. False when
/// it had ended already.
pub async fn revoke<'e>(
    db: impl crate::db::Executor<'e>,
    session_id: i64,
) -> Result<bool, AppError> {
    let ended = sqlx::query("DELETE FROM sessions WHERE id = $1")
        .bind(session_id)
        .execute(db)
        .await?;
    Ok(ended.rows_affected() == 1)
}

/// Ends every session of `user_id` except `keep` (2FA and other credential changes, ASVS
/// 7.4.3). Takes a connection so it can run inside the change's transaction.
pub async fn revoke_others(
    conn: &mut db::Connection,
    user_id: i64,
    keep: Option<i64>,
) -> Result<u64, AppError> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id <> COALESCE($2, -1)")
        .bind(user_id)
        .bind(keep)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_have_balenas_shape() {
        let s = new_secret().unwrap();
        assert_eq!(s.len(), 32);
        assert!(s
            .bytes()
            .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b)));
        assert_ne!(s, new_secret().unwrap());
        assert_eq!(hash_secret(&s).len(), 64);
    }
}
