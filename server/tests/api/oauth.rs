//! Social sign-in against the test provider (`server/test-provider`) over real HTTP on
//! loopback: the server's discovery, token and JWKS calls go to it; the browser's redirects are
//! followed by hand.
use axum::http::StatusCode;
use serde_json::json;
use test_oidc_provider::{Misbehave, ProviderConfig, TestProvider, TestUser};

use super::password::set_password;
use super::password_reset::enable_two_factor;
use crate::common::*;

const CONSOLE: &str = "http://console.test/account/";
/// What the console's tab generated before leaving for the provider.
const NONCE: &str = "console-nonce-0123456789abcdef";
const AUTHORIZE: &str = "/auth/oauth/oidc/authorize?nonce=console-nonce-0123456789abcdef";

async fn setup() -> (TestApp, TestProvider) {
    let provider = TestProvider::start(ProviderConfig::default())
        .await
        .unwrap();
    let mut args: Vec<String> = vec!["--public-url".into(), CONSOLE.into()];
    args.extend(provider.server_args("Test ID"));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    (TestApp::with_args(&args).await, provider)
}

fn location(res: &TestResponse) -> String {
    assert_eq!(res.status, StatusCode::FOUND, "{}", res.text());
    res.header("location").unwrap().to_owned()
}

/// The provider's redirect back to us, as a path + query our router understands.
async fn follow_at_provider(authorize_url: &str) -> String {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = client.get(authorize_url).send().await.unwrap();
    assert_eq!(res.status(), reqwest::StatusCode::FOUND);
    let back = res.headers()["location"].to_str().unwrap().to_owned();
    let path = back
        .strip_prefix("http://console.test")
        .unwrap_or_else(|| panic!("callback on the public origin: {back}"));
    assert!(path.starts_with("/auth/oauth/oidc/callback?"), "{path}");
    path.to_owned()
}

/// The whole flow; returns where the browser lands in the console.
async fn sign_in(app: &TestApp) -> String {
    let authorize = location(&app.get(AUTHORIZE, None).await);
    let callback = follow_at_provider(&authorize).await;
    location(&app.get(&callback, None).await)
}

/// The fragment's parameters of a landing in the console at `page`.
fn fragment(landing: &str, page: &str) -> std::collections::HashMap<String, String> {
    let fragment = landing
        .strip_prefix(&format!("{CONSOLE}{page}#"))
        .unwrap_or_else(|| panic!("not on {page}: {landing}"));
    form_urlencoded::parse(fragment.as_bytes())
        .into_owned()
        .collect()
}

/// The token of a successful landing, which must echo the console's nonce.
fn token_of(landing: &str) -> String {
    let f = fragment(landing, "login/callback");
    assert_eq!(f["nonce"], NONCE, "{landing}");
    assert_eq!(f.len(), 2, "{landing}");
    f["token"].clone()
}

/// The error code of a failed landing, and the nonce it echoes (when the attempt was known).
fn error_of(landing: &str) -> (String, Option<String>) {
    let f = fragment(landing, "login");
    (f["error"].clone(), f.get("nonce").cloned())
}

fn known_error(landing: &str) -> String {
    let (code, nonce) = error_of(landing);
    assert_eq!(nonce.as_deref(), Some(NONCE), "{landing}");
    code
}

async fn count(app: &TestApp, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.state.db)
        .await
        .unwrap()
}

async fn has_password_set(app: &TestApp, token: &str) -> bool {
    let res = app
        .get(
            &format!("/v7/user({})?$select=has_password_set", user_id(token)),
            Some(token),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    res.json()["d"][0]["has_password_set"].as_bool().unwrap()
}

#[tokio::test]
async fn config_lists_only_configured_providers() {
    let (app, _provider) = setup().await;
    let config = app.get("/config", None).await.json();
    assert_eq!(config["providers"], json!(["oidc"]));
    assert_eq!(
        config["signInProviders"],
        json!([{"id": "oidc", "name": "Test ID"}])
    );
    let plain = TestApp::new().await;
    assert_eq!(
        plain.get("/config", None).await.json()["providers"],
        json!([])
    );
    plain
        .get(
            "/auth/oauth/github/authorize?nonce=console-nonce-0123456789abcdef",
            None,
        )
        .await
        .assert_empty(StatusCode::NOT_FOUND);
}

/// A provider segment that does not decode to UTF-8 names no provider.
#[tokio::test]
async fn a_provider_name_that_is_not_utf8_is_not_found() {
    let (app, _provider) = setup().await;
    for path in ["/auth/oauth/%FF/authorize", "/auth/oauth/%FF/callback"] {
        app.get(path, None)
            .await
            .assert_empty(StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn authorize_sends_state_pkce_an_oidc_nonce_and_the_public_callback() {
    let (app, provider) = setup().await;
    let url = location(&app.get(AUTHORIZE, None).await);
    let (base, query) = url.split_once('?').unwrap();
    assert_eq!(base, format!("{}/authorize", provider.base_url()));
    let p: std::collections::HashMap<String, String> = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    assert_eq!(p["response_type"], "code");
    assert_eq!(p["client_id"], "test-client");
    assert_eq!(
        p["redirect_uri"],
        "http://console.test/auth/oauth/oidc/callback"
    );
    assert_eq!(p["scope"], "openid email profile");
    assert_eq!(p["code_challenge_method"], "S256");
    assert_eq!(p["state"].len(), 43);
    assert_eq!(p["code_challenge"].len(), 43);
    // The ID token's nonce is the server's own, not the console's (which the provider never
    // sees).
    assert_eq!(p["nonce"].len(), 43);
    assert!(!url.contains(NONCE), "{url}");
    // Only the state's hash is kept server-side, with both nonces.
    let (hash, browser, oidc): (String, String, String) =
        sqlx::query_as("SELECT state_hash, browser_nonce, oidc_nonce FROM oauth_states")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_ne!(hash, p["state"]);
    assert_eq!(
        (browser.as_str(), oidc.as_str()),
        (NONCE, p["nonce"].as_str())
    );
}

#[tokio::test]
async fn authorize_without_a_valid_console_nonce_goes_nowhere() {
    let (app, _provider) = setup().await;
    for path in [
        "/auth/oauth/oidc/authorize",
        "/auth/oauth/oidc/authorize?nonce=",
        "/auth/oauth/oidc/authorize?nonce=short",
        "/auth/oauth/oidc/authorize?nonce=console-nonce-0123456789abcdef%26x",
    ] {
        let landing = location(&app.get(path, None).await);
        assert_eq!(error_of(&landing), ("state_invalid".into(), None), "{path}");
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM oauth_states").await, 0);
}

#[tokio::test]
async fn first_sign_in_creates_a_passwordless_account_that_can_then_set_a_password() {
    let (app, _provider) = setup().await;
    let token = token_of(&sign_in(&app).await);
    let me = app.get("/user/v1/whoami", Some(&token)).await.json();
    assert_eq!(me["email"], "sam@example.com");
    assert_eq!(me["username"], "sam");
    // Like sign-up: a personal organization with the user as administrator.
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM organizations WHERE handle = 'sam'"
        )
        .await,
        1
    );
    assert!(!has_password_set(&app, &token).await);
    app.login("sam", PASSWORD)
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);

    // No current password needed for a first one.
    let res = set_password(&app, &token, &json!({"password": PASSWORD})).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let token = res.text();
    assert!(has_password_set(&app, &token).await);
    assert_eq!(app.login("sam", PASSWORD).await.status, StatusCode::OK);

    // The next sign-in finds the same account by (provider, subject).
    let again = token_of(&sign_in(&app).await);
    assert_eq!(user_id(&again), user_id(&token));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM users").await, 1);
}

#[tokio::test]
async fn a_verified_email_links_the_existing_account() {
    let (app, _provider) = setup().await;
    let signup = app.register("sam@example.com").await;
    super::mail::verify_email(&app, "sam@example.com").await;
    let token = token_of(&sign_in(&app).await);
    assert_eq!(user_id(&token), user_id(&signup));
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM user_identities WHERE provider = 'oidc'"
        )
        .await,
        1
    );
    assert!(has_password_set(&app, &token).await);
}

#[tokio::test]
async fn an_unverified_local_account_is_never_linked() {
    // Account pre-hijacking: mallory signs up with sam's address and waits.
    let (app, _provider) = setup().await;
    let squatter = app.register("sam@example.com").await;
    let landing = sign_in(&app).await;
    assert_eq!(known_error(&landing), "email_unverified");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM user_identities").await, 0);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM users").await,
        1,
        "no second account"
    );
    // The squatter's session stays what it was: sam never got into it.
    assert_eq!(
        app.get("/user/v1/whoami", Some(&squatter)).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_unverified_email_neither_links_nor_names_an_account() {
    let (app, provider) = setup().await;
    let signup = app.register("sam@example.com").await;
    provider.set_user(TestUser {
        sub: "attacker".into(),
        email: "sam@example.com".into(),
        email_verified: false,
        name: "Mallory".into(),
    });
    let token = token_of(&sign_in(&app).await);
    assert_ne!(user_id(&token), user_id(&signup));
    let me = app.get("/user/v1/whoami", Some(&token)).await.json();
    assert_eq!(me["email"], json!(null));
    assert_eq!(me["username"], "mallory");
}

#[tokio::test]
async fn a_replayed_or_forged_state_is_refused_without_a_nonce() {
    let (app, _provider) = setup().await;
    let authorize = location(&app.get(AUTHORIZE, None).await);
    let callback = follow_at_provider(&authorize).await;
    token_of(&location(&app.get(&callback, None).await));
    let invalid = ("state_invalid".to_owned(), None);
    let replay = location(&app.get(&callback, None).await);
    assert_eq!(error_of(&replay), invalid);
    // A state nobody issued, and no state at all.
    let forged = callback.replace("state=", "state=x");
    assert_eq!(error_of(&location(&app.get(&forged, None).await)), invalid);
    let stateless = location(&app.get("/auth/oauth/oidc/callback?code=abc", None).await);
    assert_eq!(error_of(&stateless), invalid);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM users").await, 1);
}

#[tokio::test]
async fn cancelling_at_the_provider_uses_up_the_state_and_echoes_the_nonce() {
    let (app, _provider) = setup().await;
    let authorize = location(&app.get(AUTHORIZE, None).await);
    let state = form_urlencoded::parse(authorize.split_once('?').unwrap().1.as_bytes())
        .find(|(k, _)| k == "state")
        .unwrap()
        .1
        .into_owned();
    let cancelled = format!("/auth/oauth/oidc/callback?error=access_denied&state={state}");
    assert_eq!(
        known_error(&location(&app.get(&cancelled, None).await)),
        "cancelled"
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM oauth_states").await, 0);
}

#[tokio::test]
async fn an_id_token_that_fails_a_check_is_refused() {
    let (app, provider) = setup().await;
    for how in [
        Misbehave::OmitIdToken,
        Misbehave::WrongNonce,
        Misbehave::NoNonce,
        Misbehave::TamperedPayload,
        Misbehave::WrongAudience,
    ] {
        provider.misbehave(how);
        assert_eq!(
            known_error(&sign_in(&app).await),
            "provider_error",
            "{how:?}"
        );
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM users").await, 0);
    // The same flow with an honest answer signs in.
    provider.misbehave(Misbehave::No);
    token_of(&sign_in(&app).await);
}

#[tokio::test]
async fn a_state_expires_after_ten_minutes() {
    let (app, _provider) = setup().await;
    let authorize = location(&app.get(AUTHORIZE, None).await);
    let callback = follow_at_provider(&authorize).await;
    app.clock.advance(std::time::Duration::from_secs(11 * 60));
    assert_eq!(
        error_of(&location(&app.get(&callback, None).await)),
        ("state_invalid".into(), None)
    );
}

#[tokio::test]
async fn a_code_issued_for_another_pkce_challenge_is_refused() {
    let (app, _provider) = setup().await;
    let authorize = location(&app.get(AUTHORIZE, None).await);
    // An attacker's code: obtained with their own challenge, injected with our state.
    let (base, query) = authorize.split_once('?').unwrap();
    let tampered: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form_urlencoded::parse(query.as_bytes()).map(|(k, v)| {
            if k == "code_challenge" {
                (k, "E9Melhoa2OwvFrEMTJguCQaoeEcvhEdKCP0tCJczxZo".into())
            } else {
                (k, v)
            }
        }))
        .finish();
    let callback = follow_at_provider(&format!("{base}?{tampered}")).await;
    let landing = location(&app.get(&callback, None).await);
    assert_eq!(known_error(&landing), "provider_error");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM users").await, 0);
}

#[tokio::test]
async fn a_two_factor_user_still_gets_the_challenge() {
    let (app, _provider) = setup().await;
    let signup = app.register("sam@example.com").await;
    super::mail::verify_email(&app, "sam@example.com").await;
    enable_two_factor(&app, user_id(&signup)).await;
    let token = token_of(&sign_in(&app).await);
    assert_eq!(user_id(&token), user_id(&signup));
    assert_eq!(claims(&token)["twoFactorRequired"], json!(true));
    // A partial token opens nothing but the challenge.
    app.get("/user/v1/whoami", Some(&token))
        .await
        .assert_empty(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn starting_sign_ins_is_rate_limited_per_address() {
    let (app, _provider) = setup().await;
    for _ in 0..60 {
        let url = location(&app.get(AUTHORIZE, None).await);
        assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    }
    let limited = location(&app.get(AUTHORIZE, None).await);
    assert_eq!(known_error(&limited), "rate_limited");
}
