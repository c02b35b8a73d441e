//! `/login/callback`: where the server sends the browser back after a social sign-in, with
//! `#token=<jwt>` or `#error=<message>` in the fragment. The fragment is removed at once; a
//! token becomes the session (not remembered: it lives in `sessionStorage`) and the visitor
//! goes to the preferences (through the two-factor challenge when the token is partial); an
//! error is shown on the login page.
use crate::api::account::{self, CallbackOutcome};
use crate::nav;
use crate::state::session::Session;
use leptos::prelude::*;
use leptos_router::{hooks::use_navigate, NavigateOptions};

#[component]
pub fn AuthCallbackPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let navigate = use_navigate();
    let outcome = account::parse_callback(&account::take_fragment());
    let to = match outcome {
        CallbackOutcome::Token(token) => {
            session.sign_in(token, false);
            nav::HOME.to_string()
        }
        CallbackOutcome::Error(message) => {
            account::hand_login_error(&message);
            nav::LOGIN.to_string()
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
            <p class="loading" aria-busy="true">"Signing you in…"</p>
        </div>
    }
}
