//! `/login/callback`: where the server sends the browser back after a social sign-in, with
//! `#token=<jwt>&nonce=<nonce>` or `#error=<code>` in the fragment. The fragment and this
//! tab's nonce are removed at once. A token with this tab's nonce becomes the session (not
//! remembered: it lives in `sessionStorage`) and the visitor goes to the preferences (through
//! the two-factor challenge when the token is partial); anything else is shown on the login
//! page. A signed-in session is never replaced: the result is dropped and the visitor told.
use crate::api::account;
use crate::api::social::{self, CallbackOutcome};
use crate::i18n::{catalogue::Auth, t};
use crate::routes;
use crate::state::session::Session;
use crate::state::toast::Toasts;
use leptos::prelude::*;
use leptos_router::{hooks::use_navigate, NavigateOptions};

#[component]
pub fn AuthCallbackPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let toasts = expect_context::<Toasts>();
    let navigate = use_navigate();
    let hash = account::take_fragment();
    let nonce = social::take_nonce();
    let to = if session.is_signed_in_untracked() {
        toasts.push(t(Auth::AlreadySignedIn));
        routes::home()
    } else {
        match social::parse_callback(&hash, nonce.as_deref()) {
            CallbackOutcome::Token(token) => {
                session.sign_in(token, false);
                routes::home()
            }
            CallbackOutcome::Error(code) => {
                social::hand_login_error(code);
                routes::login()
            }
        }
    };
    // After the first render: navigating while the router is still rendering this route
    // would be lost.
    request_animation_frame(move || {
        navigate(
            &to,
            NavigateOptions {
                replace: true,
                ..Default::default()
            },
        )
    });
    view! {
        <div class="auth-page">
            <p class="loading" aria-busy="true">{t(Auth::SigningYouIn)}</p>
        </div>
    }
}
