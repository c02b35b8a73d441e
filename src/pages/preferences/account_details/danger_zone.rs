//! The danger zone of Account details: delete the account. The dialog asks for the username
//! (so nobody deletes an account by a slip) and the password, which renews the session's
//! authentication time (`POST /user/v1/refresh-token {password}`); then `DELETE
//! /v7/user(<id>)` runs through the fresh-authentication flow. On success the session is
//! forgotten and the route gate shows the goodbye page (`Notice::AccountDeleted`).
use crate::api::{account, auth, Client};
use crate::components::dialog::Dialog;
use crate::components::field::TextInput;
use crate::components::form::{CancelButton, FormAlert, PendingButton};
use crate::components::fresh_auth::confirm_error_text;
use crate::i18n::{catalogue::Account, t};
use crate::state::fresh_auth::FreshAuth;
use crate::state::session::{Notice, Session};
use crate::state::write::Write;
use leptos::{ev::SubmitEvent, prelude::*};

/// "Delete my account" is enabled once the typed username is exactly the account's and a
/// password has been entered.
pub fn can_delete(typed_username: &str, username: &str, password: &str) -> bool {
    !username.is_empty() && typed_username.trim() == username && !password.is_empty()
}

#[component]
pub fn DangerZone(
    /// `Some(false)`: the account has no password, so it cannot be confirmed yet.
    #[prop(into)]
    has_password: Signal<Option<bool>>,
    #[prop(into)] username: Signal<Option<String>>,
) -> impl IntoView {
    let session = expect_context::<Session>();
    let fresh = expect_context::<FreshAuth>();
    let client = StoredValue::new(Client::from_context());
    let open = RwSignal::new(false);
    let typed = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    // The password renews the session's authentication time, then the account is deleted.
    let delete = Write::new(
        move |(token, user_id, typed_password): (String, i64, String)| {
            async move {
                let client = client.get_value();
                let fresh_token = auth::confirm_password(&client, &token, &typed_password).await?;
                session.replace_token(fresh_token);
                fresh
                    .run(|| {
                        let client = client.clone();
                        async move { account::delete_user(&client, user_id).await }
                    })
                    .await?;
                // The signed-in pages' gate sees this notice and shows the goodbye page
                // (replacing this history entry).
                session.end(Notice::AccountDeleted);
                Ok(())
            }
        },
    );
    let pending = delete.pending();
    // A 401 here is the password (a refused session would have ended it and left the page).
    let error = Signal::derive(move || delete.error().map(|e| confirm_error_text(&e)));

    let blocked = Signal::derive(move || has_password.get() != Some(true));
    let mismatch = t(Account::UsernameMismatch);
    let typed_error = Signal::derive(move || {
        let name = username.get().unwrap_or_default();
        // Nothing typed yet is not an error: shown on blur, it would push Cancel away from
        // under the pointer between mousedown and click.
        typed.with(|t| (!t.trim().is_empty() && t.trim() != name).then_some(mismatch))
    });
    let ready = Signal::derive(move || {
        let name = username.get().unwrap_or_default();
        can_delete(&typed.get(), &name, &password.get())
    });

    // Every opening starts blank; the password never outlives the dialog.
    Effect::new(move |_| {
        if !open.get() {
            typed.set(String::new());
            password.set(String::new());
            delete.clear();
        }
    });

    let submit = move || {
        if !ready.get_untracked() {
            return;
        }
        let (Some(token), Some(claims)) = (session.token_untracked(), session.claims()) else {
            return;
        };
        delete.run((token, claims.id, password.get_untracked()));
    };

    // The username sits where the language puts it, in bold.
    let (before_name, after_name) = t(Account::DeleteDialogWhat)
        .split_once("{username}")
        .unwrap_or((t(Account::DeleteDialogWhat), ""));

    view! {
        <section class="card danger-zone" aria-labelledby="delete-account-title">
            <h2 id="delete-account-title">{t(Account::DeleteAccount)}</h2>
            <p id="delete-account-summary">{t(Account::DeleteAccountSummary)}</p>
            <Show when=move || has_password.get() == Some(false)>
                <p class="field-hint" id="delete-needs-password">{t(Account::NeedsPassword)}</p>
            </Show>
            <div class="form-actions">
                <button
                    type="button"
                    class="button danger"
                    disabled=move || blocked.get()
                    aria-describedby=move || {
                        (has_password.get() == Some(false)).then_some("delete-needs-password")
                    }
                    on:click=move |_| open.set(true)
                >
                    {t(Account::OpenDeleteAccount)}
                </button>
            </div>
            <Dialog open=open title=t(Account::DeleteDialogTitle) describedby="delete-dialog-what">
                <form
                    class="dialog-body"
                    novalidate=true
                    on:submit=move |ev: SubmitEvent| {
                        ev.prevent_default();
                        submit();
                    }
                >
                    <p id="delete-dialog-what" class="warning">
                        {before_name}
                        <strong>{move || username.get().unwrap_or_default()}</strong>
                        {after_name}
                    </p>
                    <TextInput required=true
                        id="delete-confirm-username"
                        label=t(Account::TypeUsername)
                        autocomplete="off"
                        value=typed
                        error=typed_error
                    />
                    <TextInput required=true
                        id="delete-password"
                        label=t(Account::Password)
                        input_type="password"
                        autocomplete="current-password"
                        value=password
                    />
                    <FormAlert message=error />
                    <div class="dialog-actions">
                        <CancelButton on_cancel=Callback::new(move |_| open.set(false)) />
                        <PendingButton danger=true label=t(Account::DeleteMyAccount) pending_label=t(Account::Deleting) pending=pending disabled=Signal::derive(move || !ready.get()) />
                    </div>
                </form>
            </Dialog>
        </section>
    }
}
