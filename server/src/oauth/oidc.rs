//! OpenID Connect through the `openidconnect` crate: the issuer's discovery document gives
//! the endpoints and signing keys; the code exchange returns an ID token whose signature,
//! issuer, audience, expiry and `nonce` (this attempt's) are checked before any claim is read.
use anyhow::{anyhow, Context};
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};

use super::{Identity, Pending, Provider};

pub type Metadata = CoreProviderMetadata;

pub async fn discover(http: &reqwest::Client, issuer_url: &str) -> anyhow::Result<Metadata> {
    let issuer = IssuerUrl::new(issuer_url.to_owned()).context("issuer URL")?;
    CoreProviderMetadata::discover_async(issuer, http)
        .await
        .context("OpenID Connect discovery")
}

fn client(
    metadata: Metadata,
    p: &Provider,
    redirect_uri: &str,
) -> anyhow::Result<
    CoreClient<
        openidconnect::EndpointSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointMaybeSet,
        openidconnect::EndpointMaybeSet,
    >,
> {
    Ok(CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(p.client_id.clone()),
        Some(ClientSecret::new(p.client_secret.clone())),
    )
    .set_redirect_uri(RedirectUrl::new(redirect_uri.to_owned()).context("redirect URI")?))
}

pub fn authorize_url(
    metadata: Metadata,
    p: &Provider,
    pending: &Pending,
    state: &str,
    redirect_uri: &str,
) -> anyhow::Result<String> {
    let client = client(metadata, p, redirect_uri)?;
    let (state, nonce) = (state.to_owned(), pending.oidc_nonce.clone());
    let (url, _, _) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            move || CsrfToken::new(state),
            move || Nonce::new(nonce),
        )
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("profile".into()))
        .set_pkce_challenge(PkceCodeChallenge::from_code_verifier_sha256(
            &PkceCodeVerifier::new(pending.pkce_verifier.clone()),
        ))
        .url();
    Ok(url.into())
}

pub async fn identity(
    http: &reqwest::Client,
    metadata: Metadata,
    p: &Provider,
    code: &str,
    pending: &Pending,
    redirect_uri: &str,
) -> anyhow::Result<Identity> {
    let client = client(metadata, p, redirect_uri)?;
    let response = client
        .exchange_code(AuthorizationCode::new(code.to_owned()))?
        .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier.clone()))
        .request_async(http)
        .await
        .context("token request")?;
    let id_token = response
        .id_token()
        .ok_or_else(|| anyhow!("token response without an ID token"))?;
    let claims = id_token
        .claims(
            &client.id_token_verifier(),
            &Nonce::new(pending.oidc_nonce.clone()),
        )
        .context("ID token")?;
    let verified = claims.email_verified() == Some(true);
    let name_hint = claims
        .preferred_username()
        .map(|u| u.as_str().to_owned())
        .or_else(|| {
            claims
                .name()
                .and_then(|n| n.get(None))
                .map(|n| n.as_str().to_owned())
        });
    let subject = claims.subject().as_str();
    if subject.is_empty() {
        return Err(anyhow!("ID token with an empty subject"));
    }
    Ok(Identity {
        subject: subject.to_owned(),
        verified_email: claims
            .email()
            .filter(|_| verified)
            .map(|e| e.as_str().to_lowercase()),
        name_hint,
    })
}
