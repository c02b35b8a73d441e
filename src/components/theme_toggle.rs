//! A toggle button (`aria-pressed`), named "Dark theme" in every state so its name never
//! contradicts its pressed state.
use crate::i18n::{catalogue::Common, t};
use crate::state::theme::Theme;
use leptos::prelude::*;

#[component]
pub fn ThemeToggle() -> impl IntoView {
    let theme = expect_context::<Theme>();
    view! {
        <button
            type="button"
            class="button ghost theme-toggle"
            aria-pressed=move || theme.is_dark().to_string()
            on:click=move |_| theme.toggle()
        >
            <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                <path d="M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8z" />
            </svg>
            <span class="theme-toggle-label">{t(Common::DarkTheme)}</span>
        </button>
    }
}
