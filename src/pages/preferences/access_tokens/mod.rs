//! `/preferences/tokens`: the session token and the user's API keys.
//!
//! * [`SessionTokenPanel`]: the current session token, masked until revealed, its expiry,
//!   a refresh button and what session tokens can and cannot do.
//! * [`keys::ApiKeysPanel`]: the API keys table (select, bulk revoke, edit in place) and the
//!   "Create API key" flow with its show-once dialog ([`create`]).
//! * [`banner::ExpiringKeysBanner`]: shown on every Preferences tab after login when keys
//!   expire within 7 days.
pub mod banner;
pub mod create;
pub mod keys;
pub mod logic;
pub mod new_key;

use crate::api::{auth, Client};
use crate::components::copy_button::CopyButton;
use crate::components::form::FormAlert;
use crate::components::fresh_auth::FreshAuthIndicator;
use crate::components::page_title::page_title;
use crate::i18n::{catalogue::Tokens, locale, t, Locale};
use crate::state::{session::Session, toast::Toasts, write::Write};
use leptos::prelude::*;
use logic::{expires_text, iso_from_ms, masked_token, pieces, time_until_text, Piece};
use std::time::Duration;

#[component]
pub fn AccessTokens() -> impl IntoView {
    page_title(t(crate::i18n::catalogue::Account::AccessTokens));
    view! {
        <div class="access-tokens">
            <FreshAuthIndicator />
            <SessionTokenPanel />
            <keys::ApiKeysPanel />
        </div>
    }
}

/// The exact local date and time of `ms`, in the console's language: in the browser's own
/// variant of it where that is the same language (`en-GB` keeps day-first dates).
pub fn local_date_time(ms: f64) -> String {
    let shown = locale();
    let language = window()
        .navigator()
        .language()
        .filter(|tag| Locale::from_tag(tag) == Some(shown))
        .unwrap_or_else(|| shown.tag().into());
    let date = js_sys::Date::new(&ms.into());
    String::from(date.to_locale_string(&language, &wasm_bindgen::JsValue::UNDEFINED))
}

/// A clock for relative times ("expires in 6 days"), ticking every 30 seconds.
pub fn now_signal() -> RwSignal<f64> {
    let now = RwSignal::new(js_sys::Date::now());
    if let Ok(handle) = set_interval_with_handle(
        move || {
            now.try_set(js_sys::Date::now());
        },
        Duration::from_secs(30),
    ) {
        on_cleanup(move || handle.clear());
    }
    now
}

#[component]
pub fn SessionTokenPanel() -> impl IntoView {
    let session = expect_context::<Session>();
    let toasts = expect_context::<Toasts>();
    let client = Client::from_context();
    let revealed = RwSignal::new(false);
    let now = now_signal();
    let token = Signal::derive(move || {
        session
            .claims()
            .and(session.token_untracked())
            .unwrap_or_default()
    });
    let expiry = move || {
        let claims = session.claims()?;
        let exp_ms = claims.exp as f64 * 1000.0;
        Some((
            expires_text(&time_until_text(now.get(), exp_ms)),
            iso_from_ms(exp_ms),
            local_date_time(exp_ms),
        ))
    };

    // Looked up now: the write finishes outside the view, where the language is not known.
    let refreshed = t(Tokens::SessionTokenRefreshed);
    let refresh = Write::new(move |current: String| {
        let client = client.clone();
        async move {
            session.replace_token(auth::refresh(&client, &current).await?);
            toasts.push(refreshed);
            Ok(())
        }
    });
    let pending = refresh.pending();

    view! {
        <section class="card token-panel" aria-labelledby="session-token-title">
            <h2 id="session-token-title">{t(Tokens::SessionToken)}</h2>
            <p>{t(Tokens::SessionTokenIntro)}</p>
            <div class="token-row">
                <code class="token-value" id="session-token-value">
                    {move || {
                        let t = token.get();
                        if revealed.get() { t } else { masked_token(&t) }
                    }}
                </code>
                <div class="token-actions">
                    <button
                        type="button"
                        class="button"
                        aria-label=t(Tokens::RevealSessionToken)
                        aria-pressed=move || revealed.get().to_string()
                        aria-controls="session-token-value"
                        on:click=move |_| revealed.update(|r| *r = !*r)
                    >
                        // A toggle: the name stays "Reveal", `aria-pressed` says whether it is shown.
                        {t(Tokens::Reveal)}
                    </button>
                    <CopyButton text=token accessible_name=t(Tokens::CopySessionToken) />
                    <button
                        type="button"
                        class="button"
                        aria-busy=move || pending.get().then_some("true")
                        disabled=move || pending.get()
                        on:click=move |_| {
                            if let Some(current) = session.token_untracked() {
                                refresh.run(current);
                            }
                        }
                    >
                        {move || if pending.get() { t(Tokens::Refreshing) } else { t(Tokens::RefreshSessionToken) }}
                    </button>
                </div>
            </div>
            <p class="token-expiry">
                {move || expiry().map(|(relative, iso, local)| {
                    pieces(t(Tokens::TokenExpiresOn))
                        .into_iter()
                        .map(|piece| match piece {
                            Piece::Text(text) => text.into_any(),
                            Piece::Arg("relative") => view! {
                                <span class="token-expiry-relative">{relative.clone()}</span>
                            }
                            .into_any(),
                            Piece::Arg(_) => view! { <time datetime=iso.clone()>{local.clone()}</time> }.into_any(),
                        })
                        .collect_view()
                })}
            </p>
            <FormAlert message=refresh.error_text() />
        </section>
    }
}
