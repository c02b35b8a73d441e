//! The back channel: exchanging the code (with the PKCE verifier) for an access token, then
//! asking the provider who signed in.
use anyhow::{anyhow, bail, Context};
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use serde_json::Value;

use super::{Kind, Provider};

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

pub async fn fetch_identity(
    http: &reqwest::Client,
    p: &Provider,
    code: &str,
    verifier: &str,
    redirect_uri: &str,
) -> anyhow::Result<Identity> {
    let access_token = exchange(http, p, code, verifier, redirect_uri).await?;
    match p.kind {
        Kind::Oidc => oidc_identity(http, p, &access_token).await,
        Kind::GitHub => github_identity(http, p, &access_token).await,
    }
}

async fn exchange(
    http: &reqwest::Client,
    p: &Provider,
    code: &str,
    verifier: &str,
    redirect_uri: &str,
) -> anyhow::Result<String> {
    let body = form_urlencoded::Serializer::new(String::new())
        .append_pair("grant_type", "authorization_code")
        .append_pair("code", code)
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("client_id", &p.client_id)
        .append_pair("client_secret", &p.client_secret)
        .append_pair("code_verifier", verifier)
        .finish();
    let res = http
        .post(&p.token_url)
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        // GitHub answers form-encoded unless asked for JSON.
        .header(ACCEPT, "application/json")
        .body(body)
        .send()
        .await
        .context("token request")?;
    let status = res.status();
    let json: Value = serde_json::from_slice(&res.bytes().await?).context("token response")?;
    // GitHub reports a bad code as 200 with an `error` field.
    if !status.is_success() || json.get("error").is_some() {
        bail!(
            "token endpoint refused the code: {status} {}",
            json.get("error").and_then(Value::as_str).unwrap_or("")
        );
    }
    json.get("access_token")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| anyhow!("token response without access_token"))
}

async fn get_json(http: &reqwest::Client, url: &str, token: &str) -> anyhow::Result<Value> {
    let res = http
        .get(url)
        .header(AUTHORIZATION, format!("Bearer {token}"))
        .header(ACCEPT, "application/json")
        .send()
        .await
        .with_context(|| format!("GET {url}"))?;
    if !res.status().is_success() {
        bail!("GET {url}: {}", res.status());
    }
    serde_json::from_slice(&res.bytes().await?).with_context(|| format!("GET {url}: not JSON"))
}

async fn oidc_identity(
    http: &reqwest::Client,
    p: &Provider,
    token: &str,
) -> anyhow::Result<Identity> {
    let info = get_json(http, &p.userinfo_url, token).await?;
    let subject = info
        .get("sub")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| anyhow!("userinfo without sub"))?
        .to_owned();
    // Some providers send `"email_verified": "true"` as a string.
    let verified = matches!(info.get("email_verified"), Some(Value::Bool(true)))
        || info.get("email_verified").and_then(Value::as_str) == Some("true");
    let email = info.get("email").and_then(Value::as_str);
    let name_hint = ["preferred_username", "name"]
        .iter()
        .find_map(|k| info.get(*k).and_then(Value::as_str))
        .map(str::to_owned);
    Ok(Identity {
        subject,
        verified_email: email.filter(|_| verified).map(str::to_lowercase),
        name_hint,
    })
}

async fn github_identity(
    http: &reqwest::Client,
    p: &Provider,
    token: &str,
) -> anyhow::Result<Identity> {
    let user = get_json(http, &p.userinfo_url, token).await?;
    let subject = user
        .get("id")
        .and_then(Value::as_i64)
        .ok_or_else(|| anyhow!("GitHub user without id"))?
        .to_string();
    // The profile's public email may be unverified; /user/emails says which is primary and
    // verified.
    let emails = get_json(http, &format!("{}/emails", p.userinfo_url), token).await?;
    let verified_email = emails.as_array().and_then(|list| {
        list.iter()
            .find(|e| e["primary"] == Value::Bool(true) && e["verified"] == Value::Bool(true))
            .and_then(|e| e["email"].as_str())
            .map(str::to_lowercase)
    });
    Ok(Identity {
        subject,
        verified_email,
        name_hint: user.get("login").and_then(Value::as_str).map(str::to_owned),
    })
}
