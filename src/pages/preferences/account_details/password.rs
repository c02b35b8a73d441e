//! The "Password" section of Account details: "Set a password" for an account that has
//! none (created by a social sign-in), "Change password" otherwise (the current password is
//! required, security bar 6.2.3). Saving ends the other sessions; the answer is this
//! browser's new session token.
use crate::api::{account, ApiError, Client};
use crate::components::async_view::{never_empty, AsyncView, ReadStatus};
use crate::components::field::TextInput;
use crate::components::form::{FormAlert, PendingButton};
use crate::i18n::{
    catalogue::{Account, Auth},
    invalid_text, t,
};
use crate::state::{session::Session, write::Write};
use leptos::{ev::SubmitEvent, prelude::*};
use wire::validate;

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

    let new_error =
        Signal::derive(move || new.with(|v| validate::password(v).err().map(invalid_text)));
    let confirm_error =
        Signal::derive(move || (confirm.get() != new.get()).then(|| t(Auth::PasswordsDiffer)));
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
                <h3>{t(if has { Account::ChangePassword } else { Account::SetPassword })}</h3>
                {(!has).then(|| view! {
                    <p class="section-intro">{t(Account::NoPasswordIntro)}</p>
                })}
                {has.then(|| view! {
                    <TextInput required=true
                        id="password-current"
                        label=t(Account::CurrentPassword)
                        input_type="password"
                        autocomplete="current-password"
                        value=current
                    />
                })}
                <TextInput required=true
                    id="password-new"
                    label=t(Account::NewPassword)
                    input_type="password"
                    autocomplete="new-password"
                    value=new
                    error=new_error
                />
                <TextInput required=true
                    id="password-confirm"
                    label=t(Account::ConfirmNewPassword)
                    input_type="password"
                    autocomplete="new-password"
                    value=confirm
                    error=confirm_error
                />
                <FormAlert message=save.error_text() />
                <div class="form-actions">
                    <PendingButton label=t(Account::SavePassword) pending_label=t(Account::Saving) pending=pending disabled=not_ready />
                </div>
            </form>
        }
    };

    view! {
        <section class="card account-section" id="password-section" aria-labelledby="password-title">
            <h2 id="password-title">{t(Account::Password)}</h2>
            <p class="notice" role="status">{move || saved.get().then(|| t(Account::PasswordSaved))}</p>
            <AsyncView
                status=ReadStatus::track(has_password, never_empty)
                loading=t(Account::CheckingPassword)
                failed=t(Account::PasswordFailed)
                retry=on_retry
                content=move || has_password.get().and_then(Result::ok).map(form)
            />
        </section>
    }
}
