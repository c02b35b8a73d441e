//! The "Password" section of Account details: "Set a password" for an account that has
//! none (created by a social sign-in), "Change password" otherwise (the current password is
//! required, security bar 6.2.3). Saving ends the other sessions; the answer is this
//! browser's new session token.
use crate::api::{account, ApiError, Client};
use crate::components::async_view::{never_empty, AsyncView, ReadStatus};
use crate::components::field::TextInput;
use crate::components::form::{FormAlert, PendingButton};
use crate::pages::signup::MSG_PASSWORDS_DIFFER;
use crate::state::{session::Session, write::Write};
use leptos::{ev::SubmitEvent, prelude::*};
use wire::validate;

pub const PASSWORD_SAVED_TEXT: &str = "Password saved. Your other sessions have been signed out.";

/// Whether the password form can be submitted.
pub fn password_form_ready(has_password: bool, current: &str, new: &str, confirm: &str) -> bool {
    (!has_password || !current.is_empty()) && validate::password(new).is_ok() && new == confirm
}

#[component]
pub fn PasswordSection(
    #[prop(into)] has_password: Signal<Option<Result<bool, ApiError>>>,
    on_saved: Callback<()>,
    on_retry: Callback<()>,
) -> impl IntoView {
    let session = expect_context::<Session>();
    let client = Client::from_context();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let saved = RwSignal::new(false);
    let save = Write::new(
        move |(new_value, current_value): (String, Option<String>)| {
            let client = client.clone();
            async move {
                let token =
                    account::set_password(&client, &new_value, current_value.as_deref()).await?;
                session.replace_token(token);
                current.try_set(String::new());
                new.try_set(String::new());
                confirm.try_set(String::new());
                saved.try_set(true);
                on_saved.run(());
                Ok(())
            }
        },
    );
    let pending = save.pending();
    let mode = Memo::new(move |_| has_password.get().and_then(Result::ok));

    let new_error = Signal::derive(move || new.with(|v| validate::password(v).err()));
    let confirm_error =
        Signal::derive(move || (confirm.get() != new.get()).then_some(MSG_PASSWORDS_DIFFER));
    let not_ready = Signal::derive(move || {
        let Some(has) = mode.get() else {
            return true;
        };
        !password_form_ready(has, &current.get(), &new.get(), &confirm.get())
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if not_ready.get_untracked() {
            return;
        }
        let has = mode.get_untracked() == Some(true);
        let current_value = has.then(|| current.get_untracked());
        saved.set(false);
        save.run((new.get_untracked(), current_value));
    };

    let form = move |has: bool| {
        view! {
            <form class="stacked-form" on:submit=on_submit novalidate=true>
                <h3>{if has { "Change password" } else { "Set a password" }}</h3>
                {(!has).then(|| view! {
                    <p class="section-intro">
                        "Your account has no password yet: you sign in with another service. Set one to also log in with your email or username, and to be able to delete your account."
                    </p>
                })}
                {has.then(|| view! {
                    <TextInput required=true
                        id="password-current"
                        label="Current password"
                        input_type="password"
                        autocomplete="current-password"
                        value=current
                    />
                })}
                <TextInput required=true
                    id="password-new"
                    label="New password"
                    input_type="password"
                    autocomplete="new-password"
                    value=new
                    error=new_error
                />
                <TextInput required=true
                    id="password-confirm"
                    label="Confirm new password"
                    input_type="password"
                    autocomplete="new-password"
                    value=confirm
                    error=confirm_error
                />
                <FormAlert message=save.error_text() />
                <div class="form-actions">
                    <PendingButton label="Save password" pending_label="Saving…" pending=pending disabled=not_ready />
                </div>
            </form>
        }
    };

    view! {
        <section class="card account-section" id="password-section" aria-labelledby="password-title">
            <h2 id="password-title">"Password"</h2>
            <p class="notice" role="status">{move || saved.get().then_some(PASSWORD_SAVED_TEXT)}</p>
            <AsyncView
                status=ReadStatus::track(has_password, never_empty)
                loading="Checking your password settings…"
                failed="Your password settings could not be loaded."
                retry=on_retry
                content=move || has_password.get().and_then(Result::ok).map(form)
            />
        </section>
    }
}
