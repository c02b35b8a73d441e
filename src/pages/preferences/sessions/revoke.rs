//! The confirmation before a session ends: one session, or every other one.
use super::logic::{revoked_others_text, RevokeTarget};
use crate::api::{sessions, ApiError, Client};
use crate::components::dialog::Dialog;
use crate::components::focus::focus_later;
use crate::components::form::{CancelButton, FormAlert, PendingButton};
use crate::i18n::{catalogue::Account, t, with_args};
use crate::state::{toast::Toasts, write::Write};
use leptos::prelude::*;

/// Where focus goes once the dialog is done: the opener may be gone with its row.
pub const SESSIONS_TITLE_ID: &str = "sessions-title";

#[component]
pub fn RevokeDialog(
    open: RwSignal<bool>,
    target: RwSignal<Option<RevokeTarget>>,
    /// After a revocation (or when the session had already ended): reload the list.
    on_done: Callback<()>,
) -> impl IntoView {
    let toasts = expect_context::<Toasts>();
    let client = Client::from_context();
    // The request's continuation runs outside the view's owner, where the language is not
    // known: the toast's text is built back inside it.
    let owner = Owner::current().unwrap_or_default();
    let revoke = Write::new(move |chosen: RevokeTarget| {
        let client = client.clone();
        let owner = owner.clone();
        async move {
            let message = match &chosen {
                RevokeTarget::One { id, label } => match sessions::revoke(&client, *id).await {
                    Ok(()) => {
                        owner.with(|| with_args(t(Account::RevokedOne), &[("session", label)]))
                    }
                    // Ended elsewhere meanwhile (another tab, a password change): same result.
                    Err(ApiError::Status { status: 404, .. }) => {
                        owner.with(|| with_args(t(Account::AlreadyEnded), &[("session", label)]))
                    }
                    Err(e) => return Err(e),
                },
                RevokeTarget::Others { .. } => {
                    let count = sessions::revoke_others(&client).await?;
                    owner.with(|| revoked_others_text(count))
                }
            };
            toasts.push(message);
            open.set(false);
            on_done.run(());
            focus_later(SESSIONS_TITLE_ID);
            Ok(())
        }
    });
    let pending = revoke.pending();
    Effect::new(move |_| {
        if open.get() {
            revoke.clear();
        }
    });
    let confirm = move |_| {
        if let Some(chosen) = target.get_untracked() {
            revoke.run(chosen);
        }
    };
    let title = Signal::derive(move || target.get().map(|t| t.title()).unwrap_or_default());

    view! {
        <Dialog
            open=open
            title=title
            describedby="revoke-session-consequence"
            dismissable=Signal::derive(move || !pending.get())
        >
            <div class="dialog-body">
                <p id="revoke-session-consequence">{t(Account::RevokeConsequence)}</p>
                <FormAlert message=revoke.error_text() />
                <div class="dialog-actions">
                    <CancelButton on_cancel=Callback::new(move |_| open.set(false)) autofocus=true disabled=pending />
                    <PendingButton
                        danger=true
                        label=move || target.get().map(|t| t.confirm_label()).unwrap_or_default()
                        pending_label=t(Account::Revoking)
                        pending=pending
                        on_click=Callback::new(confirm)
                    />
                </div>
            </div>
        </Dialog>
    }
}
