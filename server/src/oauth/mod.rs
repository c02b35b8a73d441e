//! Social sign-in: OAuth 2.0 authorization code flow with PKCE (S256) and `state`, against
//! GitHub, Google and one generic OpenID Connect provider.
mod client;
mod config;

use anyhow::anyhow;
use data_encoding::{BASE64URL_NOPAD, HEXLOWER};
use sha2::{Digest, Sha256};
use wire::SignInProvider;

pub use self::client::{fetch_identity, Identity};
pub use self::config::OAuthConfig;
use crate::error::AppError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// GitHub is OAuth 2.0 only: identity from `/user`, email from `/user/emails`.
    GitHub,
    /// OpenID Connect (Google and the generic one): identity from the userinfo endpoint.
    Oidc,
}

#[derive(Clone, Debug)]
pub struct Provider {
    /// `github`, `google` or `oidc`: the path segment and the `user_identities.provider`.
    pub id: &'static str,
    pub name: String,
    pub kind: Kind,
    pub client_id: String,
    pub client_secret: String,
    pub authorize_url: String,
    pub token_url: String,
    pub userinfo_url: String,
    pub scope: &'static str,
}

/// The configured providers and the HTTP client that talks to them.
pub struct OAuth {
    pub providers: Vec<Provider>,
    pub http: reqwest::Client,
}

impl OAuth {
    pub fn from_config(c: &OAuthConfig) -> anyhow::Result<Self> {
        let mut providers = Vec::new();
        if let (Some(id), Some(secret)) = (&c.github_client_id, &c.github_client_secret) {
            providers.push(Provider {
                id: "github",
                name: "GitHub".into(),
                kind: Kind::GitHub,
                client_id: id.clone(),
                client_secret: secret.expose().to_owned(),
                authorize_url: "https://github.com/login/oauth/authorize".into(),
                token_url: "https://github.com/login/oauth/access_token".into(),
                userinfo_url: "https://api.github.com/user".into(),
                scope: "read:user user:email",
            });
        }
        if let (Some(id), Some(secret)) = (&c.google_client_id, &c.google_client_secret) {
            providers.push(Provider {
                id: "google",
                name: "Google".into(),
                kind: Kind::Oidc,
                client_id: id.clone(),
                client_secret: secret.expose().to_owned(),
                authorize_url: "https://accounts.google.com/o/oauth2/v2/auth".into(),
                token_url: "https://oauth2.googleapis.com/token".into(),
                userinfo_url: "https://openidconnect.googleapis.com/v1/userinfo".into(),
                scope: "openid email profile",
            });
        }
        if let (Some(id), Some(secret)) = (&c.oidc_client_id, &c.oidc_client_secret) {
            let need = |v: &Option<String>, flag: &str| {
                v.clone()
                    .ok_or_else(|| anyhow!("--oidc-client-id needs {flag} too"))
            };
            providers.push(Provider {
                id: "oidc",
                name: c.oidc_name.clone(),
                kind: Kind::Oidc,
                client_id: id.clone(),
                client_secret: secret.expose().to_owned(),
                authorize_url: need(&c.oidc_authorize_url, "--oidc-authorize-url")?,
                token_url: need(&c.oidc_token_url, "--oidc-token-url")?,
                userinfo_url: need(&c.oidc_userinfo_url, "--oidc-userinfo-url")?,
                scope: "openid email profile",
            });
        }
        let http = reqwest::Client::builder()
            // The token and userinfo answers come straight from the endpoint we called.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(10))
            .user_agent("account-console")
            .build()?;
        Ok(Self { providers, http })
    }

    pub fn get(&self, id: &str) -> Option<&Provider> {
        self.providers.iter().find(|p| p.id == id)
    }

    /// What `GET /config` lists.
    pub fn sign_in_providers(&self) -> Vec<SignInProvider> {
        self.providers
            .iter()
            .map(|p| SignInProvider {
                id: p.id.to_owned(),
                name: p.name.clone(),
            })
            .collect()
    }
}

/// 32 random bytes, base64url (43 characters): `state` values and PKCE verifiers.
pub fn random_token() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow!("CSPRNG unavailable: {e}"))?;
    Ok(BASE64URL_NOPAD.encode(&bytes))
}

/// RFC 7636 S256: base64url(SHA-256(verifier)).
pub fn pkce_challenge(verifier: &str) -> String {
    BASE64URL_NOPAD.encode(&Sha256::digest(verifier.as_bytes()))
}

pub fn sha256_hex(s: &str) -> String {
    HEXLOWER.encode(&Sha256::digest(s.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_matches_rfc_7636_appendix_b() {
        assert_eq!(
            pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        assert_eq!(random_token().unwrap().len(), 43);
    }
}
