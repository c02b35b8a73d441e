//! One API key's row, and its in-place editor.
use super::edit_patch;
use crate::api::{api_key, Client};
use crate::components::field::TextInput;
use crate::components::focus::focus_later;
use crate::components::form::{CancelButton, FormAlert, PendingButton};
use crate::i18n::{catalogue::Tokens, t, with_args};
use crate::pages::preferences::access_tokens::create::{resolve_expiry, ExpiryInput, KeyChecks};
use crate::pages::preferences::access_tokens::logic::{
    date_part, expiry_badge, key_name, last_used_text, ExpiryChoice,
};
use crate::state::{api_keys::ApiKeys, toast::Toasts, write::Write};
use leptos::{either::Either, ev::SubmitEvent, prelude::*};
use std::collections::HashSet;
use wire::{ApiKeyPatch, ApiKeyRow};

#[component]
pub fn KeyRow(
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
                        aria-label=with_args(t(Tokens::SelectKey), &[("name", &name)])
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
                // Named on a phone, where the column headings are out of sight.
                <td data-label=t(Tokens::Created)><time datetime=row.created_at.clone()>{date_part(&row.created_at)}</time></td>
                <td>
                    <span class=move || badge.get().0.class()>{move || badge.get().1}</span>
                </td>
                <td class="key-last-used">{move || last_used_text(now.get(), last_used.as_deref())}</td>
                <td class="key-actions">
                    <button
                        type="button"
                        id=edit_id
                        class="button ghost"
                        aria-label=with_args(t(Tokens::EditKey), &[("name", &name)])
                        on:click=move |_| editing.set(Some(id))
                    >
                        {t(Tokens::Edit)}
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
    let client = Client::from_context();
    let id = row.id;
    let original = key_name(&row);
    let name = RwSignal::new(row.name.clone().unwrap_or_default());
    let description = RwSignal::new(row.description.clone().unwrap_or_default());
    let choice = RwSignal::new(ExpiryChoice::Keep);
    let custom_date = RwSignal::new(String::new());
    // Looked up now: the write finishes outside the view, where the language is not known.
    let saved = t(Tokens::KeySaved);
    let save = Write::with_fresh_auth(move |patch: ApiKeyPatch| {
        let client = client.clone();
        async move {
            api_key::update(&client, id, &patch).await?;
            let saved_name = name.get_untracked();
            toasts.push(with_args(saved, &[("name", saved_name.trim())]));
            editing.set(None);
            keys.refetch();
            Ok(())
        }
    });
    let pending = save.pending();
    let KeyChecks {
        name_error,
        description_error,
        expiry_error,
        invalid,
    } = KeyChecks::new(name, description, choice, custom_date);
    let current_expiry = expiry_badge(js_sys::Date::now(), row.expiry_date.as_deref()).1;

    let cancel = move || {
        editing.set(None);
        focus_later(format!("edit-key-{id}"));
    };
    let row_for_submit = row.clone();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if invalid.get_untracked() {
            return;
        }
        let Ok(expiry) = resolve_expiry(choice, custom_date) else {
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
        save.run(patch);
    };

    view! {
        <tr class="is-editing">
            <td colspan="7">
                <form
                    class="edit-key-form"
                    aria-label=with_args(t(Tokens::EditKey), &[("name", &original)])
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
                        <TextInput id=format!("edit-{id}-name") label=t(Tokens::Name) value=name required=true error=name_error autofocus=true />
                        <TextInput id=format!("edit-{id}-description") label=t(Tokens::Description) value=description error=description_error />
                        <ExpiryInput prefix=format!("edit-{id}") choice=choice custom_date=custom_date error=expiry_error with_keep=true />
                    </div>
                    <p class="edit-key-current">{with_args(t(Tokens::CurrentExpiry), &[("expiry", &current_expiry)])}</p>
                    <FormAlert message=save.error_text() />
                    <div class="dialog-actions">
                        <CancelButton on_cancel=Callback::new(move |_| cancel()) />
                        <PendingButton label=t(Tokens::Save) pending_label=t(Tokens::Saving) pending=pending disabled=invalid />
                    </div>
                </form>
            </td>
        </tr>
    }
}
