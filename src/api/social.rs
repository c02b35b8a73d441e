//! Social sign-in's browser round trip. Before leaving for the provider, the tab keeps a
//! random nonce in `sessionStorage` and hands it to the server, which echoes it back:
//! `login/callback#token=<jwt>&nonce=<nonce>`. A token is accepted only with this tab's
//! nonce, so a link carrying someone else's token cannot sign anyone in (login CSRF).
//! Failures arrive as `login#error=<code>`: only codes, each shown with our own fixed text.
use super::account::fragment_param;
use crate::i18n::{catalogue::Auth, t};
use crate::state::config::Config;
use wire::account::{ERROR_FRAGMENT_KEY, TOKEN_FRAGMENT_KEY};
use wire::social::NONCE_PARAM;
use wire::{paths, SignInErrorCode};

/// `sessionStorage` key of the nonce of the sign-in this tab started.
pub const NONCE_KEY: &str = "account-console.sign-in-nonce";

/// `sessionStorage` key carrying a failed sign-in's code from the callback page to the login
/// page (a client-side navigation: the fragment would only reach the address bar after the
/// login page has rendered). An empty value stands for a code this version does not know.
pub const LOGIN_ERROR_KEY: &str = "account-console.login-error";

/// The one text for each code; `None` (a code this version does not know, or a callback
/// without a result) has a general one.
pub fn error_text(code: Option<SignInErrorCode>) -> &'static str {
    t(match code {
        Some(SignInErrorCode::RateLimited) => Auth::SocialRateLimited,
        Some(SignInErrorCode::ProviderError) => Auth::SocialProviderError,
        Some(SignInErrorCode::Cancelled) => Auth::SocialCancelled,
        Some(SignInErrorCode::StateInvalid) => Auth::SocialStateInvalid,
        Some(SignInErrorCode::EmailUnverified) => Auth::SocialEmailUnverified,
        Some(SignInErrorCode::AlreadyLinked) => Auth::SocialAlreadyLinked,
        None => Auth::SocialFailed,
    })
}

fn session_storage() -> Option<web_sys::Storage> {
    leptos::prelude::window().session_storage().ok().flatten()
}

/// 128 random bits from the browser's CSPRNG, as 32 hex digits.
fn random_nonce() -> Option<String> {
    let mut bytes = [0u8; 16];
    leptos::prelude::window()
        .crypto()
        .ok()?
        .get_random_values_with_u8_array(&mut bytes)
        .ok()?;
    Some(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Starts a sign-in in this tab: a fresh nonce, kept until the callback. `None` when the
/// browser has no CSPRNG or storage (then no sign-in could be accepted).
pub fn begin_sign_in() -> Option<String> {
    let nonce = random_nonce()?;
    session_storage()?.set_item(NONCE_KEY, &nonce).ok()?;
    Some(nonce)
}

/// The nonce of the sign-in under way, removed: a result is accepted at most once.
pub fn take_nonce() -> Option<String> {
    let storage = session_storage()?;
    let nonce = storage.get_item(NONCE_KEY).ok().flatten();
    let _ = storage.remove_item(NONCE_KEY);
    nonce.filter(|n| !n.is_empty())
}

/// Where a "Continue with ..." button sends the browser (a full-page navigation).
pub fn authorize_url(config: &Config, provider_id: &str, nonce: &str) -> String {
    let id: String = provider_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect();
    let nonce: String = nonce.chars().filter(char::is_ascii_alphanumeric).collect();
    let path = paths::OAUTH_AUTHORIZE.replace("{provider}", &id);
    config.url(&format!("{path}?{NONCE_PARAM}={nonce}"))
}

/// What the callback's fragment says, judged against this tab's nonce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallbackOutcome {
    Token(String),
    /// `None`: a code this version does not know, or no result at all.
    Error(Option<SignInErrorCode>),
}

/// `#token=<jwt>&nonce=<nonce>` with `expected` as the nonce is a token; a token without it
/// (or with another nonce) is a sign-in this tab did not start; `#error=<code>` is an error.
pub fn parse_callback(hash: &str, expected: Option<&str>) -> CallbackOutcome {
    if let Some(token) = fragment_param(hash, TOKEN_FRAGMENT_KEY) {
        let nonce = fragment_param(hash, NONCE_PARAM);
        return match (nonce.as_deref(), expected) {
            (Some(got), Some(want)) if got == want => CallbackOutcome::Token(token),
            _ => CallbackOutcome::Error(Some(SignInErrorCode::StateInvalid)),
        };
    }
    CallbackOutcome::Error(
        fragment_param(hash, ERROR_FRAGMENT_KEY).and_then(|c| SignInErrorCode::from_code(&c)),
    )
}

/// Leaves `code` for the login page to show once.
pub fn hand_login_error(code: Option<SignInErrorCode>) {
    if let Some(s) = session_storage() {
        let _ = s.set_item(LOGIN_ERROR_KEY, code.map_or("", SignInErrorCode::code));
    }
}

/// The text for the error a failed sign-in left for the login page: `#error=<code>` in
/// `hash` (the server's redirect, which also ends the sign-in under way) or the callback
/// page's hand-over. The hand-over is consumed.
pub fn take_login_error(hash: &str) -> Option<&'static str> {
    let from_fragment = fragment_param(hash, ERROR_FRAGMENT_KEY);
    if from_fragment.is_some() {
        take_nonce();
    }
    let handed = session_storage().and_then(|s| {
        let code = s.get_item(LOGIN_ERROR_KEY).ok().flatten();
        let _ = s.remove_item(LOGIN_ERROR_KEY);
        code
    });
    from_fragment
        .or(handed)
        .map(|code| error_text(SignInErrorCode::from_code(&code)))
}
