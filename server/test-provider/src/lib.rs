//! A tiny OAuth 2.0 / OpenID Connect provider for tests (server API tests and the browser
//! journeys): authorization code flow with PKCE S256 only, one configured user, auto-approve.
//!
//! * `GET /.well-known/openid-configuration` is the discovery document (issuer = the base
//!   URL), `GET /jwks` the public half of an RSA key made at first use.
//! * `GET /authorize` checks `client_id`, `response_type=code`, an `openid` scope and an S256
//!   challenge, then redirects to `redirect_uri?code=…&state=…` at once (no login page).
//! * `POST /token` (form) checks the client id and secret (body or HTTP Basic), the code
//!   (single use), the `redirect_uri` and the PKCE verifier; answers an access token and an
//!   RS256-signed ID token carrying the authorization request's `nonce`. [`Misbehave`] makes
//!   it answer wrongly on purpose.
//! * `GET /userinfo` (Bearer) answers `{sub, email, email_verified, name}`.
//!
//! It listens on `127.0.0.1:0`; the task ends when the [`TestProvider`] is dropped.
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use data_encoding::{BASE64, BASE64URL_NOPAD};
use rsa::pkcs1v15::SigningKey;
use rsa::signature::{SignatureEncoding, Signer};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// The `kid` of the provider's one signing key.
const KEY_ID: &str = "test-key-1";

/// One key per process: RSA key generation is the slow part, and every provider may share it.
fn signing_key() -> &'static RsaPrivateKey {
    static KEY: OnceLock<RsaPrivateKey> = OnceLock::new();
    KEY.get_or_init(|| RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048).expect("RSA key"))
}

/// Ways the token endpoint can answer wrongly, for tests that the client refuses them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Misbehave {
    #[default]
    No,
    /// No `id_token` in the token response.
    OmitIdToken,
    /// The ID token carries another nonce than the authorization request's.
    WrongNonce,
    /// The ID token carries no nonce.
    NoNonce,
    /// The payload is changed after signing (another `sub`).
    TamperedPayload,
    /// The ID token is for another client (`aud`).
    WrongAudience,
}

/// Who "signs in" at the provider.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestUser {
    pub sub: String,
    pub email: String,
    pub email_verified: bool,
    pub name: String,
}

#[derive(Clone, Debug)]
pub struct ProviderConfig {
    pub client_id: String,
    pub client_secret: String,
    pub user: TestUser,
}

impl Default for ProviderConfig {
    fn default() -> Self {
        Self {
            client_id: "test-client".into(),
            client_secret: "test-client-secret-0123456789".into(),
            user: TestUser {
                sub: "subject-1".into(),
                email: "sam@example.com".into(),
                email_verified: true,
                name: "Sam Social".into(),
            },
        }
    }
}

struct Grant {
    challenge: String,
    redirect_uri: String,
    nonce: Option<String>,
    user: TestUser,
}

struct Shared {
    config: ProviderConfig,
    issuer: String,
    misbehave: Mutex<Misbehave>,
    user: Mutex<TestUser>,
    codes: Mutex<HashMap<String, Grant>>,
    tokens: Mutex<HashMap<String, TestUser>>,
}

pub struct TestProvider {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl TestProvider {
    pub async fn start(config: ProviderConfig) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        signing_key();
        let shared = Arc::new(Shared {
            issuer: format!("http://{addr}"),
            misbehave: Mutex::default(),
            user: Mutex::new(config.user.clone()),
            config,
            codes: Mutex::default(),
            tokens: Mutex::default(),
        });
        let app = Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks", get(jwks))
            .route("/authorize", get(authorize))
            .route("/token", post(token))
            .route("/userinfo", get(userinfo))
            .with_state(shared.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(Self { addr, shared, task })
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The user the next authorization signs in as.
    pub fn set_user(&self, user: TestUser) {
        *self.shared.user.lock().unwrap() = user;
    }

    /// How the token endpoint answers from now on.
    pub fn misbehave(&self, how: Misbehave) {
        *self.shared.misbehave.lock().unwrap() = how;
    }

    pub fn config(&self) -> &ProviderConfig {
        &self.shared.config
    }

    /// The server flags that configure this provider as the generic OIDC one.
    pub fn server_args(&self, name: &str) -> Vec<String> {
        let base = self.base_url();
        let c = &self.shared.config;
        [
            ("--oidc-name", name.to_owned()),
            ("--oidc-client-id", c.client_id.clone()),
            ("--oidc-client-secret", c.client_secret.clone()),
            ("--oidc-issuer-url", base),
        ]
        .into_iter()
        .flat_map(|(flag, value)| [flag.to_owned(), value])
        .collect()
    }
}

impl Drop for TestProvider {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn params(raw: &str) -> HashMap<String, String> {
    form_urlencoded::parse(raw.as_bytes())
        .into_owned()
        .collect()
}

fn random() -> String {
    let mut bytes = [0u8; 24];
    getrandom::fill(&mut bytes).expect("CSPRNG");
    BASE64URL_NOPAD.encode(&bytes)
}

fn bad(status: StatusCode, error: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        json!({ "error": error }).to_string(),
    )
        .into_response()
}

async fn authorize(State(s): State<Arc<Shared>>, RawQuery(q): RawQuery) -> Response {
    let p = params(q.as_deref().unwrap_or_default());
    let get = |k: &str| p.get(k).cloned().unwrap_or_default();
    if get("client_id") != s.config.client_id
        || get("response_type") != "code"
        || get("code_challenge_method") != "S256"
        || get("code_challenge").is_empty()
        || get("redirect_uri").is_empty()
        || !get("scope").split(' ').any(|s| s == "openid")
    {
        return bad(StatusCode::BAD_REQUEST, "invalid_request");
    }
    let code = random();
    let user = s.user.lock().unwrap().clone();
    s.codes.lock().unwrap().insert(
        code.clone(),
        Grant {
            challenge: get("code_challenge"),
            redirect_uri: get("redirect_uri"),
            nonce: p.get("nonce").cloned(),
            user,
        },
    );
    let back = form_urlencoded::Serializer::new(String::new())
        .append_pair("code", &code)
        .append_pair("state", &get("state"))
        .finish();
    let uri = get("redirect_uri");
    let sep = if uri.contains('?') { '&' } else { '?' };
    Response::builder()
        .status(StatusCode::FOUND)
        .header(header::LOCATION, format!("{uri}{sep}{back}"))
        .body(Body::empty())
        .unwrap()
}

async fn token(State(s): State<Arc<Shared>>, headers: HeaderMap, body: String) -> Response {
    let p = params(&body);
    let get = |k: &str| p.get(k).cloned().unwrap_or_default();
    let (id, secret) =
        basic_auth(&headers).unwrap_or_else(|| (get("client_id"), get("client_secret")));
    if id != s.config.client_id || secret != s.config.client_secret {
        return bad(StatusCode::UNAUTHORIZED, "invalid_client");
    }
    if get("grant_type") != "authorization_code" {
        return bad(StatusCode::BAD_REQUEST, "unsupported_grant_type");
    }
    // Removed before any check: a code is good for one attempt only.
    let Some(grant) = s.codes.lock().unwrap().remove(&get("code")) else {
        return bad(StatusCode::BAD_REQUEST, "invalid_grant");
    };
    let challenge = BASE64URL_NOPAD.encode(&Sha256::digest(get("code_verifier").as_bytes()));
    if grant.redirect_uri != get("redirect_uri") || grant.challenge != challenge {
        return bad(StatusCode::BAD_REQUEST, "invalid_grant");
    }
    let access = random();
    s.tokens
        .lock()
        .unwrap()
        .insert(access.clone(), grant.user.clone());
    let misbehave = *s.misbehave.lock().unwrap();
    let mut answer = json!({"access_token": access, "token_type": "Bearer", "expires_in": 3600});
    if misbehave != Misbehave::OmitIdToken {
        answer["id_token"] = id_token(&s, &grant, misbehave).into();
    }
    (
        [(header::CONTENT_TYPE, "application/json")],
        answer.to_string(),
    )
        .into_response()
}

fn id_token(s: &Shared, grant: &Grant, misbehave: Misbehave) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let u = &grant.user;
    let mut claims = json!({
        "iss": s.issuer,
        "sub": u.sub,
        "aud": s.config.client_id,
        "iat": now,
        "exp": now + 300,
        "email": u.email,
        "email_verified": u.email_verified,
        "name": u.name,
    });
    match (misbehave, &grant.nonce) {
        (Misbehave::WrongNonce, _) => claims["nonce"] = random().into(),
        (Misbehave::NoNonce, _) | (_, None) => {}
        (_, Some(nonce)) => claims["nonce"] = nonce.clone().into(),
    }
    if misbehave == Misbehave::WrongAudience {
        claims["aud"] = "another-client".into();
    }
    let header = json!({"alg": "RS256", "typ": "JWT", "kid": KEY_ID});
    let b64 = |v: &Value| BASE64URL_NOPAD.encode(v.to_string().as_bytes());
    let signed = format!("{}.{}", b64(&header), b64(&claims));
    let signature = SigningKey::<Sha256>::new(signing_key().clone()).sign(signed.as_bytes());
    let signature = BASE64URL_NOPAD.encode(&signature.to_bytes());
    if misbehave == Misbehave::TamperedPayload {
        claims["sub"] = "someone-else".into();
        return format!("{}.{}.{signature}", b64(&header), b64(&claims));
    }
    format!("{signed}.{signature}")
}

async fn discovery(State(s): State<Arc<Shared>>) -> Response {
    let base = &s.issuer;
    (
        [(header::CONTENT_TYPE, "application/json")],
        json!({
            "issuer": base,
            "authorization_endpoint": format!("{base}/authorize"),
            "token_endpoint": format!("{base}/token"),
            "userinfo_endpoint": format!("{base}/userinfo"),
            "jwks_uri": format!("{base}/jwks"),
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": ["sub", "email", "email_verified", "name"],
        })
        .to_string(),
    )
        .into_response()
}

async fn jwks() -> Response {
    let public = signing_key().to_public_key();
    (
        [(header::CONTENT_TYPE, "application/json")],
        json!({"keys": [{
            "kty": "RSA",
            "use": "sig",
            "alg": "RS256",
            "kid": KEY_ID,
            "n": BASE64URL_NOPAD.encode(&public.n().to_bytes_be()),
            "e": BASE64URL_NOPAD.encode(&public.e().to_bytes_be()),
        }]})
        .to_string(),
    )
        .into_response()
}

fn basic_auth(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ")?;
    let decoded = String::from_utf8(BASE64.decode(encoded.trim().as_bytes()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

async fn userinfo(State(s): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let user = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .and_then(|t| s.tokens.lock().unwrap().get(t).cloned());
    let Some(u) = user else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    (
        [(header::CONTENT_TYPE, "application/json")],
        json!({
            "sub": u.sub,
            "email": u.email,
            "email_verified": u.email_verified,
            "name": u.name,
        })
        .to_string(),
    )
        .into_response()
}
