//! Social sign-in: OAuth 2.0 authorization code flow with PKCE (S256) and `state`, against
//! GitHub (plain OAuth 2.0, identity from its API) and OpenID Connect providers (Google and
//! one generic provider: discovery and a validated ID token, through `openidconnect`).
mod config;
mod github;
pub mod identities;
mod oidc;
pub mod states;

use std::time::{Duration, Instant};

use anyhow::anyhow;
use data_encoding::{BASE64URL_NOPAD, HEXLOWER};
use sha2::{Digest, Sha256};
use tokio::sync::Mutex;
use wire::SignInProvider;

pub use self::config::OAuthConfig;
pub use self::states::Pending;
use crate::error::AppError;

/// How long discovered provider metadata (endpoints and signing keys) is reused; a provider
/// that rotates its keys is picked up within this time.
const DISCOVERY_TTL: Duration = Duration::from_secs(60 * 60);

#[derive(Clone, Debug)]
pub enum Kind {
    /// OAuth 2.0 only: identity from `/user`, email from `/user/emails`.
    GitHub {
        authorize_url: String,
        token_url: String,
        api_url: String,
    },
    /// OpenID Connect: endpoints and keys from the issuer's discovery document.
    Oidc { issuer_url: String },
}

#[derive(Clone, Debug)]
pub struct Provider {
    /// `github`, `google` or `oidc`: the path segment and the `user_identities.provider`.
    pub id: &'static str,
    pub name: String,
    pub kind: Kind,
    pub client_id: String,
    pub client_secret: String,
}

/// Who signed in, as the provider asserts it.
#[derive(Clone, Debug)]
pub struct Identity {
    /// The provider's stable user id (`sub`, or GitHub's numeric id).
    pub subject: String,
    /// Only an email the provider says is verified; an unverified one is dropped here, so it
    /// can neither link nor name an account.
    pub verified_email: Option<String>,
    /// A login or display name to derive a username from when there is no verified email.
    pub name_hint: Option<String>,
}

/// The configured providers and the HTTP client that talks to them.
pub struct OAuth {
    pub providers: Vec<Provider>,
    http: reqwest::Client,
    discovered: Mutex<Vec<(&'static str, Instant, oidc::Metadata)>>,
}

impl OAuth {
    pub fn from_config(c: &OAuthConfig) -> anyhow::Result<Self> {
        let mut providers = Vec::new();
        if let (Some(id), Some(secret)) = (&c.github_client_id, &c.github_client_secret) {
            providers.push(Provider {
                id: "github",
                name: "GitHub".into(),
                kind: Kind::GitHub {
                    authorize_url: "https://github.com/login/oauth/authorize".into(),
                    token_url: "https://github.com/login/oauth/access_token".into(),
                    api_url: "https://api.github.com/user".into(),
                },
                client_id: id.clone(),
                client_secret: secret.expose().to_owned(),
            });
        }
        if let (Some(id), Some(secret)) = (&c.google_client_id, &c.google_client_secret) {
            providers.push(Provider {
                id: "google",
                name: "Google".into(),
                kind: Kind::Oidc {
                    issuer_url: "https://accounts.google.com".into(),
                },
                client_id: id.clone(),
                client_secret: secret.expose().to_owned(),
            });
        }
        if let (Some(id), Some(secret)) = (&c.oidc_client_id, &c.oidc_client_secret) {
            let issuer_url = c
                .oidc_issuer_url
                .clone()
                .ok_or_else(|| anyhow!("--oidc-client-id needs --oidc-issuer-url too"))?;
            providers.push(Provider {
                id: "oidc",
                name: c.oidc_name.clone(),
                kind: Kind::Oidc { issuer_url },
                client_id: id.clone(),
                client_secret: secret.expose().to_owned(),
            });
        }
        let http = reqwest::Client::builder()
            // Every answer must come from the endpoint we called: following redirects would
            // let a provider's answer point us anywhere (SSRF).
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .user_agent("account-console")
            .build()?;
        Ok(Self {
            providers,
            http,
            discovered: Mutex::default(),
        })
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

    /// Where the browser goes to sign in at the provider.
    pub async fn authorize_url(
        &self,
        p: &Provider,
        pending: &Pending,
        state: &str,
        redirect_uri: &str,
    ) -> anyhow::Result<String> {
        match &p.kind {
            Kind::GitHub { authorize_url, .. } => Ok(github::authorize_url(
                authorize_url,
                p,
                pending,
                state,
                redirect_uri,
            )),
            Kind::Oidc { issuer_url } => {
                let metadata = self.metadata(p.id, issuer_url).await?;
                oidc::authorize_url(metadata, p, pending, state, redirect_uri)
            }
        }
    }

    /// Exchanges the code and says who signed in (for OpenID Connect: the validated ID
    /// token, bound to this attempt by its nonce).
    pub async fn identity(
        &self,
        p: &Provider,
        code: &str,
        pending: &Pending,
        redirect_uri: &str,
    ) -> anyhow::Result<Identity> {
        match &p.kind {
            Kind::GitHub {
                token_url, api_url, ..
            } => {
                github::identity(
                    &self.http,
                    p,
                    token_url,
                    api_url,
                    code,
                    pending,
                    redirect_uri,
                )
                .await
            }
            Kind::Oidc { issuer_url } => {
                let metadata = self.metadata(p.id, issuer_url).await?;
                oidc::identity(&self.http, metadata, p, code, pending, redirect_uri).await
            }
        }
    }

    /// The issuer's discovery document and keys, fetched again once `DISCOVERY_TTL` old.
    async fn metadata(&self, id: &'static str, issuer_url: &str) -> anyhow::Result<oidc::Metadata> {
        let mut cache = self.discovered.lock().await;
        if let Some((_, at, m)) = cache.iter().find(|(p, _, _)| *p == id) {
            if at.elapsed() < DISCOVERY_TTL {
                return Ok(m.clone());
            }
        }
        let m = oidc::discover(&self.http, issuer_url).await?;
        cache.retain(|(p, _, _)| *p != id);
        cache.push((id, Instant::now(), m.clone()));
        Ok(m)
    }
}

/// 32 random bytes from the OS CSPRNG (256 bits, security bar 1.5 / ASVS 11.5.1), base64url
/// (43 characters): `state` values, PKCE verifiers, nonces, reset and verification links.
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
