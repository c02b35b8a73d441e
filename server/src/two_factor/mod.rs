//! Two-factor authentication: TOTP (RFC 6238) and recovery codes, and their rows.
//!
//! * TOTP: SHA-1, 6 digits, 30 s steps, one step of skew (RFC 6238 §5.2 allows it; a code thus
//!   lives 60–90 s). Codes are checked against the server's clock only. A secret is 20 bytes
//!   from the OS CSPRNG, stored encrypted (see [`key`]). A code is accepted only for a time step
//!   strictly later than the last accepted one, in one conditional UPDATE: no replay, not even
//!   in parallel, and no older code after a newer one.
//! * Recovery codes: 10 per set, each 15 random bytes (120 bits) shown as 24 base32 characters
//!   in groups of four. At 112 bits or more ASVS 6.5.2 allows a plain SHA-256, so that is what
//!   is stored, looked up by a unique index (one hash per attempt, nothing to compare in a
//!   loop). Input is forgiving: case, spaces and hyphens are ignored.
pub mod key;

use anyhow::anyhow;
use data_encoding::{BASE32_NOPAD, HEXLOWER};
use sha2::{Digest, Sha256};
use totp_rs::{Algorithm, Builder};

use crate::db::{self, Db};
use crate::error::AppError;
use crate::ratelimit::Policy;

pub use self::key::TotpCipher;

pub const SECRET_BYTES: usize = 20;
pub const STEP_SECS: u64 = 30;
pub const DIGITS: u8 = 6;
pub const SKEW_STEPS: u16 = 1;
pub const RECOVERY_CODES: usize = 10;
const RECOVERY_CODE_BYTES: usize = 15;
/// Shown in authenticator apps next to the account name.
pub const ISSUER: &str = "Account Console";

/// Wrong codes one partial token may submit; the last one ends its session, so the next try
/// needs the password again.
pub const MAX_FAILURES_PER_PARTIAL_TOKEN: i64 = 5;

/// Wrong codes (TOTP or recovery) per account: 10 an hour, then 15 minutes of 429s. With 5 per
/// partial token and a password needed for each new one, guessing a 6-digit code (3 valid per
/// window with skew 1) stays hopeless; a user who mistypes a few times is never bothered.
pub const TOTP_PER_ACCOUNT: Policy = Policy {
    limit: 10,
    window_ms: 60 * 60 * 1000,
    block_ms: 15 * 60 * 1000,
};

pub fn rate_limit_key(user_id: i64) -> String {
    format!("totp:user:{user_id}")
}

/// A user's TOTP row, with the secret decrypted.
pub struct Credential {
    pub secret: Vec<u8>,
    /// Exactly what is stored, so enabling can insist the secret did not change meanwhile.
    pub ciphertext: Vec<u8>,
    pub enabled: bool,
}

pub fn new_secret() -> Result<[u8; SECRET_BYTES], AppError> {
    let mut secret = [0u8; SECRET_BYTES];
    getrandom::fill(&mut secret).map_err(|e| anyhow!("CSPRNG unavailable: {e}"))?;
    Ok(secret)
}

/// The `otpauth://` URI for authenticator apps. Built by hand so `secret` is not the first
/// query parameter (balena's Python SDK finds it only then); the label is `issuer:account`.
pub fn otpauth_uri(username: &str, secret: &[u8]) -> String {
    let issuer = percent_encode(ISSUER);
    format!(
        "otpauth://totp/{issuer}:{}?issuer={issuer}&secret={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECS}",
        percent_encode(username),
        BASE32_NOPAD.encode(secret),
    )
}

fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The time step a 6-digit `code` is valid for at `now_ms` (one step of skew either way), or
/// `None`. Anything but exactly six ASCII digits is `None`.
pub fn matching_step(secret: &[u8], code: &str, now_ms: i64) -> Option<i64> {
    wire::validate::totp_code(code).ok()?;
    let totp = Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(DIGITS)
        .with_skew(SKEW_STEPS)
        .with_step_duration(STEP_SECS)
        .with_secret(secret.to_vec())
        .build()
        .ok()?;
    let now_secs = u64::try_from(now_ms.div_euclid(1000)).ok()?;
    let step = totp.check(code, now_secs)?;
    i64::try_from(step).ok()
}

/// A fresh set of recovery codes, as shown to the user (`abcd-efgh-...`, 6 groups of 4).
pub fn new_recovery_codes() -> Result<Vec<String>, AppError> {
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; RECOVERY_CODE_BYTES];
            getrandom::fill(&mut bytes).map_err(|e| anyhow!("CSPRNG unavailable: {e}"))?;
            let chars = BASE32_NOPAD.encode(&bytes).to_ascii_lowercase();
            let groups: Vec<&str> = chars
                .as_bytes()
                .chunks(4)
                .map(|c| std::str::from_utf8(c).unwrap_or_default())
                .collect();
            Ok(groups.join("-"))
        })
        .collect()
}

/// The canonical form of something typed as a recovery code (24 base32 characters,
/// uppercase), or `None` when it cannot be one.
pub fn normalize_recovery_code(input: &str) -> Option<String> {
    let code: String = input
        .chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == RECOVERY_CODE_BYTES * 8 / 5
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b)))
    .then_some(code)
}

fn hash_recovery_code(normalized: &str) -> String {
    HEXLOWER.encode(&Sha256::digest(normalized.as_bytes()))
}

pub async fn load(
    db: &Db,
    cipher: &TotpCipher,
    user_id: i64,
) -> Result<Option<Credential>, AppError> {
    let row: Option<(Vec<u8>, Option<i64>)> = sqlx::query_as(
        "SELECT secret_ciphertext, enabled_at FROM totp_credentials WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(db)
    .await?;
    let Some((ciphertext, enabled_at)) = row else {
        return Ok(None);
    };
    let secret = cipher.decrypt(user_id, &ciphertext)?;
    Ok(Some(Credential {
        secret,
        ciphertext,
        enabled: enabled_at.is_some(),
    }))
}

pub async fn is_enabled(db: &Db, user_id: i64) -> Result<bool, AppError> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM totp_credentials WHERE user_id = $1 AND enabled_at IS NOT NULL",
    )
    .bind(user_id)
    .fetch_optional(db)
    .await?;
    Ok(found.is_some())
}

/// Stores a new pending secret (replacing an earlier pending one). `false` when 2FA is
/// already enabled: an enabled secret is never replaced (disable first).
pub async fn store_pending(
    db: &Db,
    user_id: i64,
    ciphertext: &[u8],
    now_ms: i64,
) -> Result<bool, AppError> {
    let done = sqlx::query(
        "INSERT INTO totp_credentials (user_id, secret_ciphertext, created_at)
         VALUES ($1, $2, $3)
         ON CONFLICT (user_id) DO UPDATE SET
             secret_ciphertext = excluded.secret_ciphertext,
             created_at = excluded.created_at,
             last_used_step = -1
         WHERE totp_credentials.enabled_at IS NULL",
    )
    .bind(user_id)
    .bind(ciphertext)
    .bind(now_ms)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Enables the pending secret `ciphertext` with a code of `step`: one conditional UPDATE, so
/// a replaced secret or a used step changes nothing (`false`).
pub async fn enable(
    conn: &mut db::Connection,
    user_id: i64,
    ciphertext: &[u8],
    step: i64,
    now_ms: i64,
) -> Result<bool, AppError> {
    let done = sqlx::query(
        "UPDATE totp_credentials SET enabled_at = $1, last_used_step = $2
         WHERE user_id = $3 AND enabled_at IS NULL AND secret_ciphertext = $4
           AND last_used_step < $2",
    )
    .bind(now_ms)
    .bind(step)
    .bind(user_id)
    .bind(ciphertext)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records `step` as used, if it is later than the last used one (`false`: a replay).
pub async fn consume_step(
    conn: &mut db::Connection,
    user_id: i64,
    step: i64,
) -> Result<bool, AppError> {
    let done = sqlx::query(
        "UPDATE totp_credentials SET last_used_step = $1
         WHERE user_id = $2 AND enabled_at IS NOT NULL AND last_used_step < $1",
    )
    .bind(step)
    .bind(user_id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks an unused recovery code of the user as used (`false`: unknown or already used).
pub async fn consume_recovery_code(
    conn: &mut db::Connection,
    user_id: i64,
    normalized: &str,
    now_ms: i64,
) -> Result<bool, AppError> {
    let done = sqlx::query(
        "UPDATE recovery_codes SET used_at = $1
         WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
    )
    .bind(now_ms)
    .bind(user_id)
    .bind(hash_recovery_code(normalized))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether `normalized` is a recovery code of the user that was already used (for the log).
pub async fn recovery_code_was_used(
    db: &Db,
    user_id: i64,
    normalized: &str,
) -> Result<bool, AppError> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM recovery_codes
         WHERE user_id = $1 AND code_hash = $2 AND used_at IS NOT NULL",
    )
    .bind(user_id)
    .bind(hash_recovery_code(normalized))
    .fetch_optional(db)
    .await?;
    Ok(found.is_some())
}

/// Replaces the user's recovery codes with `codes` (their hashes).
pub async fn replace_recovery_codes(
    conn: &mut db::Connection,
    user_id: i64,
    codes: &[String],
    now_ms: i64,
) -> Result<(), AppError> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    for code in codes {
        let normalized = normalize_recovery_code(code)
            .ok_or_else(|| anyhow!("a generated recovery code has the wrong shape"))?;
        sqlx::query(
            "INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES ($1, $2, $3)",
        )
        .bind(user_id)
        .bind(hash_recovery_code(&normalized))
        .bind(now_ms)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub async fn remaining_recovery_codes(db: &Db, user_id: i64) -> Result<u32, AppError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL",
    )
    .bind(user_id)
    .fetch_one(db)
    .await?;
    Ok(u32::try_from(n).unwrap_or(0))
}

/// Turns 2FA off: the secret and all recovery codes go.
pub async fn remove(conn: &mut db::Connection, user_id: i64) -> Result<(), AppError> {
    sqlx::query("DELETE FROM totp_credentials WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Reserves one code attempt of a partial token's session before the code is checked, so
/// parallel codes on one token can never exceed [`MAX_FAILURES_PER_PARTIAL_TOKEN`]; `None`
/// when the token has used them all (or its session ended). A correct code replaces the
/// session, so a reservation is never given back.
pub async fn reserve_partial_attempt(db: &Db, session_id: i64) -> Result<Option<i64>, AppError> {
    let attempts: Option<i64> = sqlx::query_scalar(
        "UPDATE sessions SET totp_failures = totp_failures + 1
         WHERE id = $1 AND totp_failures < $2
         RETURNING totp_failures",
    )
    .bind(session_id)
    .bind(MAX_FAILURES_PER_PARTIAL_TOKEN)
    .fetch_all(db) // To the end: a failed commit must reach us (see `crate::db`).
    .await?
    .into_iter()
    .next();
    Ok(attempts)
}

/// After a wrong code on attempt `attempt`: ends the partial token's session when that was its
/// last allowed attempt (`true`), so the next try needs the password again.
pub async fn end_spent_partial(db: &Db, session_id: i64, attempt: i64) -> Result<bool, AppError> {
    if attempt < MAX_FAILURES_PER_PARTIAL_TOKEN {
        return Ok(false);
    }
    crate::auth::session::revoke(db, session_id).await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_puts_the_secret_after_the_issuer() {
        let uri = otpauth_uri("alice", &[0u8; 20]);
        assert_eq!(
            uri,
            "otpauth://totp/Account%20Console:alice?issuer=Account%20Console\
             &secret=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&algorithm=SHA1&digits=6&period=30"
        );
    }

    #[test]
    fn rfc_6238_sha1_vector_and_skew() {
        // RFC 6238 appendix B, SHA-1, T = 59 s: 94287082 (8 digits) -> 287082 with 6.
        let secret = b"12345678901234567890";
        assert_eq!(matching_step(secret, "287082", 59_000), Some(1));
        // One step of skew each way, not two.
        assert_eq!(matching_step(secret, "287082", 89_000), Some(1));
        assert_eq!(matching_step(secret, "287082", 119_000), None);
        assert_eq!(matching_step(secret, "28708", 59_000), None);
        assert_eq!(matching_step(secret, " 287082", 59_000), None);
    }

    #[test]
    fn recovery_codes_have_120_bits_and_normalize() {
        let codes = new_recovery_codes().unwrap();
        assert_eq!(codes.len(), 10);
        let first = &codes[0];
        assert_eq!(first.len(), 29);
        assert_eq!(first.split('-').count(), 6);
        let n = normalize_recovery_code(first).unwrap();
        assert_eq!(n.len(), 24);
        assert_eq!(
            normalize_recovery_code(&first.to_uppercase().replace('-', " ")),
            Some(n)
        );
        assert_eq!(normalize_recovery_code("123456"), None);
        assert_ne!(codes[0], codes[1]);
    }
}
