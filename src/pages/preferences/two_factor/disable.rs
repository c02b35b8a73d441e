//! Turning two-factor authentication off, after the password.
use crate::api::two_factor;
use crate::api::{ApiError, Client};
use crate::components::dialog::Dialog;
use crate::components::field::TextInput;
use crate::components::form::{FormAlert, SubmitButton};
use crate::state::{session::Session, toast::Toasts};
use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};

/// "Disable" asks for the password; the answer is a new token without the 2FA claim.
#[component]
pub fn DisableDialog(open: RwSignal<bool>) -> impl IntoView {
    let session = expect_context::<Session>();
    let toasts = expect_context::<Toasts>();
    let client = StoredValue::new(Client::from_context());
    let password = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let empty = Signal::derive(move || password.with(String::is_empty));

    Effect::new(move |_| {
        if !open.get() {
            password.set(String::new());
            error.set(None);
            pending.set(false);
        }
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if empty.get_untracked() || pending.get_untracked() {
            return;
        }
        let Some(token) = session.token_untracked() else {
            return;
        };
        let typed = password.get_untracked();
        let client = client.get_value();
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            match two_factor::disable(&client, token, &typed).await {
                Ok(token) => {
                    open.try_set(false);
                    session.replace_token(token);
                    toasts.push("Two-factor authentication is off.");
                }
                Err(e) => {
                    error.try_set(Some(match e {
                        ApiError::Unauthorized => "Wrong password.".to_string(),
                        other => other.to_string(),
                    }));
                    pending.try_set(false);
                }
            }
        });
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
                    <button type="button" class="button" on:click=move |_| open.set(false)>"Cancel"</button>
                    <SubmitButton
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
