//! Turning two-factor authentication off, after the password.
use crate::api::two_factor;
use crate::api::Client;
use crate::components::password_dialog::{PasswordDialog, PasswordDialogText};
use crate::state::write::Write;
use crate::state::{session::Session, toast::Toasts};
use leptos::prelude::*;

/// "Disable" asks for the password; the answer is a new token without the 2FA claim.
#[component]
pub fn DisableDialog(open: RwSignal<bool>) -> impl IntoView {
    let session = expect_context::<Session>();
    let toasts = expect_context::<Toasts>();
    let client = Client::from_context();
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
    let text = PasswordDialogText {
        password_id: "disable-2fa-password",
        why_id: "disable-2fa-why",
        title: "Disable two-factor authentication",
        why: "Logging in will need only your password, and your recovery codes will stop working. Enter your password to confirm.",
        submit: "Disable two-factor authentication",
        pending: "Disabling…",
    };
    view! {
        <PasswordDialog
            open
            text
            action=disable
            on_cancel=Callback::new(move |_| open.set(false))
        />
    }
}
