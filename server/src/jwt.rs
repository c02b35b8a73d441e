//! Session JWTs: HS256 only, balena's exact claim set, expiry checked against our clock.
use anyhow::{bail, Context};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use wire::SessionClaims;

use crate::config::Config;

/// RFC 7518 §3.2: an HS256 key must be at least as long as the hash output.
const MIN_SECRET_BYTES: usize = 32;
const SECRET_FILE: &str = "jwt-secret";

pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl JwtKeys {
    pub fn new(secret: &[u8]) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        // The library would compare `exp` with the system time and a 60 s leeway; we compare
        // with the injected clock and no leeway (see `verify`). `exp` must still be present.
        validation.validate_exp = false;
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp"]);
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
        }
    }

    pub fn sign(&self, claims: &SessionClaims) -> anyhow::Result<String> {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
            .context("signing a session token")
    }

    /// The claims of a correctly signed, unexpired HS256 token; `None` for anything else
    /// (`alg: none`, another algorithm, a bad signature, missing or ill-typed claims, expiry).
    pub fn verify(&self, token: &str, now_ms: i64) -> Option<SessionClaims> {
        let claims = jsonwebtoken::decode::<SessionClaims>(token, &self.decoding, &self.validation)
            .ok()?
            .claims;
        (claims.exp.saturating_mul(1000) > now_ms).then_some(claims)
    }
}

/// Whether a bearer credential is JWT-shaped (three dot-separated parts) rather than an API
/// key, which never contains a dot. Decides the authentication path, nothing more.
pub fn looks_like_jwt(token: &str) -> bool {
    token.split('.').count() == 3
}

/// The signing key: `--jwt-secret`, else `<data-dir>/jwt-secret`, else 32 new random bytes
/// written there (mode 0600) for the next start. Never logged.
pub fn load_or_create_secret(config: &Config) -> anyhow::Result<Vec<u8>> {
    if let Some(secret) = &config.jwt_secret {
        let bytes = secret.expose().as_bytes().to_vec();
        if bytes.len() < MIN_SECRET_BYTES {
            bail!("--jwt-secret must be at least {MIN_SECRET_BYTES} bytes");
        }
        return Ok(bytes);
    }
    let path = config.data_dir.join(SECRET_FILE);
    match std::fs::read(&path) {
        Ok(bytes) if bytes.len() >= MIN_SECRET_BYTES => Ok(bytes),
        Ok(_) => bail!(
            "{} is shorter than {MIN_SECRET_BYTES} bytes",
            path.display()
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            crate::secret_file::create(&path, MIN_SECRET_BYTES, "JWT signing key")
        }
        Err(e) => Err(anyhow::Error::new(e).context(format!("reading {}", path.display()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp: i64) -> SessionClaims {
        SessionClaims {
            id: 1,
            jwt_secret: "S".repeat(32),
            auth_time: 0,
            two_factor_required: None,
            iat: 0,
            exp,
        }
    }

    #[test]
    fn expiry_uses_the_given_clock_without_leeway() {
        let keys = JwtKeys::new(&[7u8; 32]);
        let token = keys.sign(&claims(100)).unwrap();
        assert!(keys.verify(&token, 99_999).is_some());
        assert!(keys.verify(&token, 100_000).is_none());
    }

    #[test]
    fn other_keys_and_shapes_are_refused() {
        let token = JwtKeys::new(&[7u8; 32]).sign(&claims(100)).unwrap();
        assert!(JwtKeys::new(&[8u8; 32]).verify(&token, 0).is_none());
        assert!(looks_like_jwt(&token));
        assert!(!looks_like_jwt("apikeyWithoutDots"));
    }

    #[cfg(unix)]
    #[test]
    fn generated_secret_is_private_and_stable() {
        use clap::Parser;
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let config =
            Config::try_parse_from(["server", "--data-dir", dir.path().to_str().unwrap()]).unwrap();
        let first = load_or_create_secret(&config).unwrap();
        assert_eq!(first.len(), 32);
        let mode = std::fs::metadata(dir.path().join(SECRET_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(load_or_create_secret(&config).unwrap(), first);
    }
}
