//! `/login`: username-or-email and password, optionally remembered across browser restarts.
//! On success the session changes and the route gate takes the visitor to `?next=`.
use crate::api::{account, auth, social, ApiError, Client};
use crate::components::field::TextInput;
use crate::components::form::{FormAlert, SubmitButton};
use crate::components::social_buttons::SocialButtons;
use crate::nav::href;
use crate::routes;
use crate::state::session::Session;
use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};
use leptos_router::components::A;
use wire::LoginRequest;

/// Login's own wording: here a 401 means the credentials, not an ended session.
pub fn login_error_text(error: &ApiError) -> String {
    match error {
        ApiError::Unauthorized => "Wrong username, email or password.".to_string(),
        other => other.to_string(),
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let client = Client::from_context();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let remember = RwSignal::new(false);
    let pending = RwSignal::new(false);
    // A failed social sign-in comes back as `/login#error=<code>`.
    let error =
        RwSignal::new(social::take_login_error(&account::take_fragment()).map(str::to_owned));
    // Only presence is checked: old accounts may predate today's password rules.
    let incomplete = Signal::derive(move || {
        username.with(|u| u.trim().is_empty()) || password.with(String::is_empty)
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if incomplete.get_untracked() || pending.get_untracked() {
            return;
        }
        let request = LoginRequest {
            username: username.get_untracked().trim().to_string(),
            password: password.get_untracked(),
        };
        let client = client.clone();
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            match auth::login(&client, &request).await {
                Ok(token) => session.sign_in(token, remember.get_untracked()),
                Err(e) => error.set(Some(login_error_text(&e))),
            }
            pending.set(false);
        });
    };

    view! {
        <div class="auth-page">
            <form class="card auth-card" on:submit=on_submit novalidate=true>
                <h1>"Log in"</h1>
                <p class="notice" role="status">{move || session.notice().map(|n| n.text())}</p>
                <SocialButtons />
                <TextInput required=true id="login-username" label="Username or email" autocomplete="username" value=username />
                <TextInput required=true
                    id="login-password"
                    label="Password"
                    input_type="password"
                    autocomplete="current-password"
                    value=password
                />
                <p class="field-aside"><A href=href(&routes::forgot_password())>"Forgot password?"</A></p>
                <label class="checkbox">
                    <input
                        type="checkbox"
                        name="remember"
                        prop:checked=move || remember.get()
                        on:change=move |ev| remember.set(event_target_checked(&ev))
                    />
                    "Remember me"
                </label>
                <FormAlert message=error />
                <SubmitButton label="Log in" pending_label="Logging in…" pending=pending disabled=incomplete />
                <p class="auth-switch">
                    "New here? " <A href=href(&routes::signup())>"Create an account"</A>
                </p>
            </form>
        </div>
    }
}
