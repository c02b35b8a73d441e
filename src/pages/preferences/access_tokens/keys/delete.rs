//! The confirmation before revoking the selected keys, in one request.
use super::CREATE_BUTTON_ID;
use crate::api::{api_key, Client};
use crate::components::dialog::Dialog;
use crate::components::focus::focus_later;
use crate::components::form::{CancelButton, FormAlert, PendingButton};
use crate::i18n::{catalogue::Tokens, plural, t};
use crate::pages::preferences::access_tokens::logic::{delete_title, key_name};
use crate::state::{api_keys::ApiKeys, toast::Toasts, write::Write};
use leptos::prelude::*;
use std::collections::HashSet;
use wire::ApiKeyRow;

/// How many names the confirmation lists before "and N more".
const LISTED_NAMES: usize = 20;

#[component]
pub fn DeleteKeysDialog(
    open: RwSignal<bool>,
    selected: RwSignal<HashSet<i64>>,
    rows: Memo<Option<Result<Vec<ApiKeyRow>, crate::api::ApiError>>>,
) -> impl IntoView {
    let keys = expect_context::<ApiKeys>();
    let toasts = expect_context::<Toasts>();
    let client = Client::from_context();
    // The write finishes outside the view: its toast is worded under the view's owner, which
    // knows the language (and the plural rule it needs).
    let owner = Owner::current().unwrap_or_default();
    let delete = Write::with_fresh_auth(move |ids: Vec<i64>| {
        let client = client.clone();
        let owner = owner.clone();
        async move {
            api_key::delete_many(&client, &ids).await?;
            let n = ids.len() as u64;
            toasts.push(owner.with(|| plural(n, Tokens::DeletedOne, Tokens::DeletedOther)));
            selected.set(HashSet::new());
            open.set(false);
            keys.refetch();
            // "Delete selected" is disabled now; continue from "Create API key".
            focus_later(CREATE_BUTTON_ID);
            Ok(())
        }
    });
    let pending = delete.pending();
    // The selected keys in table order, read when the dialog renders.
    let chosen = Memo::new(move |_| {
        selected.with(|s| {
            rows.with(|r| match r {
                Some(Ok(list)) => list
                    .iter()
                    .filter(|k| s.contains(&k.id))
                    .map(|k| (k.id, key_name(k)))
                    .collect::<Vec<_>>(),
                _ => Vec::new(),
            })
        })
    });
    let count = Memo::new(move |_| chosen.with(Vec::len));
    Effect::new(move |_| {
        if open.get() {
            delete.clear();
        }
    });

    let confirm = move |_| {
        let ids: Vec<i64> = chosen
            .get_untracked()
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        if ids.is_empty() {
            open.set(false);
            return;
        }
        delete.run(ids);
    };

    view! {
        <Dialog
            open=open
            title=Signal::derive(move || delete_title(count.get()))
            describedby="delete-keys-consequence"
            dismissable=Signal::derive(move || !pending.get())
        >
            <div class="dialog-body">
                <p id="delete-keys-consequence">{t(Tokens::DeleteConsequence)}</p>
                <ul class="delete-list">
                    {move || chosen.with(|c| {
                        c.iter()
                            .take(LISTED_NAMES)
                            .map(|(_, name)| view! { <li>{name.clone()}</li> })
                            .collect_view()
                    })}
                    {move || (count.get() > LISTED_NAMES).then(|| view! {
                        <li class="more">
                            {plural((count.get() - LISTED_NAMES) as u64, Tokens::AndMoreOne, Tokens::AndMoreOther)}
                        </li>
                    })}
                </ul>
                <FormAlert message=delete.error_text() />
                <div class="dialog-actions">
                    <CancelButton on_cancel=Callback::new(move |_| open.set(false)) autofocus=true />
                    <PendingButton
                        danger=true
                        label=move || plural(count.get() as u64, Tokens::DeleteKeysOne, Tokens::DeleteKeysOther)
                        pending_label=t(Tokens::Deleting)
                        pending=pending
                        on_click=Callback::new(confirm)
                    />
                </div>
            </div>
        </Dialog>
    }
}
