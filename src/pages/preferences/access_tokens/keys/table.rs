//! The API keys table: select one, several or all, and edit a key in place.
use super::row::KeyRow;
use super::selection_text;
use crate::api::ApiError;
use crate::i18n::{catalogue::Tokens, t};
use leptos::prelude::*;
use std::collections::HashSet;
use wire::ApiKeyRow;

#[component]
pub fn KeysTable(
    rows: Memo<Option<Result<Vec<ApiKeyRow>, ApiError>>>,
    all_ids: Memo<Vec<i64>>,
    selected: RwSignal<HashSet<i64>>,
    editing: RwSignal<Option<i64>>,
    now: RwSignal<f64>,
    delete_open: RwSignal<bool>,
) -> impl IntoView {
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

    view! {
        <div class="table-toolbar">
            <button
                type="button"
                class="button danger"
                disabled=move || selected_count.get() == 0
                on:click=move |_| delete_open.set(true)
            >
                {t(Tokens::DeleteSelected)}
            </button>
            <span class="selection-count" role="status">{move || selection_text(selected_count.get())}</span>
        </div>
        <div class="table-scroll">
            <table class="keys-table">
                <caption class="visually-hidden">{t(Tokens::KeysCaption)}</caption>
                <thead>
                    <tr>
                        <th scope="col" class="col-select">
                            <input
                                type="checkbox"
                                aria-label=t(Tokens::SelectAllKeys)
                                prop:checked=move || all_selected.get()
                                prop:indeterminate={move || !all_selected.get() && selected_count.get() > 0}
                                on:change=move |ev| toggle_all(event_target_checked(&ev))
                            />
                        </th>
                        <th scope="col">{t(Tokens::Name)}</th>
                        <th scope="col">{t(Tokens::Description)}</th>
                        <th scope="col">{t(Tokens::Created)}</th>
                        <th scope="col">{t(Tokens::Expiry)}</th>
                        <th scope="col">{t(Tokens::LastUsed)}</th>
                        <th scope="col"><span class="visually-hidden">{t(Tokens::Actions)}</span></th>
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
}
