//! Password hashing (argon2id) and the password policy.
//!
//! Hashing costs ~19 MiB and tens of milliseconds of CPU, so it runs on the blocking pool,
//! at most one job per CPU at a time: a login flood then queues here instead of stalling the
//! async runtime or growing memory without bound.
use std::sync::Arc;

use anyhow::{anyhow, Context};
use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};
use tokio::sync::Semaphore;
use wire::ErrorCode;

use crate::error::AppError;

pub const MSG_TOO_COMMON: &str = "This password is too common; choose another";
pub const MSG_CONTAINS_IDENTITY: &str =
    "Password must not contain your username or the name part of your email address";

/// zxcvbn's estimate below which a password counts as common: everything on its bundled
/// 30,000-entry list (and simple variants such as case changes, keyboard walks or repeats)
/// falls under 10^6 guesses (ASVS 6.2.4).
const MIN_GUESSES: u64 = 1_000_000;
/// Identity parts shorter than this are too short to be meaningful in a password.
const MIN_IDENTITY_PART_CHARS: usize = 3;

/// OWASP's argon2id minimum (m=19 MiB, t=2, p=1), which are also the crate's defaults; pinned
/// here so a dependency update cannot silently weaken new hashes.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("constant argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub struct Passwords {
    permits: Arc<Semaphore>,
    /// Verified against when the user does not exist, so both cases cost the same time.
    dummy_hash: String,
}

impl Passwords {
    pub async fn new() -> anyhow::Result<Self> {
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|e| anyhow!("CSPRNG unavailable: {e}"))?;
        let dummy_password = data_encoding::HEXLOWER.encode(&seed);
        let dummy_hash = tokio::task::spawn_blocking(move || hash_now(&dummy_password))
            .await
            .context("hashing task")??;
        Ok(Self {
            permits: Arc::new(Semaphore::new(cpus)),
            dummy_hash,
        })
    }

    /// A PHC string `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>` with a fresh random salt.
    pub async fn hash(&self, password: String) -> Result<String, AppError> {
        let _permit = self.permits.acquire().await.context("hash permits")?;
        let hash = tokio::task::spawn_blocking(move || hash_now(&password))
            .await
            .context("hashing task")??;
        Ok(hash)
    }

    /// Whether `password` matches `hash`. With no hash (unknown user, or an account without a
    /// password) the dummy hash is verified instead and the answer is always `false`.
    pub async fn verify(&self, password: String, hash: Option<String>) -> Result<bool, AppError> {
        let _permit = self.permits.acquire().await.context("hash permits")?;
        let (hash, real) = match hash {
            Some(h) => (h, true),
            None => (self.dummy_hash.clone(), false),
        };
        let matches = tokio::task::spawn_blocking(move || {
            argon2().verify_password(password.as_bytes(), hash.as_str())
        })
        .await
        .context("verification task")?;
        match matches {
            Ok(()) => Ok(real),
            Err(argon2::password_hash::Error::PasswordInvalid) => Ok(false),
            Err(e) => Err(anyhow!("stored password hash unusable: {e}").into()),
        }
    }
}

fn hash_now(password: &str) -> anyhow::Result<String> {
    argon2()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow!("argon2 hashing failed: {e}"))
}

/// A new password that breaks a password rule (length or [`check_policy`]): balena's 400
/// text, with the code the console recognises.
pub fn weak(rule: &'static str) -> AppError {
    AppError::bad_request(rule).with_code(ErrorCode::WeakPassword)
}

/// The policy beyond length (which `wire::validate::password` checks, so the console shows
/// the same rule): no password containing the user's own identifiers (ASVS 6.2.11), and none
/// that is common (6.2.4). Nothing is trimmed or case-folded in what gets hashed (6.2.8).
pub fn check_policy(password: &str, username: &str, email: &str) -> Result<(), &'static str> {
    let lower = password.to_lowercase();
    let local_part = email.split('@').next().unwrap_or_default();
    let identity = [username, local_part];
    if identity
        .iter()
        .map(|part| part.to_lowercase())
        .any(|part| part.chars().count() >= MIN_IDENTITY_PART_CHARS && lower.contains(&part))
    {
        return Err(MSG_CONTAINS_IDENTITY);
    }
    if zxcvbn::zxcvbn(password, &[]).guesses() < MIN_GUESSES {
        return Err(MSG_TOO_COMMON);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_passwords_are_refused() {
        for pw in [
            "password",
            "Password1",
            "12345678",
            "qwertyuiop",
            "iloveyou",
            "aaaaaaaaaa",
            "baseball1",
        ] {
            assert_eq!(
                check_policy(pw, "someone", "x@example.com"),
                Err(MSG_TOO_COMMON),
                "{pw}"
            );
        }
    }

    #[test]
    fn ordinary_good_passwords_pass() {
        for pw in [
            "correct horse battery staple",
            "Tr0ub4dor&3xq",
            "vX9#kq2!Lm",
        ] {
            assert_eq!(
                check_policy(pw, "alice", "alice@example.com"),
                Ok(()),
                "{pw}"
            );
        }
    }

    #[test]
    fn identity_parts_are_refused_case_insensitively() {
        assert_eq!(
            check_policy("my-Alice-pass-2024-zz", "alice", "bob@example.com"),
            Err(MSG_CONTAINS_IDENTITY)
        );
        assert_eq!(
            check_policy("xxBOB.SMITHxx-91qz", "carol", "bob.smith@example.com"),
            Err(MSG_CONTAINS_IDENTITY)
        );
        // One- or two-letter local parts would forbid half the alphabet.
        assert_eq!(
            check_policy("vX9#kq2!Lm", "carol", "vx@example.com"),
            Ok(())
        );
    }

    #[tokio::test]
    async fn hashes_are_argon2id_with_owasp_parameters_and_verify() {
        let p = Passwords::new().await.unwrap();
        let h = p.hash("correct horse battery".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(p
            .verify("correct horse battery".into(), Some(h.clone()))
            .await
            .unwrap());
        assert!(!p
            .verify("correct horse batterY".into(), Some(h))
            .await
            .unwrap());
        assert!(!p.verify("anything".into(), None).await.unwrap());
        let garbage = p.verify("x".into(), Some("not a hash".into())).await;
        assert!(matches!(garbage, Err(AppError::Internal(_))));
    }
}
