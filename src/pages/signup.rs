//! `/signup`: every field is checked as it is typed, with the same rules the server
//! enforces (`wire::validate`); the server's own refusals (taken email, common password) are
//! shown verbatim.
use crate::api::{auth, Client};
use crate::components::field::TextInput;
use crate::components::form::{FormAlert, PendingButton};
use crate::components::social_buttons::SocialButtons;
use crate::nav::href;
use crate::routes;
use crate::state::{session::Session, toast::Toasts, write::Write};
use leptos::{ev::SubmitEvent, prelude::*};
use leptos_router::components::A;
use wire::{validate, RegisterRequest};

pub const MSG_PASSWORDS_DIFFER: &str = "Passwords do not match";

#[component]
pub fn SignupPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let toasts = expect_context::<Toasts>();
    let client = Client::from_context();
    let email = RwSignal::new(String::new());
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let register = Write::new(move |request: RegisterRequest| {
        let client = client.clone();
        async move {
            let token = auth::register(&client, &request).await?;
            toasts.push("Your account is ready.");
            session.sign_in(token, false);
            Ok(())
        }
    });
    let pending = register.pending();

    let email_error = Signal::derive(move || email.with(|v| validate::email(v).err()));
    let username_error = Signal::derive(move || username.with(|v| validate::username(v).err()));
    let password_error = Signal::derive(move || password.with(|v| validate::password(v).err()));
    let confirm_error =
        Signal::derive(move || (confirm.get() != password.get()).then_some(MSG_PASSWORDS_DIFFER));
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
            username: Some(username.get_untracked()),
        });
    };

    view! {
        <div class="auth-page">
            <form class="card auth-card" on:submit=on_submit novalidate=true>
                <h1>"Create your account"</h1>
                <SocialButtons />
                <TextInput required=true id="signup-email" label="Email" input_type="email" autocomplete="email" value=email error=email_error />
                <TextInput required=true id="signup-username" label="Username" autocomplete="username" value=username error=username_error />
                <TextInput required=true
                    id="signup-password"
                    label="Password"
                    input_type="password"
                    autocomplete="new-password"
                    value=password
                    error=password_error
                />
                <TextInput required=true
                    id="signup-confirm"
                    label="Confirm password"
                    input_type="password"
                    autocomplete="new-password"
                    value=confirm
                    error=confirm_error
                />
                <FormAlert message=register.error_text() />
                <PendingButton label="Create account" pending_label="Creating account…" pending=pending disabled=invalid />
                <p class="auth-switch">
                    "Already have an account? " <A href=href(&routes::login())>"Log in"</A>
                </p>
            </form>
        </div>
    }
}
