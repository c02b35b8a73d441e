//! `/signup`: every field is checked as it is typed, with the same rules the server
//! enforces (`wire::validate`); the server's own refusals (taken email, common password) are
//! shown verbatim.
use crate::api::{auth, Client};
use crate::components::field::TextInput;
use crate::components::form::{FormAlert, PendingButton};
use crate::components::page_title::page_title;
use crate::components::social_buttons::SocialButtons;
use crate::i18n::{catalogue::Auth, invalid_text, t};
use crate::nav::href;
use crate::routes;
use crate::state::{session::Session, toast::Toasts, write::Write};
use leptos::{ev::SubmitEvent, prelude::*};
use leptos_router::components::A;
use wire::{validate, RegisterRequest};

#[component]
pub fn SignupPage() -> impl IntoView {
    page_title(t(Auth::SignupTitle));
    let session = expect_context::<Session>();
    let toasts = expect_context::<Toasts>();
    let client = Client::from_context();
    let email = RwSignal::new(String::new());
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    // Looked up now: the toast is pushed after the request, outside the view's context.
    let ready = t(Auth::AccountReady);
    let register = Write::new(move |request: RegisterRequest| {
        let client = client.clone();
        async move {
            let token = auth::register(&client, &request).await?;
            toasts.push(ready);
            session.sign_in(token, false);
            Ok(())
        }
    });
    let pending = register.pending();

    let email_error =
        Signal::derive(move || email.with(|v| validate::email(v).err().map(invalid_text)));
    // Until the visitor edits it, the username follows the email's suggestion; left as
    // suggested (or emptied) it is not sent, and the server picks a free one like it.
    let suggested = StoredValue::new(String::new());
    Effect::new(move |_| {
        let next = email.with(|e| {
            if e.trim().is_empty() {
                String::new()
            } else {
                validate::username_from_email(e.trim())
            }
        });
        if username.with_untracked(|u| u.is_empty() || *u == suggested.get_value()) {
            username.set(next.clone());
        }
        suggested.set_value(next);
    });
    let username_error = Signal::derive(move || {
        username.with(|v| {
            (!v.is_empty())
                .then(|| validate::username(v).err().map(invalid_text))
                .flatten()
        })
    });
    let password_error =
        Signal::derive(move || password.with(|v| validate::password(v).err().map(invalid_text)));
    let confirm_error =
        Signal::derive(move || (confirm.get() != password.get()).then(|| t(Auth::PasswordsDiffer)));
    let invalid = Signal::derive(move || {
        email_error.get().is_some()
            || username_error.get().is_some()
            || password_error.get().is_some()
            || confirm_error.get().is_some()
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if invalid.get_untracked() {
            return;
        }
        register.run(RegisterRequest {
            email: email.get_untracked(),
            password: password.get_untracked(),
            username: Some(username.get_untracked())
                .filter(|u| !u.is_empty() && *u != suggested.get_value()),
        });
    };

    view! {
        <div class="auth-page">
            <form class="card auth-card" on:submit=on_submit novalidate=true>
                <h1>{t(Auth::SignupTitle)}</h1>
                <SocialButtons />
                <TextInput required=true id="signup-email" label=t(Auth::Email) input_type="email" autocomplete="email" value=email error=email_error />
                <TextInput id="signup-username" label=t(Auth::Username) autocomplete="username" value=username error=username_error hint=t(Auth::UsernameHint) verbatim=true />
                <TextInput required=true
                    id="signup-password"
                    label=t(Auth::Password)
                    input_type="password"
                    autocomplete="new-password"
                    value=password
                    error=password_error
                />
                <TextInput required=true
                    id="signup-confirm"
                    label=t(Auth::ConfirmPassword)
                    input_type="password"
                    autocomplete="new-password"
                    value=confirm
                    error=confirm_error
                />
                <FormAlert message=register.error_text() />
                <PendingButton label=t(Auth::CreateAccount) pending_label=t(Auth::CreatingAccount) pending=pending disabled=invalid />
                <p class="auth-switch">
                    {t(Auth::AlreadyHaveAccount)} <A href=href(&routes::login())>{t(Auth::LogIn)}</A>
                </p>
            </form>
        </div>
    }
}
