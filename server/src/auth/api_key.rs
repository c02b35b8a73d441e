//! API keys: generation, the stored hash, authentication, and the statements that write them.
//!
//! A key is 32 characters from [A-Za-z0-9] (balena's shape, ~190 bits), drawn from the OS
//! CSPRNG by rejection sampling so every character is equally likely. Only SHA-256(key) is
//! stored; the lookup is by that hash under a unique index, so there is no secret comparison
//! to time. The key itself exists only in the create response.
use anyhow::anyhow;
use data_encoding::HEXLOWER;
use sha2::{Digest, Sha256};

use crate::db::{self, Db, Tx};
use crate::error::{AppError, AppResult};
use crate::odata::query::statement;
use crate::odata::resource::{Params, SqlValue};

pub const KEY_CHARS: usize = 32;
const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/// `last_used_at` is written at most once per key in this window.
pub const LAST_USED_GRANULARITY_MS: i64 = 60_000;

/// An API-key caller: the key's actor and the user that actor is.
#[derive(Clone, Debug)]
pub struct ApiKeyAuth {
    pub key_id: i64,
    pub actor_id: i64,
    pub user_id: i64,
}

pub fn hash_key(key: &str) -> String {
    HEXLOWER.encode(&Sha256::digest(key.as_bytes()))
}

pub fn generate() -> Result<String, AppError> {
    // 248 = 4 * 62: bytes at or above it are dropped, so `b % 62` is uniform.
    const LIMIT: u8 = 248;
    let mut key = String::with_capacity(KEY_CHARS);
    let mut buf = [0u8; 64];
    while key.len() < KEY_CHARS {
        getrandom::fill(&mut buf).map_err(|e| anyhow!("CSPRNG unavailable: {e}"))?;
        for &b in buf.iter().filter(|&&b| b < LIMIT) {
            if key.len() == KEY_CHARS {
                break;
            }
            key.push(char::from(ALPHABET[usize::from(b % 62)]));
        }
    }
    Ok(key)
}

/// A key to store: only its hash is kept.
pub struct NewKey<'a> {
    pub key: &'a str,
    pub name: Option<&'a str>,
    pub description: Option<&'a str>,
    pub expiry_date: Option<i64>,
}

/// Stores the key on the user's actor; its id, or `None` when the user is gone.
pub async fn create(
    db: &Db,
    user_id: i64,
    new: &NewKey<'_>,
    now_ms: i64,
) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO api_keys (actor_id, key_hash, name, description, expiry_date, created_at)
         SELECT actor_id, $2, $3, $4, $5, $6 FROM users WHERE id = $1
         RETURNING id",
    )
    .bind(user_id)
    .bind(hash_key(new.key))
    .bind(new.name)
    .bind(new.description)
    .bind(new.expiry_date)
    .bind(now_ms)
    .fetch_all(db) // To the end: a failed commit must reach us (see `crate::db`).
    .await?
    .into_iter()
    .next())
}

/// Stores the key on the actor of row `owner_id` of `owner_table` (`"applications"` or
/// `"devices"`), only if that row is among those `allowed` selects with `params`: one
/// conditional INSERT, so the check and the write cannot be separated. Its id, or `None`
/// when the row is missing or not allowed.
pub async fn create_for(
    db: &Db,
    owner_table: &'static str,
    owner_id: i64,
    allowed: &str,
    mut params: Params,
    new: &NewKey<'_>,
    now_ms: i64,
) -> AppResult<Option<i64>> {
    let text = |v: Option<&str>| v.map_or(SqlValue::Null, |s| SqlValue::Text(s.to_owned()));
    let values: Vec<String> = [
        SqlValue::Text(hash_key(new.key)),
        text(new.name),
        text(new.description),
        new.expiry_date.map_or(SqlValue::Null, SqlValue::Int),
        SqlValue::Int(now_ms),
        SqlValue::Int(owner_id),
    ]
    .into_iter()
    .map(|v| params.push(v))
    .collect();
    // `owner_table` is a fixed name chosen by the route (`&'static str`) and `allowed` is
    // built from the resource descriptors: neither holds request text; every value is bound.
    let sql = format!(
        "INSERT INTO api_keys (actor_id, key_hash, name, description, expiry_date, created_at)
         SELECT actor_id, {}, {}, {}, {}, {}
         FROM {owner_table} WHERE id = {} AND id IN ({allowed}) RETURNING id",
        values[0], values[1], values[2], values[3], values[4], values[5]
    );
    let row = statement(sql, params.0)
        .fetch_all(db) // To the end: a failed commit must reach us (see `crate::db`).
        .await?
        .into_iter()
        .next();
    Ok(row.map(|r| sqlx::Row::try_get(&r, 0)).transpose()?)
}

/// Sets each column of `sets` (fixed names, each with its value; `Null` clears it) on the
/// keys `ids` selects with `params`. How many keys changed.
pub async fn update(
    tx: &mut Tx,
    sets: &[(&'static str, SqlValue)],
    ids: &str,
    mut params: Params,
) -> AppResult<u64> {
    let assignments: Vec<String> = sets
        .iter()
        .map(|(column, value)| match value {
            // Written, not bound: `statement` binds `Null` as an integer, and `description` is
            // text.
            SqlValue::Null => format!("{column} = NULL"),
            v => format!("{column} = {}", params.push(v.clone())),
        })
        .collect();
    let sql = format!(
        "UPDATE api_keys SET {} WHERE id IN ({ids})",
        assignments.join(", ")
    );
    Ok(statement(sql, params.0)
        .execute(&mut **tx)
        .await?
        .rows_affected())
}

/// Whether any of the keys `ids` selects (with `params`) has an expiry that `new_expiry` would
/// move later; `None` (no expiry) is later than any. A key without an expiry never is.
pub async fn any_expiry_moves_later(
    tx: &mut Tx,
    ids: &str,
    params: &Params,
    new_expiry: Option<i64>,
) -> AppResult<bool> {
    let mut params = Params(params.0.clone());
    let later = match new_expiry {
        // Any key that has an expiry now would lose it.
        None => "TRUE".to_owned(),
        Some(at) => format!("expiry_date < {}", params.push(SqlValue::Int(at))),
    };
    let sql = format!(
        "SELECT 1 FROM api_keys WHERE id IN ({ids}) AND expiry_date IS NOT NULL AND {later}"
    );
    Ok(statement(sql, params.0)
        .fetch_optional(&mut **tx)
        .await?
        .is_some())
}

/// Deletes the keys `ids` selects with `params`. How many were deleted.
pub async fn delete(tx: &mut Tx, ids: &str, params: Params) -> AppResult<u64> {
    let sql = format!("DELETE FROM api_keys WHERE id IN ({ids})");
    Ok(statement(sql, params.0)
        .execute(&mut **tx)
        .await?
        .rows_affected())
}

/// The live (unexpired) key's owner, and a `last_used_at` stamp at most once a minute: one
/// conditional UPDATE, so concurrent requests never write twice in the window.
pub async fn authenticate(db: &Db, key: &str, now_ms: i64) -> Result<Option<ApiKeyAuth>, AppError> {
    let row: Option<(i64, i64, i64)> = sqlx::query_as(
        "SELECT k.id, k.actor_id, u.id FROM api_keys k JOIN users u ON u.actor_id = k.actor_id
         WHERE k.key_hash = $1 AND (k.expiry_date IS NULL OR k.expiry_date > $2)",
    )
    .bind(hash_key(key))
    .bind(now_ms)
    .fetch_optional(db)
    .await?;
    let Some((key_id, actor_id, user_id)) = row else {
        return Ok(None);
    };
    sqlx::query(
        "UPDATE api_keys SET last_used_at = $2
         WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= $3)",
    )
    .bind(key_id)
    .bind(now_ms)
    .bind(now_ms - LAST_USED_GRANULARITY_MS)
    .execute(db)
    .await?;
    Ok(Some(ApiKeyAuth {
        key_id,
        actor_id,
        user_id,
    }))
}

/// How many of the user's own keys still work at `now_ms` (for the password notices).
pub async fn count_active(db: &Db, user_id: i64, now_ms: i64) -> Result<i64, AppError> {
    let n = sqlx::query_scalar(
        "SELECT COUNT(*) FROM api_keys k JOIN users u ON u.actor_id = k.actor_id
         WHERE u.id = $1 AND (k.expiry_date IS NULL OR k.expiry_date > $2)",
    )
    .bind(user_id)
    .bind(now_ms)
    .fetch_one(db)
    .await?;
    Ok(n)
}

/// Deletes every key of the user's own (application and device keys are not theirs).
pub async fn revoke_all(conn: &mut db::Connection, user_id: i64) -> Result<u64, AppError> {
    let done = sqlx::query(
        "DELETE FROM api_keys WHERE actor_id = (SELECT actor_id FROM users WHERE id = $1)",
    )
    .bind(user_id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_32_alphanumerics_and_distinct() {
        let a = generate().unwrap();
        assert_eq!(a.len(), KEY_CHARS);
        assert!(a.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_ne!(a, generate().unwrap());
        assert_eq!(hash_key(&a).len(), 64);
    }

    #[test]
    fn every_character_is_used() {
        // 20,000 characters: each of the 62 is expected ~320 times; missing one would mean a
        // broken alphabet mapping.
        let mut seen = [0u32; 128];
        for _ in 0..625 {
            for b in generate().unwrap().bytes() {
                seen[usize::from(b)] += 1;
            }
        }
        assert!(ALPHABET.iter().all(|&c| seen[usize::from(c)] > 150));
    }
}
