//! A password verification under the brute-force limits, the one way every route checks a
//! password (login, re-authentication, password change, disabling 2FA).
//!
//! The attempt is reserved against the client address and then the account before argon2
//! runs, so a burst of parallel guesses gets at most the limits' number of verifications and
//! the rest 429 (ASVS 6.3.1). A correct password clears the account's failures and gives the
//! address its attempt back; a wrong one stays counted.
use std::net::IpAddr;

use crate::error::{AppError, AppResult};
use crate::ratelimit::{self, LOGIN_PER_ACCOUNT, LOGIN_PER_IP};
use crate::state::AppState;

/// Whether `password` matches `hash` (`None`: no account or no password, verified against a
/// dummy hash so the timing is the same). `account_key` is the per-account limit's key.
pub async fn verify(
    state: &AppState,
    account_key: &str,
    ip: IpAddr,
    password: String,
    hash: Option<String>,
) -> AppResult<bool> {
    let now = state.now_ms();
    let ip_slot =
        ratelimit::reserve(&state.db, &ratelimit::login_ip_key(ip), LOGIN_PER_IP, now).await?;
    let account_slot =
        match ratelimit::reserve(&state.db, account_key, LOGIN_PER_ACCOUNT, now).await {
            Ok(slot) => slot,
            Err(e) => {
                // Refused before any verification: the address did not guess.
                ratelimit::give_back(&state.db, &ip_slot).await?;
                return Err(e);
            }
        };
    let verified = match state.passwords.verify(password, hash).await {
        Ok(v) => v,
        Err(e) => {
            // Not verified (overload): nothing was learnt, nothing counts.
            ratelimit::give_back(&state.db, &account_slot).await?;
            ratelimit::give_back(&state.db, &ip_slot).await?;
            return Err(e);
        }
    };
    if verified {
        ratelimit::clear(&state.db, account_key).await?;
        ratelimit::give_back(&state.db, &ip_slot).await?;
    }
    Ok(verified)
}

/// [`verify`] for a signed-in user's own password: a wrong one is an empty 401.
pub async fn require(
    state: &AppState,
    user_id: i64,
    ip: IpAddr,
    password: String,
) -> AppResult<()> {
    let hash = crate::users::password_hash(&state.db, user_id).await?;
    let key = ratelimit::login_user_key(user_id);
    if verify(state, &key, ip, password, hash).await? {
        Ok(())
    } else {
        Err(AppError::Unauthorized)
    }
}
