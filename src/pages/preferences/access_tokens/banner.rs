//! After login, every Preferences tab shows which API keys expire within 7 days, with a
//! link to extend each one (it opens that key's editor on the Access tokens tab).
use super::logic::{expiring_soon, key_name, pieces, time_until_text, Piece};
use crate::i18n::{catalogue::Tokens, plural, t, with_args};
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
                    {move || plural(soon.with(Vec::len) as u64, Tokens::ExpiringSoonOne, Tokens::ExpiringSoonOther)}
                </h2>
                <ul>
                    {move || soon.get().into_iter().map(|(id, name, when)| {
                        let link = href(&routes::edit_access_token(id));
                        let sentence = pieces(t(Tokens::KeyExpiresWhen))
                            .into_iter()
                            .map(|piece| match piece {
                                Piece::Text(text) => text.into_any(),
                                Piece::Arg("name") => view! {
                                    <span class="banner-key">{name.clone()}</span>
                                }
                                .into_any(),
                                Piece::Arg(_) => when.clone().into_any(),
                            })
                            .collect_view();
                        view! {
                            <li>
                                {sentence}
                                " "
                                <a href=link aria-label=with_args(t(Tokens::ExtendKey), &[("name", &name)])>
                                    {t(Tokens::Extend)}
                                </a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <button type="button" class="button ghost" on:click=move |_| keys.banner_dismissed.set(true)>
                    {t(Tokens::Dismiss)}
                </button>
            </section>
        </Show>
    }
}
