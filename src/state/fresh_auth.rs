//! Fresh authentication ("sudo", contract §2.2): some actions (creating an API key, deleting
//! the account, changing 2FA) need a password entered within the last 20 minutes. The server
//! answers them with 401 "Fresh authentication token required" otherwise.
//!
//! [`FreshAuth::run`] wraps such an action: on that answer it opens the "Confirm your
//! password" dialog ([`crate::components::fresh_auth::FreshAuthDialog`], mounted once by the
//! app), which renews the session with `POST /user/v1/refresh-token {"password"}`; then the
//! action is retried once. Cancelling the dialog returns the original error.
use crate::api::ApiError;
use crate::i18n::{catalogue::Common, plural};
use leptos::prelude::*;
use std::future::Future;
use wire::SessionClaims;

/// How long a password confirmation lasts (balena's `checkSudoValidity`).
pub const FRESH_AUTH_WINDOW_MS: f64 = 20.0 * 60.0 * 1000.0;

/// Whole minutes left in the fresh-authentication window (rounded up, so "1 minute left"
/// lasts until the end), or `None` once it has passed.
pub fn fresh_minutes_left(now_ms: f64, auth_time_ms: f64) -> Option<u32> {
    let left = auth_time_ms + FRESH_AUTH_WINDOW_MS - now_ms;
    (left > 0.0).then(|| (left / 60_000.0).ceil() as u32)
}

/// "Password confirmed — 14 minutes left".
pub fn fresh_window_text(minutes_left: u32) -> String {
    plural(
        minutes_left.into(),
        Common::FreshWindowOne,
        Common::FreshWindowOther,
    )
}

/// The claims' `authTime` is within the window.
pub fn is_fresh(now_ms: f64, claims: &SessionClaims) -> bool {
    fresh_minutes_left(now_ms, claims.auth_time as f64).is_some()
}

/// The context (provided by `provide_app_contexts`). `Copy`.
#[derive(Clone, Copy)]
pub struct FreshAuth {
    prompting: RwSignal<bool>,
    /// Resolves the promise the waiting action awaits (`true`: confirmed).
    waiter: StoredValue<Option<js_sys::Function>, LocalStorage>,
}

impl FreshAuth {
    pub fn new() -> Self {
        FreshAuth {
            prompting: RwSignal::new(false),
            waiter: StoredValue::new_local(None),
        }
    }

    /// The dialog's open state.
    pub fn prompting(&self) -> RwSignal<bool> {
        self.prompting
    }

    /// Opens the password dialog; resolves to `true` once the password is confirmed (the
    /// session then holds a fresh token), `false` if the user cancels.
    pub async fn confirm(&self) -> bool {
        let mut resolve = None;
        let promise = js_sys::Promise::new(&mut |res, _rej| resolve = Some(res));
        // A second request while one is pending: the older one gives up.
        self.finish(false);
        self.waiter.set_value(resolve);
        self.prompting.set(true);
        wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false)
    }

    /// Called by the dialog: closes it and wakes the waiting action.
    pub fn finish(&self, confirmed: bool) {
        if let Some(resolve) = self.waiter.try_update_value(Option::take).flatten() {
            let _ = resolve.call1(
                &wasm_bindgen::JsValue::NULL,
                &wasm_bindgen::JsValue::from_bool(confirmed),
            );
        }
        self.prompting.try_set(false);
    }

    /// Runs `action`; if the server wants a fresh password, asks for it and runs `action`
    /// once more. Any other outcome is returned as it is.
    pub async fn run<T, F, Fut>(&self, mut action: F) -> Result<T, ApiError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, ApiError>>,
    {
        match action().await {
            Err(ApiError::FreshAuthRequired) => {
                if self.confirm().await {
                    action().await
                } else {
                    Err(ApiError::FreshAuthRequired)
                }
            }
            other => other,
        }
    }
}

impl Default for FreshAuth {
    fn default() -> Self {
        Self::new()
    }
}
