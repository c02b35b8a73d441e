//! `/login`: username-or-email and password, optionally remembered across browser restarts.
//! On success the session changes and the route gate takes the visitor to `?next=`.
use crate::api::{account, auth, social, ApiError, Client};
use crate::components::field::TextInput;
use crate::components::form::{FormAlert, PendingButton};
use crate::components::page_title::page_title;
use crate::components::social_buttons::SocialButtons;
use crate::i18n::{catalogue::Auth, t};
use crate::nav::href;
use crate::routes;
use crate::state::{session::Session, write::Write};
use leptos::{ev::SubmitEvent, prelude::*};
use leptos_router::components::A;
use wire::LoginRequest;

/// Login's own wording: here a 401 means the credentials, not an ended session.
pub fn login_error_text(error: &ApiError) -> String {
    match error {
        ApiError::Unauthorized => t(Auth::WrongCredentials).to_string(),
        other => other.to_string(),
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    page_title(t(Auth::LogIn));
    let session = expect_context::<Session>();
    let client = Client::from_context();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let remember = RwSignal::new(false);
    let login = Write::new(move |request: LoginRequest| {
        let client = client.clone();
        async move {
            let token = auth::login(&client, &request).await?;
            session.sign_in(token, remember.get_untracked());
            Ok(())
        }
    });
    let pending = login.pending();
    // A failed social sign-in comes back as `/login#error=<code>`, shown until the next try.
    let social_error = social::take_login_error(&account::take_fragment());
    let tried = RwSignal::new(false);
    let error = Signal::derive(move || match login.error() {
        Some(e) => Some(login_error_text(&e)),
        None => social_error.filter(|_| !tried.get()).map(str::to_owned),
    });
    // Only presence is checked: old accounts may predate today's password rules.
    let incomplete = Signal::derive(move || {
        username.with(|u| u.trim().is_empty()) || password.with(String::is_empty)
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if incomplete.get_untracked() {
            return;
        }
        tried.set(true);
        login.run(LoginRequest {
            username: username.get_untracked().trim().to_string(),
            password: password.get_untracked(),
        });
    };

    view! {
        <div class="auth-page">
            <form class="card auth-card" on:submit=on_submit novalidate=true>
                <h1>{t(Auth::LogIn)}</h1>
                <p class="notice" role="status">{move || session.notice().map(|n| n.text())}</p>
                <SocialButtons />
                <TextInput required=true id="login-username" label=t(Auth::UsernameOrEmail) autocomplete="username" value=username />
                <TextInput required=true
                    id="login-password"
                    label=t(Auth::Password)
                    input_type="password"
                    autocomplete="current-password"
                    value=password
                />
                <p class="field-aside"><A href=href(&routes::forgot_password())>{t(Auth::ForgotPassword)}</A></p>
                <label class="checkbox">
                    <input
                        type="checkbox"
                        name="remember"
                        prop:checked=move || remember.get()
                        on:change=move |ev| remember.set(event_target_checked(&ev))
                    />
                    {t(Auth::RememberMe)}
                </label>
                <FormAlert message=error />
                <PendingButton label=t(Auth::LogIn) pending_label=t(Auth::LoggingIn) pending=pending disabled=incomplete />
                <p class="auth-switch">
                    {t(Auth::NewHere)} <A href=href(&routes::signup())>{t(Auth::CreateAnAccount)}</A>
                </p>
            </form>
        </div>
    }
}
