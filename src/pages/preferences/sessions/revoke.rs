//! The confirmation before a session ends: one session, or every other one.
use super::logic::{revoked_others_text, RevokeTarget};
use crate::api::{sessions, ApiError, Client};
use crate::components::dialog::Dialog;
use crate::components::form::FormAlert;
use crate::state::toast::Toasts;
use leptos::{prelude::*, task::spawn_local};

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
    let client = StoredValue::new(Client::from_context());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if open.get() {
            error.set(None);
            pending.set(false);
        }
    });

    let finish = move |message: String| {
        toasts.push(message);
        open.set(false);
        on_done.run(());
        request_animation_frame(|| {
            if let Some(title) = document().get_element_by_id(SESSIONS_TITLE_ID) {
                use wasm_bindgen::JsCast;
                if let Ok(title) = title.dyn_into::<web_sys::HtmlElement>() {
                    let _ = title.focus();
                }
            }
        });
    };
    let confirm = move |_| {
        let Some(chosen) = target.get_untracked() else {
            return;
        };
        if pending.get_untracked() {
            return;
        }
        let client = client.get_value();
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            let outcome = match &chosen {
                RevokeTarget::One { id, label } => match sessions::revoke(&client, *id).await {
                    Ok(()) => Ok(format!("Revoked {label}. It is signed out.")),
                    // Ended elsewhere meanwhile (another tab, a password change): same result.
                    Err(ApiError::Status { status: 404, .. }) => {
                        Ok(format!("{label} had already ended."))
                    }
                    Err(e) => Err(e),
                },
                RevokeTarget::Others { .. } => sessions::revoke_others(&client)
                    .await
                    .map(revoked_others_text),
            };
            match outcome {
                Ok(message) => finish(message),
                Err(e) => {
                    error.try_set(Some(e.to_string()));
                }
            }
            pending.try_set(false);
        });
    };
    let title = Signal::derive(move || target.get().map(|t| t.title()).unwrap_or_default());
    let confirm_label = move || {
        if pending.get() {
            "Revoking…".to_string()
        } else {
            target.get().map(|t| t.confirm_label()).unwrap_or_default()
        }
    };

    view! {
        <Dialog
            open=open
            title=title
            describedby="revoke-session-consequence"
            dismissable=Signal::derive(move || !pending.get())
        >
            <div class="dialog-body">
                <p id="revoke-session-consequence">
                    "A revoked session is signed out on its next request and has to sign in again. "
                    "This session stays signed in."
                </p>
                <FormAlert message=error />
                <div class="dialog-actions">
                    <button type="button" class="button" data-autofocus="" disabled=move || pending.get() on:click=move |_| open.set(false)>
                        "Cancel"
                    </button>
                    <button
                        type="button"
                        class="button danger"
                        disabled=move || pending.get()
                        aria-busy=move || pending.get().then_some("true")
                        on:click=confirm
                    >
                        {confirm_label}
                    </button>
                </div>
            </div>
        </Dialog>
    }
}
