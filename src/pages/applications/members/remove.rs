//! The confirmation before removing a member from the application.
use crate::api::applications as api;
use crate::api::Client;
use crate::components::dialog::Dialog;
use crate::components::focus::focus_later;
use crate::components::form::{CancelButton, FormAlert, PendingButton};
use crate::i18n::{catalogue::Apps, t, with_args};
use crate::pages::applications::logic::remove_title;
use crate::state::{toast::Toasts, write::Write};
use leptos::prelude::*;

#[component]
pub fn RemoveMemberDialog(
    open: RwSignal<bool>,
    target: RwSignal<Option<(i64, String)>>,
    app_name: String,
    on_removed: Callback<()>,
) -> impl IntoView {
    let toasts = expect_context::<Toasts>();
    let client = Client::from_context();
    let app = StoredValue::new(app_name);
    let remove = Write::new(move |(id, name): (i64, String)| {
        let client = client.clone();
        async move {
            api::remove_member(&client, id).await?;
            toasts.push(with_args(
                t(Apps::MemberRemoved),
                &[("name", &name), ("app", &app.get_value())],
            ));
            open.set(false);
            on_removed.run(());
            // The row (and its Remove button) is gone: continue from "Add member".
            focus_later("add-member");
            Ok(())
        }
    });
    let pending = remove.pending();
    Effect::new(move |_| {
        if open.get() {
            remove.clear();
        }
    });
    let username = move || target.get().map(|(_, n)| n).unwrap_or_default();
    let confirm = move |_| {
        if let Some(t) = target.get_untracked() {
            remove.run(t);
        }
    };
    view! {
        <Dialog
            open=open
            title=Signal::derive(move || remove_title(&username(), &app.get_value()))
            describedby="remove-member-consequence"
            dismissable=Signal::derive(move || !pending.get())
        >
            <div class="dialog-body">
                <p id="remove-member-consequence">
                    {move || with_args(
                        t(Apps::RemoveConsequence),
                        &[("name", &username()), ("app", &app.get_value())],
                    )}
                </p>
                <FormAlert message=remove.error_text() />
                <div class="dialog-actions">
                    <CancelButton on_cancel=Callback::new(move |_| open.set(false)) autofocus=true />
                    <PendingButton danger=true label=t(Apps::RemoveMember) pending_label=t(Apps::Removing) pending=pending on_click=Callback::new(confirm) />
                </div>
            </div>
        </Dialog>
    }
}
