//! The API keys table: sorted by name, select (one by one or all), revoke the selection in
//! one request after a confirmation naming the keys, edit a key in place; plus the create
//! and show-once dialogs.
mod delete;
mod row;
mod table;

use super::create::CreateKeyDialog;
use super::logic::sort_by_name;
use super::new_key::NewKeyDialog;
use super::now_signal;
use crate::components::async_view::{AsyncView, ReadStatus};
use crate::components::focus::focus_later;
use crate::i18n::{catalogue::Tokens, plural, t};
use crate::routes;
use crate::state::api_keys::ApiKeys;
use delete::DeleteKeysDialog;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use std::collections::HashSet;
use table::KeysTable;
use wire::{ApiKeyPatch, ApiKeyRow};

/// The id of the "Create API key" button (focus lands there after a deletion).
pub const CREATE_BUTTON_ID: &str = "create-api-key";

/// "3 API keys selected" (an empty string when none is).
pub fn selection_text(count: usize) -> String {
    if count == 0 {
        return String::new();
    }
    plural(count as u64, Tokens::SelectedOne, Tokens::SelectedOther)
}

/// What a save of the edit form sends: only what changed. `None`: nothing changed.
pub fn edit_patch(
    row: &ApiKeyRow,
    name: &str,
    description: &str,
    expiry: Option<Option<String>>,
) -> Option<ApiKeyPatch> {
    let name = name.trim();
    let description = description.trim();
    let patch = ApiKeyPatch {
        name: (row.name.as_deref() != Some(name)).then(|| name.to_string()),
        description: (row.description.as_deref().unwrap_or("") != description)
            .then(|| (!description.is_empty()).then(|| description.to_string())),
        expiry_date: expiry,
    };
    (patch != ApiKeyPatch::default()).then_some(patch)
}

/// `?edit=<id>` (the expiring-keys banner's "Extend" links) opens that key's editor; the
/// query is then dropped from the address, so a reload does not reopen it.
fn open_editor_from_query(all_ids: Memo<Vec<i64>>, editing: RwSignal<Option<i64>>) {
    let query = use_query_map();
    let navigate = use_navigate();
    Effect::new(move |_| {
        let wanted = query
            .with(|q| q.get("edit"))
            .and_then(|v| v.parse::<i64>().ok());
        if let Some(id) = wanted {
            if all_ids.with(|ids| ids.contains(&id)) {
                editing.set(Some(id));
                focus_later(format!("edit-{id}-name"));
                navigate(
                    &routes::access_tokens(),
                    NavigateOptions {
                        replace: true,
                        ..Default::default()
                    },
                );
            }
        }
    });
}

#[component]
pub fn ApiKeysPanel() -> impl IntoView {
    let keys = expect_context::<ApiKeys>();
    let now = now_signal();
    let selected = RwSignal::new(HashSet::<i64>::new());
    let editing = RwSignal::new(None::<i64>);
    let create_open = RwSignal::new(false);
    let delete_open = RwSignal::new(false);
    let secret = RwSignal::new(None::<String>);
    let secret_name = RwSignal::new(String::new());

    let rows = Memo::new(move |_| {
        keys.get().map(|result| {
            result.map(|mut list| {
                sort_by_name(&mut list);
                list
            })
        })
    });
    // Whether there are keys, not the keys: the table follows `rows` itself, so a refetch
    // updates its rows in place instead of rebuilding it (and losing focus).
    let state = ReadStatus::track(rows, Vec::is_empty);
    let all_ids = Memo::new(move |_| {
        rows.with(|r| match r {
            Some(Ok(list)) => list.iter().map(|k| k.id).collect::<Vec<_>>(),
            _ => Vec::new(),
        })
    });
    // Keys that disappeared (revoked elsewhere) can't stay selected.
    Effect::new(move |_| {
        let present: HashSet<i64> = all_ids.get().into_iter().collect();
        if selected.with_untracked(|s| s.iter().any(|id| !present.contains(id))) {
            selected.update(|s| s.retain(|id| present.contains(id)));
        }
    });
    open_editor_from_query(all_ids, editing);

    let on_created = Callback::new(move |(name, key): (String, String)| {
        secret_name.set(name);
        keys.refetch();
        // After the create dialog has closed (and handed focus back), so the new dialog
        // returns focus to "Create API key" as well.
        request_animation_frame(move || secret.set(Some(key)));
    });

    let table = move || view! { <KeysTable rows all_ids selected editing now delete_open /> };

    view! {
        <section class="card keys-panel" aria-labelledby="api-keys-title">
            <div class="section-header">
                <h2 id="api-keys-title">{t(Tokens::ApiKeys)}</h2>
                <button
                    type="button"
                    id=CREATE_BUTTON_ID
                    class="button primary"
                    on:click=move |_| create_open.set(true)
                >
                    {t(Tokens::CreateApiKey)}
                </button>
            </div>
            <p>{t(Tokens::ApiKeysIntro)}</p>
            <AsyncView
                status=state
                loading=t(Tokens::LoadingKeys)
                failed=t(Tokens::KeysFailed)
                retry=Callback::new(move |_| keys.refetch())
                empty=move || view! {
                    <div class="empty-state">
                        <p>{t(Tokens::NoKeys)}</p>
                        <button type="button" class="button" on:click=move |_| create_open.set(true)>
                            {t(Tokens::CreateFirstKey)}
                        </button>
                    </div>
                }
                content=table
            />
            <CreateKeyDialog open=create_open on_created=on_created />
            <NewKeyDialog secret=secret name=secret_name />
            <DeleteKeysDialog open=delete_open selected=selected rows=rows />
        </section>
    }
}
