//! `/reset-password#token=...`: the page an emailed reset link opens. The token comes in the
//! URL fragment (never sent to any server by the browser); it is read once, removed from the
//! address bar and history entry at once, and kept in memory only. A reset does not sign in
//! (security bar 1.6): the visitor logs in with the new password afterwards.
use crate::api::{account, Client};
use crate::components::field::TextInput;
use crate::components::form::{FormAlert, PendingButton};
use crate::components::page_title::page_title;
use crate::i18n::{catalogue::Auth, invalid_text, t};
use crate::nav::href;
use crate::routes;
use crate::state::write::Write;
use leptos::{either::EitherOf3, ev::SubmitEvent, prelude::*};
use leptos_router::components::A;
use wire::validate;

/// Which step the page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResetStep {
    Form,
    Done,
    InvalidLink,
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    page_title(t(Auth::ResetTitle));
    let client = Client::from_context();
    // Read before anything renders, and wiped from the URL at the same moment.
    let token = StoredValue::new(account::fragment_param(
        &account::take_fragment(),
        wire::account::TOKEN_FRAGMENT_KEY,
    ));
    let step = RwSignal::new(if token.with_value(Option::is_some) {
        ResetStep::Form
    } else {
        ResetStep::InvalidLink
    });
    let password = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let reset = Write::new(
        move |(token_value, new_password, revoke): (String, String, bool)| {
            let client = client.clone();
            async move {
                let result =
                    account::confirm_password_reset(&client, &token_value, &new_password, revoke)
                        .await;
                match result {
                    Ok(()) => {
                        // Single use: forget it, and the typed passwords with it.
                        token.try_set_value(None);
                        password.try_set(String::new());
                        confirm.try_set(String::new());
                        step.try_set(ResetStep::Done);
                        Ok(())
                    }
                    Err(e) if account::is_invalid_reset_link(&e) => {
                        token.try_set_value(None);
                        step.try_set(ResetStep::InvalidLink);
                        Ok(())
                    }
                    Err(e) => Err(e),
                }
            }
        },
    );
    // Another link opened in this tab (same page, new fragment): start over with its token.
    let listener = window_event_listener(leptos::ev::hashchange, move |_| {
        // Only a fragment of this page's own address is ours to take.
        let path = window().location().pathname().unwrap_or_default();
        if !path.ends_with(wire::account::RESET_PASSWORD_ROUTE) {
            return;
        }
        if let Some(fresh) =
            account::fragment_param(&account::take_fragment(), wire::account::TOKEN_FRAGMENT_KEY)
        {
            token.try_set_value(Some(fresh));
            reset.clear();
            step.try_set(ResetStep::Form);
        }
    });
    on_cleanup(move || listener.remove());
    // Keys outlive passwords: after a takeover they are what the intruder keeps, so revoking
    // them is the default.
    let revoke_keys = RwSignal::new(true);
    let pending = reset.pending();
    let password_error =
        Signal::derive(move || password.with(|v| validate::password(v).err().map(invalid_text)));
    let confirm_error =
        Signal::derive(move || (confirm.get() != password.get()).then(|| t(Auth::PasswordsDiffer)));
    let invalid =
        Signal::derive(move || password_error.get().is_some() || confirm_error.get().is_some());

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if invalid.get_untracked() {
            return;
        }
        let Some(token_value) = token.get_value() else {
            step.set(ResetStep::InvalidLink);
            return;
        };
        reset.run((
            token_value,
            password.get_untracked(),
            revoke_keys.get_untracked(),
        ));
    };

    view! {
        <div class="auth-page">
            <div class="card auth-card">
                <h1>{t(Auth::ResetTitle)}</h1>
                <p class="notice" role="status">
                    {move || (step.get() == ResetStep::Done).then(|| t(Auth::ResetDone))}
                </p>
                {move || match step.get() {
                    ResetStep::Form => EitherOf3::A(view! {
                        <form class="auth-form" on:submit=on_submit novalidate=true>
                            <TextInput required=true
                                id="reset-password"
                                label=t(Auth::NewPassword)
                                input_type="password"
                                autocomplete="new-password"
                                value=password
                                error=password_error
                            />
                            <TextInput required=true
                                id="reset-confirm"
                                label=t(Auth::ConfirmNewPassword)
                                input_type="password"
                                autocomplete="new-password"
                                value=confirm
                                error=confirm_error
                            />
                            <label class="checkbox">
                                <input
                                    type="checkbox"
                                    name="revoke-api-keys"
                                    prop:checked=move || revoke_keys.get()
                                    on:change=move |ev| revoke_keys.set(event_target_checked(&ev))
                                />
                                {t(Auth::RevokeApiKeys)}
                            </label>
                            <FormAlert message=reset.error_text() />
                            <PendingButton
                                label=t(Auth::SetNewPassword)
                                pending_label=t(Auth::SettingPassword)
                                pending=pending
                                disabled=invalid
                            />
                        </form>
                    }),
                    ResetStep::Done => EitherOf3::B(view! {
                        <p class="auth-switch"><A href=href(&routes::login())>{t(Auth::LogIn)}</A></p>
                    }),
                    ResetStep::InvalidLink => EitherOf3::C(view! {
                        <p class="form-alert" role="alert">{t(Auth::ResetLinkInvalid)}</p>
                        <p class="auth-switch">
                            <A href=href(&routes::forgot_password())>{t(Auth::RequestNewLink)}</A>
                        </p>
                    }),
                }}
            </div>
        </div>
    }
}
