//! After login, every Preferences tab shows which API keys expire within 7 days, with a
//! link to extend each one (it opens that key's editor on the Access tokens tab).
use super::logic::{expiring_soon, key_name, time_until_text};
use crate::nav::href;
use crate::routes;
use crate::state::api_keys::ApiKeys;
use leptos::prelude::*;

#[component]
pub fn ExpiringKeysBanner() -> impl IntoView {
    let keys = expect_context::<ApiKeys>();
    let soon = Memo::new(move |_| {
        let now = js_sys::Date::now();
        match keys.get() {
            Some(Ok(list)) => expiring_soon(now, &list)
                .into_iter()
                .map(|(row, ms)| (row.id, key_name(&row), time_until_text(now, ms)))
                .collect::<Vec<_>>(),
            _ => Vec::new(),
        }
    });
    let visible = move || !keys.banner_dismissed.get() && soon.with(|s| !s.is_empty());
    view! {
        <Show when=visible>
            <section class="banner banner-warning" aria-labelledby="expiring-keys-title">
                <h2 id="expiring-keys-title">
                    {move || match soon.with(Vec::len) {
                        1 => "1 API key expires soon".to_string(),
                        n => format!("{n} API keys expire soon"),
                    }}
                </h2>
                <ul>
                    {move || soon.get().into_iter().map(|(id, name, when)| {
                        let link = href(&routes::edit_access_token(id));
                        view! {
                            <li>
                                <span class="banner-key">{name.clone()}</span>
                                {format!(" expires {when}. ")}
                                <a href=link aria-label=format!("Extend {name}")>"Extend"</a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <button type="button" class="button ghost" on:click=move |_| keys.banner_dismissed.set(true)>
                    "Dismiss"
                </button>
            </section>
        </Show>
    }
}
