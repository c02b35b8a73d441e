//! Social sign-in (ours): `GET /auth/oauth/<provider>/authorize` starts the authorization
//! code flow, `GET /auth/oauth/<provider>/callback` finishes it and sends the browser to the
//! console: `<public-url>login/callback#token=<jwt>` on success, `<public-url>login#error=<text>`
//! on any failure (the fragment keeps the token out of logs and Referer headers).
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::auth::origin::SessionOrigin;
use crate::auth::session;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::http::client_ip::ClientIp;
use crate::oauth::{fetch_identity, pkce_challenge, random_token, sha256_hex, Identity, Provider};
use crate::ratelimit::{self, OAUTH_PER_IP};
use crate::state::AppState;
use crate::two_factor;
use crate::users::{self, CreateError, NewAccount};

/// How long an authorization may take at the provider.
const STATE_TTL_MS: i64 = 10 * 60 * 1000;

const MSG_EXPIRED: &str = "This sign-in attempt has expired or was already used. Please try again.";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/oauth/{provider}/authorize", get(authorize))
        .route("/auth/oauth/{provider}/callback", get(callback))
}

async fn authorize(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(provider): Path<String>,
) -> AppResult<Response> {
    let p = state.oauth.get(&provider).ok_or(AppError::NotFound)?;
    let now = state.now_ms();
    let ip_key = ratelimit::oauth_ip_key(ip);
    if ratelimit::reserve(&state.db, &ip_key, OAUTH_PER_IP, now)
        .await
        .is_err()
    {
        tracing::info!(ip = %ip, "social sign-in: rate limited");
        return Ok(login_error(
            &state,
            "Too many sign-in attempts. Please try again later.",
        ));
    }
    let (st, verifier) = (random_token()?, random_token()?);
    sqlx::query("DELETE FROM oauth_states WHERE expires_at <= $1")
        .bind(now)
        .execute(&state.db)
        .await?;
    sqlx::query(
        "INSERT INTO oauth_states (state_hash, provider, pkce_verifier, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(sha256_hex(&st))
    .bind(p.id)
    .bind(&verifier)
    .bind(now)
    .bind(now + STATE_TTL_MS)
    .execute(&state.db)
    .await?;
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("response_type", "code")
        .append_pair("client_id", &p.client_id)
        .append_pair("redirect_uri", &redirect_uri(&state, p))
        .append_pair("scope", p.scope)
        .append_pair("state", &st)
        .append_pair("code_challenge", &pkce_challenge(&verifier))
        .append_pair("code_challenge_method", "S256")
        .finish();
    let sep = if p.authorize_url.contains('?') {
        '&'
    } else {
        '?'
    };
    found(&format!("{}{sep}{query}", p.authorize_url))
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
    Path(provider): Path<String>,
    origin: SessionOrigin,
    RawQuery(query): RawQuery,
) -> AppResult<Response> {
    let p = state
        .oauth
        .get(&provider)
        .ok_or(AppError::NotFound)?
        .clone();
    match finish(&state, &p, query.as_deref().unwrap_or_default(), &origin).await {
        Ok(token) => found(&format!("{}login/callback#token={token}", state.public_url)),
        Err(message) => Ok(login_error(&state, &message)),
    }
}

/// The console's login page with a message for people in the fragment.
fn login_error(state: &AppState, message: &str) -> Response {
    let encoded: String = form_urlencoded::byte_serialize(message.as_bytes())
        .collect::<String>()
        // byte_serialize writes spaces as `+`; in a fragment `%20` is unambiguous.
        .replace('+', "%20");
    let location = format!("{}login#error={encoded}", state.public_url);
    found(&location).unwrap_or_else(IntoResponse::into_response)
}

/// The session token for whoever signed in, or a message for people.
async fn finish(
    state: &AppState,
    p: &Provider,
    query: &str,
    origin: &SessionOrigin,
) -> Result<String, String> {
    let param = |name: &str| {
        form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    if param("error").is_some() {
        return Err(format!("Sign-in with {} was cancelled or refused.", p.name));
    }
    let (Some(code), Some(st)) = (param("code"), param("state")) else {
        return Err(MSG_EXPIRED.into());
    };
    let failed = |e: &dyn std::fmt::Display| {
        tracing::warn!(provider = p.id, error = %e, "social sign-in failed");
        format!("Sign-in with {} failed. Please try again.", p.name)
    };
    // Consumed once: a replayed callback (or one for another provider) finds nothing.
    let verifier: Option<String> = sqlx::query_scalar(
        "DELETE FROM oauth_states WHERE state_hash = $1 AND provider = $2 AND expires_at > $3
         RETURNING pkce_verifier",
    )
    .bind(sha256_hex(&st))
    .bind(p.id)
    .bind(state.now_ms())
    .fetch_optional(&state.db)
    .await
    .map_err(|e| failed(&e))?;
    let Some(verifier) = verifier else {
        tracing::info!(
            provider = p.id,
            "social sign-in: unknown, expired or used state"
        );
        return Err(MSG_EXPIRED.into());
    };
    let identity = fetch_identity(
        &state.oauth.http,
        p,
        &code,
        &verifier,
        &redirect_uri(state, p),
    )
    .await
    .map_err(|e| failed(&format!("{e:#}")))?;
    sign_in(state, p, &identity, origin)
        .await
        .map_err(|e| match e {
            SignInError::Message(m) => m,
            SignInError::Internal(e) => failed(&e),
        })
}

enum SignInError {
    Message(String),
    Internal(AppError),
}

impl From<AppError> for SignInError {
    fn from(e: AppError) -> Self {
        Self::Internal(e)
    }
}

impl From<sqlx::Error> for SignInError {
    fn from(e: sqlx::Error) -> Self {
        Self::Internal(e.into())
    }
}

/// Known identity → its user; else a verified email that matches an account → link it; else
/// a new account without a password (and without an email unless a verified one came).
async fn sign_in(
    state: &AppState,
    p: &Provider,
    id: &Identity,
    origin: &SessionOrigin,
) -> Result<String, SignInError> {
    let now = state.now_ms();
    let known: Option<i64> = sqlx::query_scalar(
        "SELECT user_id FROM user_identities WHERE provider = $1 AND subject = $2",
    )
    .bind(p.id)
    .bind(&id.subject)
    .fetch_optional(&state.db)
    .await?;
    let user_id = match known {
        Some(user_id) => user_id,
        None => match link_by_email(state, p, id, now).await? {
            Some(user_id) => user_id,
            None => return create(state, p, id, origin, now).await,
        },
    };
    // Like a password login: a 2FA user gets a partial token and passes the challenge.
    let two_factor = two_factor::is_enabled(&state.db, user_id).await?;
    let mut conn = state.db.acquire().await?;
    let token = session::create_with(
        &mut conn,
        &state.jwt,
        user_id,
        now,
        two_factor.then_some(true),
        origin,
        now,
    )
    .await?;
    tracing::info!(user_id, provider = p.id, two_factor, "social sign-in");
    Ok(token)
}

async fn link_by_email(
    state: &AppState,
    p: &Provider,
    id: &Identity,
    now: i64,
) -> Result<Option<i64>, SignInError> {
    let Some(email) = &id.verified_email else {
        return Ok(None);
    };
    let user: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_optional(&state.db)
        .await?;
    let Some(user_id) = user else {
        return Ok(None);
    };
    let linked = sqlx::query(
        "INSERT INTO user_identities (user_id, provider, subject, created_at)
         VALUES ($1, $2, $3, $4)",
    )
    .bind(user_id)
    .bind(p.id)
    .bind(&id.subject)
    .bind(now)
    .execute(&state.db)
    .await;
    match linked {
        Ok(_) => {
            tracing::info!(
                user_id,
                provider = p.id,
                "social identity linked by verified email"
            );
            Ok(Some(user_id))
        }
        Err(e) if db::unique_violation(&e).is_some() => Err(SignInError::Message(format!(
            "Your account is already linked to another {} account.",
            p.name
        ))),
        Err(e) => Err(e.into()),
    }
}

async fn create(
    state: &AppState,
    p: &Provider,
    id: &Identity,
    origin: &SessionOrigin,
    now: i64,
) -> Result<String, SignInError> {
    // The username comes from the verified email like at sign-up, else from the provider's
    // login or name (never from an unverified email).
    let seed = match (&id.verified_email, &id.name_hint) {
        (Some(email), _) => email.clone(),
        (None, Some(name)) => format!("{name}@"),
        (None, None) => "user@".to_owned(),
    };
    let username = users::derive_username(&state.db, &seed).await?;
    let account = NewAccount {
        email: id.verified_email.as_deref(),
        username: &username,
        password_hash: None,
        origin,
    };
    let mut tx = db::begin_write(&state.db).await?;
    let (user_id, token) = match users::create_account_in(&mut tx, &state.jwt, &account, now).await
    {
        Ok(created) => created,
        Err(CreateError::Other(e)) => return Err(e.into()),
        // A parallel sign-up took the name or the email: the user simply tries again.
        Err(CreateError::Taken(_)) => return Err(SignInError::Message(MSG_EXPIRED.into())),
    };
    sqlx::query(
        "INSERT INTO user_identities (user_id, provider, subject, created_at)
         VALUES ($1, $2, $3, $4)",
    )
    .bind(user_id)
    .bind(p.id)
    .bind(&id.subject)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    tracing::info!(
        user_id,
        provider = p.id,
        "account created by social sign-in"
    );
    Ok(token)
}
