//! Brute-force and abuse limits, counted in the database (they survive restarts and would be
//! shared by several server processes on PostgreSQL).
//!
//! Each key counts hits in a window that opens with the first hit and lasts `window_ms`; the
//! hit that reaches `limit` blocks the key for `block_ms`. While blocked every attempt gets
//! 429 `"Too Many Requests"` with `Retry-After`, even with the right password, so the block
//! is not an oracle. A block never stops other users: per-account keys only block that
//! account, and the account's owner can still come from any other address once the
//! per-address block (which needs 50 failures) is over.
use std::net::IpAddr;

use crate::db::{self, Db};
use crate::error::AppError;

const MINUTE_MS: i64 = 60 * 1000;
const HOUR_MS: i64 = 60 * MINUTE_MS;

#[derive(Clone, Copy, Debug)]
pub struct Policy {
    pub limit: i64,
    pub window_ms: i64,
    pub block_ms: i64,
}

/// Failed logins per account (by user id, or by the normalized name for unknown names):
/// NIST 800-63B allows at most 100; 10 an hour is far from bothering a real user.
pub const LOGIN_PER_ACCOUNT: Policy = Policy {
    limit: 10,
    window_ms: HOUR_MS,
    block_ms: 15 * MINUTE_MS,
};

/// Failed logins per client address (credential stuffing across many accounts).
pub const LOGIN_PER_IP: Policy = Policy {
    limit: 50,
    window_ms: HOUR_MS,
    block_ms: 15 * MINUTE_MS,
};

/// Sign-up attempts per client address: sign-up answers "already taken", so it is an
/// enumeration oracle balena's contract makes us keep; this bounds how fast it can be used.
pub const SIGNUP_PER_IP: Policy = Policy {
    limit: 20,
    window_ms: HOUR_MS,
    block_ms: HOUR_MS,
};

/// Password-reset mails per email address: a handful an hour is plenty for a person and keeps
/// anyone from flooding a mailbox through us. Over the limit the request still answers 200
/// and no mail goes out (the answer must not differ, security bar 1.3).
pub const RESET_PER_EMAIL: Policy = Policy {
    limit: 5,
    window_ms: HOUR_MS,
    block_ms: HOUR_MS,
};

/// Password-reset requests per client address (mail flooding across many addresses).
pub const RESET_PER_IP: Policy = Policy {
    limit: 20,
    window_ms: HOUR_MS,
    block_ms: HOUR_MS,
};

pub fn reset_email_key(normalized_email: &str) -> String {
    format!("reset:email:{normalized_email}")
}

pub fn reset_ip_key(ip: IpAddr) -> String {
    format!("reset:ip:{}", client_network(ip))
}

/// Social sign-ins started per client address: each stores a row for 10 minutes, so an
/// anonymous loop must not be able to grow the table without bound.
pub const OAUTH_PER_IP: Policy = Policy {
    limit: 60,
    window_ms: HOUR_MS,
    block_ms: 15 * MINUTE_MS,
};

/// Failed member additions per caller: each names an account by username or email, so a
/// failure is an existence oracle; 30 an hour is plenty for an administrator's typos.
pub const MEMBER_LOOKUPS: Policy = Policy {
    limit: 30,
    window_ms: HOUR_MS,
    block_ms: HOUR_MS,
};

pub fn member_lookup_key(user_id: i64) -> String {
    format!("members:user:{user_id}")
}

pub fn oauth_ip_key(ip: IpAddr) -> String {
    format!("oauth:ip:{}", client_network(ip))
}

pub fn login_user_key(user_id: i64) -> String {
    format!("login:user:{user_id}")
}

pub fn login_name_key(normalized_identifier: &str) -> String {
    format!("login:name:{normalized_identifier}")
}

pub fn login_ip_key(ip: IpAddr) -> String {
    format!("login:ip:{}", client_network(ip))
}

pub fn signup_ip_key(ip: IpAddr) -> String {
    format!("signup:ip:{}", client_network(ip))
}

/// The unit a client controls: one IPv4 address, or one IPv6 /64 (a single host usually owns
/// the whole /64, so per-address limits on IPv6 would be trivial to dodge).
fn client_network(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// One attempt counted against a key before the work it guards is done. Keep it to give the
/// attempt back ([`give_back`]) when it succeeded and should not count.
#[derive(Clone, Debug)]
pub struct Reservation {
    key: String,
    window_start: i64,
    /// The block this reservation started (it was the one that reached the limit), if any.
    started_block: Option<i64>,
}

/// Counts one attempt against `key` before it is made, or refuses it with 429 while the key is
/// blocked. One conditional upsert: the update runs only when the key is not blocked, so N
/// parallel attempts reserve at most `limit` slots and the rest are refused (checking first
/// and counting after the work would let a whole burst through). The attempt that reaches
/// the limit still runs and starts the block; after a block ends each further attempt
/// starts a new one until the window is over.
pub async fn reserve(
    db: &Db,
    key: &str,
    policy: Policy,
    now_ms: i64,
) -> Result<Reservation, AppError> {
    let reserved: Option<(i64, Option<i64>)> = sqlx::query_as(
        "INSERT INTO rate_limits (key, window_start, hits, blocked_until)
         VALUES ($1, $2, 1, CASE WHEN 1 >= $3 THEN $2 + $5 ELSE NULL END)
         ON CONFLICT (key) DO UPDATE SET
             window_start = CASE WHEN rate_limits.window_start <= $2 - $4
                                 THEN $2 ELSE rate_limits.window_start END,
             hits = CASE WHEN rate_limits.window_start <= $2 - $4
                         THEN 1 ELSE rate_limits.hits + 1 END,
             blocked_until = CASE WHEN rate_limits.window_start > $2 - $4
                                       AND rate_limits.hits + 1 >= $3
                                  THEN $2 + $5 ELSE NULL END
         WHERE COALESCE(rate_limits.blocked_until, 0) <= $2
         RETURNING window_start, blocked_until",
    )
    .bind(key)
    .bind(now_ms)
    .bind(policy.limit)
    .bind(policy.window_ms)
    .bind(policy.block_ms)
    .fetch_all(db) // To the end: a failed commit must reach us (see `crate::db`).
    .await?
    .into_iter()
    .next();
    if let Some((window_start, blocked_until)) = reserved {
        return Ok(Reservation {
            key: key.to_owned(),
            window_start,
            started_block: blocked_until,
        });
    }
    let until: Option<i64> =
        sqlx::query_scalar("SELECT blocked_until FROM rate_limits WHERE key = $1")
            .bind(key)
            .fetch_optional(db)
            .await?
            .flatten();
    // Ceil, so a client that waits exactly Retry-After seconds is let through.
    let secs = (until.unwrap_or(now_ms) - now_ms + 999) / 1000;
    Err(AppError::TooManyRequests {
        retry_after_secs: u64::try_from(secs.max(1)).unwrap_or(1),
    })
}

/// Returns a reserved attempt that should not count (it succeeded, or it was never made),
/// lifting the block it started. A window that has restarted meanwhile is left alone.
pub async fn give_back(db: &Db, reservation: &Reservation) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE rate_limits SET
             hits = CASE WHEN hits > 0 THEN hits - 1 ELSE 0 END,
             blocked_until = CASE WHEN blocked_until = $3 THEN NULL ELSE blocked_until END
         WHERE key = $1 AND window_start = $2",
    )
    .bind(&reservation.key)
    .bind(reservation.window_start)
    .bind(reservation.started_block)
    .execute(db)
    .await?;
    Ok(())
}

/// Forgets a key (a successful login clears its account's failures).
pub async fn clear<'e>(db: impl db::Executor<'e>, key: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM rate_limits WHERE key = $1")
        .bind(key)
        .execute(db)
        .await?;
    Ok(())
}

/// Deletes the keys whose window and block have both ended: they would count nothing.
pub async fn sweep(db: &Db, now_ms: i64) -> Result<u64, AppError> {
    let done = sqlx::query(
        "DELETE FROM rate_limits
         WHERE window_start <= $1 AND COALESCE(blocked_until, 0) <= $2",
    )
    .bind(now_ms - LONGEST_WINDOW_MS)
    .bind(now_ms)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// The longest `window_ms` of the policies above (what [`sweep`] must wait for).
const LONGEST_WINDOW_MS: i64 = HOUR_MS;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks() {
        assert_eq!(client_network("192.0.2.7".parse().unwrap()), "192.0.2.7");
        assert_eq!(
            client_network("::ffff:192.0.2.7".parse().unwrap()),
            "192.0.2.7"
        );
        assert_eq!(
            client_network("2001:db8:1:2:aaaa::1".parse().unwrap()),
            "2001:db8:1:2::/64"
        );
    }
}
