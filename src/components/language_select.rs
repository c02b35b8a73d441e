//! The language switch for visitors who are not signed in (signed in, it is in the account
//! menu): a labelled `<select>`, each language named in itself.
use crate::components::focus::focus_later;
use crate::i18n::{catalogue::Common, t, Language, Locale};
use leptos::prelude::*;

#[component]
pub fn LanguageSelect() -> impl IntoView {
    let language = expect_context::<Language>();
    let current = language.get();
    let on_change = move |ev: leptos::ev::Event| {
        if let Some(locale) = Locale::from_tag(&event_target_value(&ev)) {
            language.set(locale);
            // The switch renders the app anew: keep the keyboard on the switch.
            focus_later(SELECT_ID);
        }
    };
    view! {
        <div class="language-select">
            <label for=SELECT_ID>{t(Common::Language)}</label>
            <select id=SELECT_ID on:change=on_change>
                {Locale::ALL
                    .map(|locale| {
                        view! {
                            <option value=locale.tag() lang=locale.tag() selected=locale == current>
                                {locale.autonym()}
                            </option>
                        }
                    })}
            </select>
        </div>
    }
}

const SELECT_ID: &str = "language-select";
