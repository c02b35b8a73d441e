//! The "Confirm your password" dialog of the fresh-authentication flow
//! ([`crate::state::fresh_auth::FreshAuth`]), mounted once by the app, and the indicator of
//! how long the confirmation still lasts.
use crate::api::{auth, ApiError, Client};
use crate::components::password_dialog::{PasswordDialog, PasswordDialogText};
use crate::i18n::{catalogue::Common, t};
use crate::state::fresh_auth::{fresh_minutes_left, fresh_window_text, FreshAuth};
use crate::state::{session::Session, write::Write};
use leptos::prelude::*;
use std::time::Duration;

/// Wrong password, in this dialog's words (a 401 here never ends the session).
pub fn confirm_error_text(error: &ApiError) -> String {
    match error {
        ApiError::Unauthorized => t(Common::WrongPassword).to_string(),
        other => other.to_string(),
    }
}

#[component]
pub fn FreshAuthDialog() -> impl IntoView {
    let fresh = expect_context::<FreshAuth>();
    let session = expect_context::<Session>();
    let client = Client::from_context();
    let confirm = Write::new(move |(token, typed): (String, String)| {
        let client = client.clone();
        async move {
            let new_token = auth::confirm_password(&client, &token, &typed).await?;
            session.replace_token(new_token);
            fresh.finish(true);
            Ok(())
        }
    });
    let text = PasswordDialogText {
        password_id: "fresh-auth-password",
        why_id: "fresh-auth-why",
        title: t(Common::ConfirmTitle),
        why: t(Common::ConfirmWhy),
        submit: t(Common::Confirm),
        pending: t(Common::Confirming),
    };
    view! {
        <PasswordDialog
            open=fresh.prompting()
            text
            action=confirm
            on_cancel=Callback::new(move |_| fresh.finish(false))
        />
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
