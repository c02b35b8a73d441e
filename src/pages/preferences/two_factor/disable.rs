//! Turning two-factor authentication off, after the password.
use crate::api::two_factor;
use crate::api::Client;
use crate::components::password_dialog::{PasswordDialog, PasswordDialogText};
use crate::i18n::{catalogue::Account, t};
use crate::state::write::Write;
use crate::state::{session::Session, toast::Toasts};
use leptos::prelude::*;

/// "Disable" asks for the password; the answer is a new token without the 2FA claim.
#[component]
pub fn DisableDialog(open: RwSignal<bool>) -> impl IntoView {
    let session = expect_context::<Session>();
    let toasts = expect_context::<Toasts>();
    let client = Client::from_context();
    // Looked up now: the request's continuation runs outside the view's owner.
    let done = t(Account::TwoFactorIsOff);
    let disable = Write::new(move |(token, typed): (String, String)| {
        let client = client.clone();
        async move {
            let token = two_factor::disable(&client, token, &typed).await?;
            open.try_set(false);
            session.replace_token(token);
            toasts.push(done);
            Ok(())
        }
    });
    let text = PasswordDialogText {
        password_id: "disable-2fa-password",
        why_id: "disable-2fa-why",
        title: t(Account::DisableTitle),
        why: t(Account::DisableWhy),
        submit: t(Account::DisableTitle),
        pending: t(Account::Disabling),
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
