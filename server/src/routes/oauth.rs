//! Social sign-in (ours): `GET /auth/oauth/<provider>/authorize?nonce=<nonce>` starts the
//! authorization code flow, `GET /auth/oauth/<provider>/callback` finishes it and sends the
//! browser to the console: `<public-url>login/callback#token=<jwt>&nonce=<nonce>` on success,
//! `<public-url>login#error=<code>&nonce=<nonce>` on any failure (the fragment keeps the
//! token out of logs and Referer headers; the nonce is the console's, so only the tab that
//! started the sign-in accepts the result).
mod sign_in;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use wire::account::{
    ERROR_FRAGMENT_KEY, LOGIN_ROUTE, SIGN_IN_CALLBACK_SEGMENT, TOKEN_FRAGMENT_KEY,
};
use wire::paths;
use wire::social::{is_valid_nonce, NONCE_PARAM};
use wire::SignInErrorCode;

use crate::auth::origin::SessionOrigin;
use crate::error::{AppError, AppResult};
use crate::http::client_ip::ClientIp;
use crate::oauth::{random_token, sha256_hex, states, Pending, Provider};
use crate::ratelimit::{self, OAUTH_PER_IP};
use crate::state::AppState;
use sign_in::{sign_in, SignInError};

/// How long an authorization may take at the provider.
const STATE_TTL_MS: i64 = 10 * 60 * 1000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(paths::OAUTH_AUTHORIZE, get(authorize))
        .route(paths::OAUTH_CALLBACK, get(callback))
}

fn query_param(query: &str, name: &str) -> Option<String> {
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// The configured provider the path names; a segment that is not UTF-8 names none.
fn provider_of(
    state: &AppState,
    segment: Result<Path<String>, PathRejection>,
) -> AppResult<&Provider> {
    let Ok(Path(provider)) = segment else {
        return Err(AppError::NotFound);
    };
    state.oauth.get(&provider).ok_or(AppError::NotFound)
}

async fn authorize(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    provider: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
) -> AppResult<Response> {
    let p = provider_of(&state, provider)?;
    // Without the console's nonce no browser could accept the result.
    let Some(nonce) = query_param(query.as_deref().unwrap_or_default(), NONCE_PARAM)
        .filter(|n| is_valid_nonce(n))
    else {
        return Ok(login_error(&state, SignInErrorCode::StateInvalid, None));
    };
    let now = state.now_ms();
    let ip_key = ratelimit::oauth_ip_key(ip);
    if ratelimit::reserve(&state.db, &ip_key, OAUTH_PER_IP, now)
        .await
        .is_err()
    {
        tracing::info!(ip = %ip, "social sign-in: rate limited");
        return Ok(login_error(
            &state,
            SignInErrorCode::RateLimited,
            Some(&nonce),
        ));
    }
    let st = random_token()?;
    let pending = Pending {
        pkce_verifier: random_token()?,
        browser_nonce: nonce,
        oidc_nonce: random_token()?,
    };
    let url = match state
        .oauth
        .authorize_url(p, &pending, &st, &redirect_uri(&state, p))
        .await
    {
        Ok(url) => url,
        Err(e) => {
            tracing::warn!(provider = p.id, error = %format!("{e:#}"), "social sign-in: provider unavailable");
            return Ok(login_error(
                &state,
                SignInErrorCode::ProviderError,
                Some(&pending.browser_nonce),
            ));
        }
    };
    states::insert(
        &state.db,
        &sha256_hex(&st),
        p.id,
        &pending,
        now,
        now + STATE_TTL_MS,
    )
    .await?;
    found(&url)
}

/// `<origin of --public-url>/auth/oauth/<id>/callback`: the API lives at the origin root.
fn redirect_uri(state: &AppState, p: &Provider) -> String {
    let url = &*state.public_url;
    let host_start = url.find("://").map_or(0, |i| i + 3);
    let origin_end = url[host_start..]
        .find('/')
        .map_or(url.len(), |i| host_start + i);
    format!("{}/auth/oauth/{}/callback", &url[..origin_end], p.id)
}

fn found(location: &str) -> AppResult<Response> {
    let value = HeaderValue::try_from(location)
        .map_err(|_| anyhow::anyhow!("redirect location is not a header value"))?;
    Ok((StatusCode::FOUND, [(header::LOCATION, value)]).into_response())
}

async fn callback(
    State(state): State<AppState>,
    provider: Result<Path<String>, PathRejection>,
    origin: SessionOrigin,
    RawQuery(query): RawQuery,
) -> AppResult<Response> {
    let p = provider_of(&state, provider)?.clone();
    let (nonce, result) = finish(&state, &p, query.as_deref().unwrap_or_default(), &origin).await;
    match (result, nonce) {
        (Ok(token), Some(nonce)) => found(&format!(
            "{}{LOGIN_ROUTE}/{SIGN_IN_CALLBACK_SEGMENT}#{TOKEN_FRAGMENT_KEY}={token}&{NONCE_PARAM}={nonce}",
            state.public_url
        )),
        (Ok(_), None) => Ok(login_error(&state, SignInErrorCode::StateInvalid, None)),
        (Err(code), nonce) => Ok(login_error(&state, code, nonce.as_deref())),
    }
}

/// The console's login page with an error code (never text: the console has its own
/// message for each code) and the console's nonce when the attempt was known.
fn login_error(state: &AppState, code: SignInErrorCode, nonce: Option<&str>) -> Response {
    // Codes and nonces are URL-safe by construction (`is_valid_nonce`): no encoding needed.
    let nonce = nonce.map_or(String::new(), |n| format!("&{NONCE_PARAM}={n}"));
    let location = format!(
        "{}{LOGIN_ROUTE}#{ERROR_FRAGMENT_KEY}={}{nonce}",
        state.public_url,
        code.code()
    );
    found(&location).unwrap_or_else(IntoResponse::into_response)
}

/// The session token for whoever signed in, or why not; with the console's nonce of the
/// attempt whenever its state was known.
async fn finish(
    state: &AppState,
    p: &Provider,
    query: &str,
    origin: &SessionOrigin,
) -> (Option<String>, Result<String, SignInErrorCode>) {
    let Some(st) = query_param(query, "state") else {
        return (None, Err(SignInErrorCode::StateInvalid));
    };
    let pending = match states::consume(&state.db, &sha256_hex(&st), p.id, state.now_ms()).await {
        Ok(Some(pending)) => pending,
        Ok(None) => {
            tracing::info!(
                provider = p.id,
                "social sign-in: unknown, expired or used state"
            );
            return (None, Err(SignInErrorCode::StateInvalid));
        }
        Err(e) => return (None, Err(failed(p, &e))),
    };
    let result = exchange(state, p, query, &pending, origin).await;
    (Some(pending.browser_nonce), result)
}

/// Logged here with its cause; the browser only learns that the sign-in failed.
fn failed(p: &Provider, e: &dyn std::fmt::Display) -> SignInErrorCode {
    tracing::warn!(provider = p.id, error = %e, "social sign-in failed");
    SignInErrorCode::ProviderError
}

async fn exchange(
    state: &AppState,
    p: &Provider,
    query: &str,
    pending: &Pending,
    origin: &SessionOrigin,
) -> Result<String, SignInErrorCode> {
    if query_param(query, "error").is_some() {
        return Err(SignInErrorCode::Cancelled);
    }
    let Some(code) = query_param(query, "code") else {
        return Err(SignInErrorCode::StateInvalid);
    };
    let identity = state
        .oauth
        .identity(p, &code, pending, &redirect_uri(state, p))
        .await
        .map_err(|e| failed(p, &format!("{e:#}")))?;
    sign_in(state, p, &identity, origin)
        .await
        .map_err(|e| match e {
            SignInError::Refused(code) => code,
            SignInError::Internal(e) => failed(p, &e),
        })
}
