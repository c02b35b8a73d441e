//! The signed-in session: the JWT, where it is kept, and what its claims say.
//!
//! The token lives in `sessionStorage` (dies with the tab) unless the visitor ticked
//! "Remember me", then in `localStorage` (security bar §1.10). Claims are decoded without
//! checking the signature, only for UI decisions (expiry, refresh, 2FA state): the server
//! stays the judge of validity.
use crate::i18n::{catalogue::Auth, t};
use leptos::prelude::*;
use wire::SessionClaims;

pub const TOKEN_KEY: &str = "account-console.token";
/// balena's SDK refreshes a token once it is a day old.
pub const REFRESH_AFTER_SECS: i64 = 24 * 60 * 60;

/// Why the visitor is looking at the login page; shown there in a status region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    SessionEnded,
    LoggedOut,
    /// Too many wrong codes at the two-factor challenge: the server ended the partial session.
    TwoFactorFailed,
    /// The account was deleted: the goodbye page is shown first.
    AccountDeleted,
}

impl Notice {
    pub fn text(self) -> &'static str {
        t(match self {
            Notice::SessionEnded => Auth::NoticeSessionEnded,
            Notice::LoggedOut => Auth::NoticeLoggedOut,
            Notice::TwoFactorFailed => Auth::NoticeTwoFactorFailed,
            Notice::AccountDeleted => Auth::NoticeAccountDeleted,
        })
    }
}

/// The session context. `Copy`: it only holds signal handles.
#[derive(Debug, Clone, Copy)]
pub struct Session {
    token: RwSignal<Option<String>>,
    remembered: RwSignal<bool>,
    notice: RwSignal<Option<Notice>>,
}

impl Session {
    /// Restores the session from storage. A token already past `exp` is dropped, and the
    /// login page says why.
    pub fn load() -> Self {
        let (token, remembered, notice) = match load_token() {
            Some((token, _))
                if decode_claims(&token).is_some_and(|c| is_expired(now_secs(), &c)) =>
            {
                clear_tokens();
                (None, false, Some(Notice::SessionEnded))
            }
            Some((token, remembered)) => (Some(token), remembered, None),
            None => (None, false, None),
        };
        Session {
            token: RwSignal::new(token),
            remembered: RwSignal::new(remembered),
            notice: RwSignal::new(notice),
        }
    }

    pub fn token_untracked(&self) -> Option<String> {
        self.token.get_untracked()
    }

    /// Reactive: views and gates re-run when the visitor signs in or out. A partial token
    /// (password given, two-factor code still due: `twoFactorRequired: true`) is not signed
    /// in, as for balena's SDK (contract §3.2).
    pub fn is_signed_in(&self) -> bool {
        self.token
            .with(|t| t.as_deref().is_some_and(|t| !is_partial(t)))
    }

    /// [`Self::is_signed_in`] outside reactive code.
    pub fn is_signed_in_untracked(&self) -> bool {
        self.token
            .with_untracked(|t| t.as_deref().is_some_and(|t| !is_partial(t)))
    }

    /// Reactive: a partial token is held, so the two-factor challenge is due.
    pub fn two_factor_pending(&self) -> bool {
        self.token.with(|t| t.as_deref().is_some_and(is_partial))
    }

    /// The claims of a fully signed-in session (`None` for a partial token, so nothing
    /// fetches account data with it).
    pub fn claims(&self) -> Option<SessionClaims> {
        self.token.with(|t| {
            t.as_deref()
                .and_then(decode_claims)
                .filter(|c| c.two_factor_required != Some(true))
        })
    }

    pub fn notice(&self) -> Option<Notice> {
        self.notice.get()
    }

    pub fn notice_untracked(&self) -> Option<Notice> {
        self.notice.get_untracked()
    }

    pub fn sign_in(&self, token: String, remember: bool) {
        save_token(&token, remember);
        self.remembered.set(remember);
        self.notice.set(None);
        self.token.set(Some(token));
    }

    /// A refreshed token replaces the old one in the same storage.
    pub fn replace_token(&self, token: String) {
        save_token(&token, self.remembered.get_untracked());
        self.token.set(Some(token));
    }

    /// Forgets the session everywhere; the route gate then sends the visitor to the login
    /// page, which shows `notice`.
    pub fn end(&self, notice: Notice) {
        clear_tokens();
        self.notice.set(Some(notice));
        self.remembered.set(false);
        self.token.set(None);
    }
}

fn storage(remember: bool) -> Option<web_sys::Storage> {
    let window = window();
    let storage = if remember {
        window.local_storage()
    } else {
        window.session_storage()
    };
    storage.ok().flatten()
}

/// Stores the token in exactly one storage and removes it from the other, so unticking
/// "Remember me" on a later login really forgets the old persistent copy.
pub fn save_token(token: &str, remember: bool) {
    if let Some(s) = storage(!remember) {
        let _ = s.remove_item(TOKEN_KEY);
    }
    if let Some(s) = storage(remember) {
        let _ = s.set_item(TOKEN_KEY, token);
    }
}

/// The stored token and whether it was remembered (found in `localStorage`).
pub fn load_token() -> Option<(String, bool)> {
    [false, true].into_iter().find_map(|remember| {
        let token = storage(remember)?.get_item(TOKEN_KEY).ok().flatten()?;
        (!token.is_empty()).then_some((token, remember))
    })
}

pub fn clear_tokens() {
    for remember in [false, true] {
        if let Some(s) = storage(remember) {
            let _ = s.remove_item(TOKEN_KEY);
        }
    }
}

/// Seconds since the epoch, from the browser clock (no chrono in the bundle).
pub fn now_secs() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// The claims of a JWT-shaped string (`header.payload.signature`), signature unchecked.
pub fn decode_claims(token: &str) -> Option<SessionClaims> {
    let mut parts = token.split('.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    serde_json::from_slice(&base64url_decode(payload)?).ok()
}

/// Whether a token is partial (`twoFactorRequired: true`): only the two-factor challenge and
/// logout accept it.
pub fn is_partial(token: &str) -> bool {
    decode_claims(token).is_some_and(|c| c.two_factor_required == Some(true))
}

/// balena's rule: refresh once the token is at least a day old.
pub fn needs_refresh(now_secs: i64, claims: &SessionClaims) -> bool {
    now_secs - claims.iat >= REFRESH_AFTER_SECS
}

pub fn is_expired(now_secs: i64, claims: &SessionClaims) -> bool {
    now_secs >= claims.exp
}

/// Unpadded base64url (RFC 4648 §5), as JWTs use; padding and the standard alphabet are
/// tolerated. A dozen lines instead of a crate in the wasm bundle.
fn base64url_decode(input: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(input.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for byte in input.trim_end_matches('=').bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}
