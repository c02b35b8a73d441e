//! What every handler can reach.
use std::sync::Arc;

use axum::extract::FromRef;

use crate::background::Background;
use crate::clock::Clock;
use crate::db::Db;
use crate::http::client_ip::TrustedProxies;
use crate::http::static_files::Console;
use crate::jwt::JwtKeys;
use crate::password::Passwords;
use crate::two_factor::TotpCipher;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub jwt: Arc<JwtKeys>,
    pub passwords: Arc<Passwords>,
    /// Encrypts TOTP secrets at rest.
    pub totp: Arc<TotpCipher>,
    /// `None` when there is no console build: the API is served alone.
    pub console: Option<Arc<Console>>,
    pub mailer: Arc<crate::mail::Mailer>,
    pub oauth: Arc<crate::oauth::OAuth>,
    /// The console's public URL, ending in `/` (`--public-url`): the base of every link we
    /// email or redirect to, never taken from the request's Host header.
    pub public_url: Arc<str>,
    /// Who may tell us the client's address (`--trusted-proxies`).
    pub proxies: Arc<TrustedProxies>,
    /// Bounded work after the answer (password-reset mails).
    pub background: Arc<Background>,
    /// Hot reads answered from memory while the database is unchanged.
    pub reads: Arc<crate::read_cache::Reads>,
}

impl AppState {
    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }
}

impl FromRef<AppState> for Option<Arc<Console>> {
    fn from_ref(state: &AppState) -> Self {
        state.console.clone()
    }
}
