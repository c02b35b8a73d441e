//! "Continue with GitHub" (and Google, or a generic OpenID Connect provider): one button per
//! provider the server lists in `GET /config`, then an "or" separator before the password
//! form. Nothing at all when none is configured (or the list cannot be read).
use crate::api::{account, social, Client};
use crate::i18n::{catalogue::Auth, t, with_args};
use crate::state::config::Config;
use leptos::prelude::*;
use wire::SignInProvider;

/// "Continue with GitHub": the provider's name as the server lists it, untranslated.
pub fn button_label(provider: &SignInProvider) -> String {
    with_args(t(Auth::ContinueWith), &[("provider", &provider.name)])
}

#[component]
pub fn SocialButtons() -> impl IntoView {
    let config = expect_context::<Config>();
    let client = Client::from_context();
    let providers = LocalResource::new(move || {
        let client = client.clone();
        async move {
            account::sign_in_providers(&client)
                .await
                .unwrap_or_else(|e| {
                    leptos::logging::warn!("sign-in providers not shown: {e:?}");
                    Vec::new()
                })
        }
    });
    // Which provider the browser is on its way to (the page is about to be replaced).
    let leaving = RwSignal::new(None::<String>);

    move || {
        let list = providers.get().unwrap_or_default();
        (!list.is_empty()).then(|| {
            let buttons = list
                .into_iter()
                .map(|provider| {
                    let config = config.clone();
                    let label = button_label(&provider);
                    let id = provider.id.clone();
                    let busy = {
                        let id = id.clone();
                        move || leaving.get().as_deref() == Some(id.as_str())
                    };
                    view! {
                        <button
                            type="button"
                            class="button social-button"
                            aria-busy=move || busy().then_some("true")
                            on:click=move |_| {
                                // A fresh nonce per attempt: only this tab accepts the result.
                                let Some(nonce) = social::begin_sign_in() else {
                                    leptos::logging::warn!("no CSPRNG or sessionStorage: no social sign-in");
                                    return;
                                };
                                leaving.set(Some(id.clone()));
                                let url = social::authorize_url(&config, &id, &nonce);
                                let _ = window().location().set_href(&url);
                            }
                        >
                            {label}
                        </button>
                    }
                })
                .collect_view();
            view! {
                <div class="social-sign-in">{buttons}</div>
                <p class="auth-separator"><span>{t(Auth::Or)}</span></p>
            }
        })
    }
}
