//! A dialog that asks for the signed-in user's password before an action: confirming it for
//! fresh authentication, or turning two-factor authentication off.
use crate::components::dialog::Dialog;
use crate::components::field::TextInput;
use crate::components::form::{CancelButton, FormAlert, PendingButton};
use crate::components::fresh_auth::confirm_error_text;
use crate::i18n::{catalogue::Common, t};
use crate::state::{session::Session, write::Write};
use leptos::{ev::SubmitEvent, prelude::*};

/// The texts of one use of the dialog.
pub struct PasswordDialogText {
    pub password_id: &'static str,
    /// The id of the description (why the password is asked for).
    pub why_id: &'static str,
    pub title: &'static str,
    /// Why the password is asked for (the dialog's description).
    pub why: &'static str,
    pub submit: &'static str,
    pub pending: &'static str,
}

/// `action` runs with the session token and the typed password; its error is shown, a 401
/// as a wrong password. `on_cancel` runs on Cancel, Esc and when there is no session. The
/// password never outlives the dialog.
#[component]
pub fn PasswordDialog(
    open: RwSignal<bool>,
    text: PasswordDialogText,
    action: Write<(String, String)>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let session = expect_context::<Session>();
    let password = RwSignal::new(String::new());
    let error = Signal::derive(move || action.error().map(|e| confirm_error_text(&e)));
    let empty = Signal::derive(move || password.with(String::is_empty));
    Effect::new(move |_| {
        if !open.get() {
            password.set(String::new());
            action.clear();
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if empty.get_untracked() {
            return;
        }
        match session.token_untracked() {
            Some(token) => action.run((token, password.get_untracked())),
            None => on_cancel.run(()),
        }
    };
    view! {
        <Dialog open=open title=text.title describedby=text.why_id on_close=on_cancel>
            <form class="dialog-body" on:submit=on_submit novalidate=true>
                <p id=text.why_id>{text.why}</p>
                <TextInput
                    required=true
                    id=text.password_id
                    label=t(Common::Password)
                    input_type="password"
                    autocomplete="current-password"
                    value=password
                />
                <FormAlert message=error />
                <div class="dialog-actions">
                    <CancelButton on_cancel=on_cancel />
                    <PendingButton
                        label=text.submit
                        pending_label=text.pending
                        pending=action.pending()
                        disabled=empty
                    />
                </div>
            </form>
        </Dialog>
    }
}
