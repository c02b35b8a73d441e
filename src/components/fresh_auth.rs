//! The "Confirm your password" dialog of the fresh-authentication flow
//! ([`crate::state::fresh_auth::FreshAuth`]), mounted once by the app, and the indicator of
//! how long the confirmation still lasts.
use crate::api::{auth, ApiError, Client};
use crate::components::dialog::Dialog;
use crate::components::field::TextInput;
use crate::components::form::{CancelButton, FormAlert, PendingButton};
use crate::state::fresh_auth::{fresh_minutes_left, fresh_window_text, FreshAuth};
use crate::state::{session::Session, write::Write};
use leptos::{ev::SubmitEvent, prelude::*};
use std::time::Duration;

/// Wrong password, in this dialog's words (a 401 here never ends the session).
pub fn confirm_error_text(error: &ApiError) -> String {
    match error {
        ApiError::Unauthorized => "Wrong password.".to_string(),
        other => other.to_string(),
    }
}

#[component]
pub fn FreshAuthDialog() -> impl IntoView {
    let fresh = expect_context::<FreshAuth>();
    let session = expect_context::<Session>();
    let client = Client::from_context();
    let open = fresh.prompting();
    let password = RwSignal::new(String::new());
    let confirm = Write::new(move |(token, typed): (String, String)| {
        let client = client.clone();
        async move {
            let new_token = auth::confirm_password(&client, &token, &typed).await?;
            session.replace_token(new_token);
            fresh.finish(true);
            Ok(())
        }
    });
    let pending = confirm.pending();
    let error = Signal::derive(move || confirm.error().map(|e| confirm_error_text(&e)));
    let empty = Signal::derive(move || password.with(String::is_empty));

    // A fresh form every time it opens; the password never outlives the dialog.
    Effect::new(move |_| {
        if !open.get() {
            password.set(String::new());
            confirm.clear();
        }
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if empty.get_untracked() {
            return;
        }
        match session.token_untracked() {
            Some(token) => confirm.run((token, password.get_untracked())),
            None => fresh.finish(false),
        }
    };

    view! {
        <Dialog
            open=open
            title="Confirm your password"
            describedby="fresh-auth-why"
            on_close=Callback::new(move |_| fresh.finish(false))
        >
            <form class="dialog-body" on:submit=on_submit novalidate=true>
                <p id="fresh-auth-why">
                    "For your security, please enter your password again. You won't be asked again for 20 minutes."
                </p>
                <TextInput required=true
                    id="fresh-auth-password"
                    label="Password"
                    input_type="password"
                    autocomplete="current-password"
                    value=password
                />
                <FormAlert message=error />
                <div class="dialog-actions">
                    <CancelButton on_cancel=Callback::new(move |_| fresh.finish(false)) />
                    <PendingButton label="Confirm" pending_label="Confirming…" pending=pending disabled=empty />
                </div>
            </form>
        </Dialog>
    }
}

/// "Password confirmed — 14 minutes left" while the session's `authTime` is less than 20
/// minutes old; nothing otherwise. Re-evaluated every 15 seconds and whenever the token
/// changes. A polite status, so it is announced when it appears, not on every tick.
#[component]
pub fn FreshAuthIndicator() -> impl IntoView {
    let session = expect_context::<Session>();
    let now = RwSignal::new(js_sys::Date::now());
    if let Ok(handle) = set_interval_with_handle(
        move || {
            now.try_set(js_sys::Date::now());
        },
        Duration::from_secs(15),
    ) {
        on_cleanup(move || handle.clear());
    }
    let minutes = Memo::new(move |_| {
        let claims = session.claims()?;
        fresh_minutes_left(now.get(), claims.auth_time as f64)
    });
    view! {
        <p class="fresh-auth-indicator" role="status" class:is-active=move || minutes.get().is_some()>
            {move || minutes.get().map(fresh_window_text)}
        </p>
    }
}
