//! GitHub, plain OAuth 2.0 (no ID token): the code (with the PKCE verifier) is exchanged for
//! an access token, then GitHub's API says who signed in and which email is verified.
use anyhow::{anyhow, bail, Context};
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use serde_json::Value;

use super::{pkce_challenge, Identity, Pending, Provider};

const SCOPE: &str = "read:user user:email";

pub fn authorize_url(
    authorize_url: &str,
    p: &Provider,
    pending: &Pending,
    state: &str,
    redirect_uri: &str,
) -> String {
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("response_type", "code")
        .append_pair("client_id", &p.client_id)
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("scope", SCOPE)
        .append_pair("state", state)
        .append_pair("code_challenge", &pkce_challenge(&pending.pkce_verifier))
        .append_pair("code_challenge_method", "S256")
        .finish();
    format!("{authorize_url}?{query}")
}

pub async fn identity(
    http: &reqwest::Client,
    p: &Provider,
    token_url: &str,
    api_url: &str,
    code: &str,
    pending: &Pending,
    redirect_uri: &str,
) -> anyhow::Result<Identity> {
    let access_token = exchange(
        http,
        p,
        token_url,
        code,
        &pending.pkce_verifier,
        redirect_uri,
    )
    .await?;
    github_identity(http, api_url, &access_token).await
}

async fn exchange(
    http: &reqwest::Client,
    p: &Provider,
    token_url: &str,
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
        .post(token_url)
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

async fn github_identity(
    http: &reqwest::Client,
    api_url: &str,
    token: &str,
) -> anyhow::Result<Identity> {
    let user = get_json(http, api_url, token).await?;
    let subject = user
        .get("id")
        .and_then(Value::as_i64)
        .ok_or_else(|| anyhow!("GitHub user without id"))?
        .to_string();
    // The profile's public email may be unverified; /user/emails says which is primary and
    // verified.
    let emails = get_json(http, &format!("{api_url}/emails"), token).await?;
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
