//! The server key that encrypts TOTP secrets at rest (XChaCha20-Poly1305).
//!
//! `--totp-key` (any string of at least 32 bytes, reduced to 32 bytes with SHA-256), else
//! `<data-dir>/totp-key`, else 32 new random bytes written there (mode 0600) on first start,
//! like the JWT key. It lives outside the database, so a leaked database alone does not yield
//! the secrets. Losing the key makes every enrolled authenticator useless (users then sign in
//! with a recovery code and set up 2FA again). Never logged.
use anyhow::{anyhow, bail, Context};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use sha2::{Digest, Sha256};

use crate::config::Config;

const KEY_BYTES: usize = 32;
const NONCE_BYTES: usize = 24;
const KEY_FILE: &str = "totp-key";

pub struct TotpCipher {
    aead: XChaCha20Poly1305,
}

impl TotpCipher {
    pub fn new(key: &[u8; KEY_BYTES]) -> Self {
        Self {
            aead: XChaCha20Poly1305::new(&(*key).into()),
        }
    }

    /// `nonce || ciphertext+tag`, bound to the user (a row copied to another user fails to
    /// decrypt). A random 192-bit nonce per encryption never repeats in practice.
    pub fn encrypt(&self, user_id: i64, secret: &[u8]) -> anyhow::Result<Vec<u8>> {
        let mut nonce = [0u8; NONCE_BYTES];
        getrandom::fill(&mut nonce).map_err(|e| anyhow!("CSPRNG unavailable: {e}"))?;
        let aad = aad(user_id);
        let sealed = self
            .aead
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: secret,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| anyhow!("encrypting a TOTP secret"))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    pub fn decrypt(&self, user_id: i64, stored: &[u8]) -> anyhow::Result<Vec<u8>> {
        if stored.len() < NONCE_BYTES {
            bail!("stored TOTP secret is truncated");
        }
        let (nonce, sealed) = stored.split_at(NONCE_BYTES);
        let nonce: [u8; NONCE_BYTES] = nonce.try_into().context("nonce length")?;
        let aad = aad(user_id);
        self.aead
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: sealed,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| anyhow!("a stored TOTP secret does not decrypt: wrong --totp-key?"))
    }
}

fn aad(user_id: i64) -> String {
    format!("totp:{user_id}")
}

/// The cipher for `config`: see the module documentation for where the key comes from.
pub fn load_or_create(config: &Config) -> anyhow::Result<TotpCipher> {
    if let Some(key) = &config.totp_key {
        let bytes = key.expose().as_bytes();
        if bytes.len() < KEY_BYTES {
            bail!("--totp-key must be at least {KEY_BYTES} bytes");
        }
        return Ok(TotpCipher::new(&Sha256::digest(bytes).into()));
    }
    let path = config.data_dir.join(KEY_FILE);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            crate::secret_file::create(&path, KEY_BYTES, "TOTP encryption key")?
        }
        Err(e) => return Err(anyhow::Error::new(e).context(format!("reading {}", path.display()))),
    };
    let key: [u8; KEY_BYTES] = bytes
        .as_slice()
        .try_into()
        .map_err(|_| anyhow!("{} must hold exactly {KEY_BYTES} bytes", path.display()))?;
    Ok(TotpCipher::new(&key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_is_bound_to_the_user_and_the_key() {
        let cipher = TotpCipher::new(&[1u8; 32]);
        let sealed = cipher.encrypt(7, b"twenty bytes secret!").unwrap();
        assert_eq!(sealed.len(), 24 + 20 + 16);
        assert_eq!(cipher.decrypt(7, &sealed).unwrap(), b"twenty bytes secret!");
        assert!(cipher.decrypt(8, &sealed).is_err());
        assert!(TotpCipher::new(&[2u8; 32]).decrypt(7, &sealed).is_err());
        assert_ne!(sealed, cipher.encrypt(7, b"twenty bytes secret!").unwrap());
    }

    #[cfg(unix)]
    #[test]
    fn generated_key_is_private_and_stable() {
        use clap::Parser;
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let config =
            Config::try_parse_from(["server", "--data-dir", dir.path().to_str().unwrap()]).unwrap();
        let sealed = load_or_create(&config).unwrap().encrypt(1, b"x").unwrap();
        let mode = std::fs::metadata(dir.path().join(KEY_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(
            load_or_create(&config)
                .unwrap()
                .decrypt(1, &sealed)
                .unwrap(),
            b"x"
        );
    }
}
