//! The API keys table: sorted by name, select (one by one or all), revoke the selection in
//! one request after a confirmation naming the keys, edit a key in place; plus the create
//! and show-once dialogs.
use super::create::{CreateKeyDialog, ExpiryInput, NewKeyDialog, TextInput};
use super::logic::{
    date_part, delete_title, expiry_badge, key_name, last_used_text, sort_by_name, ExpiryChoice,
};
use super::now_signal;
use crate::api::{api_key, Client};
use crate::components::async_view::{AsyncView, ReadStatus};
use crate::components::dialog::Dialog;
use crate::components::focus::focus_later;
use crate::components::form::{FormAlert, SubmitButton};
use crate::routes;
use crate::state::{api_keys::ApiKeys, fresh_auth::FreshAuth, toast::Toasts};
use leptos::{either::Either, ev::SubmitEvent, prelude::*, task::spawn_local};
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use std::collections::HashSet;
use wire::{validate, ApiKeyPatch, ApiKeyRow};

/// The id of the "Create API key" button (focus lands there after a deletion).
pub const CREATE_BUTTON_ID: &str = "create-api-key";

/// How many names the delete confirmation lists before "and N more".
const LISTED_NAMES: usize = 20;

/// "3 API keys selected" (an empty string when none is).
pub fn selection_text(count: usize) -> String {
    match count {
        0 => String::new(),
        1 => "1 API key selected".to_string(),
        n => format!("{n} API keys selected"),
    }
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

#[component]
pub fn ApiKeysPanel() -> impl IntoView {
    let keys = expect_context::<ApiKeys>();
    let query = use_query_map();
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
    let state = Memo::new(move |_| rows.with(|r| ReadStatus::of(r.as_ref(), Vec::is_empty)));
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
    // `?edit=<id>` (the expiring-keys banner's "Extend" links) opens that key's editor; the
    // query is then dropped from the address, so a reload does not reopen it.
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

    let selected_count = Memo::new(move |_| selected.with(HashSet::len));
    let all_selected = Memo::new(move |_| {
        let total = all_ids.with(Vec::len);
        total > 0 && selected_count.get() == total
    });
    let toggle_all = move |checked: bool| {
        if checked {
            selected.set(all_ids.get_untracked().into_iter().collect());
        } else {
            selected.set(HashSet::new());
        }
    };

    let on_created = Callback::new(move |(name, key): (String, String)| {
        secret_name.set(name);
        keys.refetch();
        // After the create dialog has closed (and handed focus back), so the new dialog
        // returns focus to "Create API key" as well.
        request_animation_frame(move || secret.set(Some(key)));
    });

    let table = move || {
        view! {
            <div class="table-toolbar">
                <button
                    type="button"
                    class="button danger"
                    disabled=move || selected_count.get() == 0
                    on:click=move |_| delete_open.set(true)
                >
                    "Delete selected"
                </button>
                <span class="selection-count" role="status">{move || selection_text(selected_count.get())}</span>
            </div>
            <div class="table-scroll">
                <table class="keys-table">
                    <caption class="visually-hidden">"Your API keys, sorted by name"</caption>
                    <thead>
                        <tr>
                            <th scope="col" class="col-select">
                                <input
                                    type="checkbox"
                                    aria-label="Select all API keys"
                                    prop:checked=move || all_selected.get()
                                    prop:indeterminate={move || !all_selected.get() && selected_count.get() > 0}
                                    on:change=move |ev| toggle_all(event_target_checked(&ev))
                                />
                            </th>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Description"</th>
                            <th scope="col">"Created"</th>
                            <th scope="col">"Expiry"</th>
                            <th scope="col">"Last used"</th>
                            <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        <For
                            each=move || rows.with(|r| match r {
                                Some(Ok(list)) => list.clone(),
                                _ => Vec::new(),
                            })
                            key=|r| {
                                (r.id, r.name.clone(), r.description.clone(), r.expiry_date.clone(), r.last_used_at.clone())
                            }
                            children=move |row| view! { <KeyRow row selected editing now /> }
                        />
                    </tbody>
                </table>
            </div>
        }
    };

    view! {
        <section class="card keys-panel" aria-labelledby="api-keys-title">
            <div class="section-header">
                <h2 id="api-keys-title">"API keys"</h2>
                <button
                    type="button"
                    id=CREATE_BUTTON_ID
                    class="button primary"
                    on:click=move |_| create_open.set(true)
                >
                    "Create API key"
                </button>
            </div>
            <p>
                "API keys let scripts, the CLI and the SDK act as you until they expire or you delete them. "
                "Anyone with a key can use it: keep keys secret, and give each the shortest useful life."
            </p>
            <AsyncView
                status=state
                loading="Loading your API keys…"
                failed="Your API keys could not be loaded."
                retry=Callback::new(move |_| keys.refetch())
                empty=move || view! {
                    <div class="empty-state">
                        <p>"You have no API keys yet. Create one to use the API from scripts and tools."</p>
                        <button type="button" class="button" on:click=move |_| create_open.set(true)>
                            "Create your first API key"
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

#[component]
fn KeyRow(
    row: ApiKeyRow,
    selected: RwSignal<HashSet<i64>>,
    editing: RwSignal<Option<i64>>,
    now: RwSignal<f64>,
) -> impl IntoView {
    let id = row.id;
    let name = key_name(&row);
    let is_editing = Memo::new(move |_| editing.get() == Some(id));
    move || {
        if is_editing.get() {
            return Either::Right(view! { <EditKeyRow row=row.clone() editing /> });
        }
        let expiry = row.expiry_date.clone();
        let last_used = row.last_used_at.clone();
        let badge = Signal::derive(move || expiry_badge(now.get(), expiry.as_deref()));
        let edit_id = format!("edit-key-{id}");
        Either::Left(view! {
            <tr class:is-selected=move || selected.with(|s| s.contains(&id))>
                <td class="col-select">
                    <input
                        type="checkbox"
                        aria-label=format!("Select {name}")
                        prop:checked=move || selected.with(|s| s.contains(&id))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            selected.update(|s| {
                                if on { s.insert(id); } else { s.remove(&id); }
                            });
                        }
                    />
                </td>
                <th scope="row" class="key-name">{name.clone()}</th>
                <td class="key-description">{row.description.clone().unwrap_or_default()}</td>
                <td><time datetime=row.created_at.clone()>{date_part(&row.created_at)}</time></td>
                <td>
                    <span class=move || badge.get().0.class()>{move || badge.get().1}</span>
                </td>
                <td class="key-last-used">{move || last_used_text(now.get(), last_used.as_deref())}</td>
                <td class="key-actions">
                    <button
                        type="button"
                        id=edit_id
                        class="button ghost"
                        aria-label=format!("Edit {name}")
                        on:click=move |_| editing.set(Some(id))
                    >
                        "Edit"
                    </button>
                </td>
            </tr>
        })
    }
}

/// The row's in-place editor: name, description and expiry; only changed fields are sent.
#[component]
fn EditKeyRow(row: ApiKeyRow, editing: RwSignal<Option<i64>>) -> impl IntoView {
    let keys = expect_context::<ApiKeys>();
    let toasts = expect_context::<Toasts>();
    let fresh = expect_context::<FreshAuth>();
    let client = StoredValue::new(Client::from_context());
    let id = row.id;
    let original = key_name(&row);
    let name = RwSignal::new(row.name.clone().unwrap_or_default());
    let description = RwSignal::new(row.description.clone().unwrap_or_default());
    let choice = RwSignal::new(ExpiryChoice::Keep);
    let custom_date = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let name_error = Signal::derive(move || name.with(|v| validate::api_key_name(v).err()));
    let description_error =
        Signal::derive(move || description.with(|v| validate::api_key_description(v).err()));
    let expiry_error = Signal::derive(move || {
        let c = choice.get();
        custom_date.with(|d| c.resolve(js_sys::Date::now(), d).err())
    });
    let invalid = Signal::derive(move || {
        name_error.get().is_some()
            || description_error.get().is_some()
            || expiry_error.get().is_some()
    });
    let current_expiry = expiry_badge(js_sys::Date::now(), row.expiry_date.as_deref()).1;

    let cancel = move || {
        editing.set(None);
        focus_later(format!("edit-key-{id}"));
    };
    let row_for_submit = row.clone();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if invalid.get_untracked() || pending.get_untracked() {
            return;
        }
        let Ok(expiry) = choice
            .get_untracked()
            .resolve(js_sys::Date::now(), &custom_date.get_untracked())
        else {
            return;
        };
        let Some(patch) = edit_patch(
            &row_for_submit,
            &name.get_untracked(),
            &description.get_untracked(),
            expiry,
        ) else {
            cancel();
            return;
        };
        let client = client.get_value();
        let saved_name = name.get_untracked().trim().to_string();
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            match fresh.run(|| api_key::update(&client, id, &patch)).await {
                Ok(()) => {
                    toasts.push(format!("Saved “{saved_name}”."));
                    editing.set(None);
                    keys.refetch();
                }
                Err(e) => {
                    error.try_set(Some(e.to_string()));
                    pending.try_set(false);
                }
            }
        });
    };

    view! {
        <tr class="is-editing">
            <td colspan="7">
                <form
                    class="edit-key-form"
                    aria-label=format!("Edit {original}")
                    on:submit=on_submit
                    on:keydown=move |ev| {
                        if ev.key() == "Escape" {
                            ev.prevent_default();
                            cancel();
                        }
                    }
                    novalidate=true
                >
                    <div class="edit-key-fields">
                        <TextInput id=format!("edit-{id}-name") label="Name" value=name required=true error=name_error autofocus=true />
                        <TextInput id=format!("edit-{id}-description") label="Description" value=description error=description_error />
                        <ExpiryInput prefix=format!("edit-{id}") choice=choice custom_date=custom_date error=expiry_error with_keep=true />
                    </div>
                    <p class="edit-key-current">"Currently: " {current_expiry}</p>
                    <FormAlert message=error />
                    <div class="dialog-actions">
                        <button type="button" class="button" on:click=move |_| cancel()>"Cancel"</button>
                        <SubmitButton label="Save" pending_label="Saving…" pending=pending disabled=invalid />
                    </div>
                </form>
            </td>
        </tr>
    }
}

#[component]
fn DeleteKeysDialog(
    open: RwSignal<bool>,
    selected: RwSignal<HashSet<i64>>,
    rows: Memo<Option<Result<Vec<ApiKeyRow>, crate::api::ApiError>>>,
) -> impl IntoView {
    let keys = expect_context::<ApiKeys>();
    let toasts = expect_context::<Toasts>();
    let fresh = expect_context::<FreshAuth>();
    let client = StoredValue::new(Client::from_context());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
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
            error.set(None);
            pending.set(false);
        }
    });

    let confirm = move |_| {
        if pending.get_untracked() {
            return;
        }
        let ids: Vec<i64> = chosen
            .get_untracked()
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        if ids.is_empty() {
            open.set(false);
            return;
        }
        let client = client.get_value();
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            match fresh.run(|| api_key::delete_many(&client, &ids)).await {
                Ok(()) => {
                    let n = ids.len();
                    toasts.push(if n == 1 {
                        "Deleted 1 API key.".to_string()
                    } else {
                        format!("Deleted {n} API keys.")
                    });
                    selected.set(HashSet::new());
                    open.set(false);
                    keys.refetch();
                    // "Delete selected" is disabled now; continue from "Create API key".
                    focus_later(CREATE_BUTTON_ID.to_string());
                }
                Err(e) => {
                    error.try_set(Some(e.to_string()));
                }
            }
            pending.try_set(false);
        });
    };

    view! {
        <Dialog
            open=open
            title=Signal::derive(move || delete_title(count.get()))
            describedby="delete-keys-consequence"
            dismissable=Signal::derive(move || !pending.get())
        >
            <div class="dialog-body">
                <p id="delete-keys-consequence">
                    "These keys stop working at once: anything that uses them will be refused. This cannot be undone."
                </p>
                <ul class="delete-list">
                    {move || chosen.with(|c| {
                        c.iter()
                            .take(LISTED_NAMES)
                            .map(|(_, name)| view! { <li>{name.clone()}</li> })
                            .collect_view()
                    })}
                    {move || (count.get() > LISTED_NAMES).then(|| view! {
                        <li class="more">{format!("and {} more", count.get() - LISTED_NAMES)}</li>
                    })}
                </ul>
                <FormAlert message=error />
                <div class="dialog-actions">
                    <button type="button" class="button" data-autofocus="" on:click=move |_| open.set(false)>
                        "Cancel"
                    </button>
                    <button
                        type="button"
                        class="button danger"
                        disabled=move || pending.get()
                        aria-busy=move || pending.get().then_some("true")
                        on:click=confirm
                    >
                        {move || if pending.get() {
                            "Deleting…".to_string()
                        } else if count.get() == 1 {
                            "Delete 1 API key".to_string()
                        } else {
                            format!("Delete {} API keys", count.get())
                        }}
                    </button>
                </div>
            </div>
        </Dialog>
    }
}
