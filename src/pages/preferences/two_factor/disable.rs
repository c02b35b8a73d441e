//! Turning two-factor authentication off, after the password.
use crate::api::two_factor;
use crate::api::Client;
use crate::components::dialog::Dialog;
use crate::components::field::TextInput;
use crate::components::form::{CancelButton, FormAlert, PendingButton};
use crate::components::fresh_auth::confirm_error_text;
use crate::state::write::Write;
use crate::state::{session::Session, toast::Toasts};
use leptos::{ev::SubmitEvent, prelude::*};

/// "Disable" asks for the password; the answer is a new token without the 2FA claim.
#[component]
pub fn DisableDialog(open: RwSignal<bool>) -> impl IntoView {
    let session = expect_context::<Session>();
    let toasts = expect_context::<Toasts>();
    let client = Client::from_context();
    let password = RwSignal::new(String::new());
    let disable = Write::new(move |(token, typed): (String, String)| {
        let client = client.clone();
        async move {
            let token = two_factor::disable(&client, token, &typed).await?;
            open.try_set(false);
            session.replace_token(token);
            toasts.push("Two-factor authentication is off.");
            Ok(())
        }
    });
    let pending = disable.pending();
    let error = Signal::derive(move || disable.error().map(|e| confirm_error_text(&e)));
    let empty = Signal::derive(move || password.with(String::is_empty));

    Effect::new(move |_| {
        if !open.get() {
            password.set(String::new());
            disable.clear();
        }
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if empty.get_untracked() {
            return;
        }
        if let Some(token) = session.token_untracked() {
            disable.run((token, password.get_untracked()));
        }
    };

    view! {
        <Dialog open=open title="Disable two-factor authentication" describedby="disable-2fa-why">
            <form class="dialog-body" on:submit=on_submit novalidate=true>
                <p id="disable-2fa-why">
                    "Logging in will need only your password, and your recovery codes will stop working. Enter your password to confirm."
                </p>
                <TextInput required=true
                    id="disable-2fa-password"
                    label="Password"
                    input_type="password"
                    autocomplete="current-password"
                    value=password
                />
                <FormAlert message=error />
                <div class="dialog-actions">
                    <CancelButton on_cancel=Callback::new(move |_| open.set(false)) />
                    <PendingButton
                        label="Disable two-factor authentication"
                        pending_label="Disabling…"
                        pending=pending
                        disabled=empty
                    />
                </div>
            </form>
        </Dialog>
    }
}
