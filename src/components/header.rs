//! The top bar: product name, theme toggle and, when signed in, the primary navigation and
//! the account menu (which holds the language switch); signed out, the language switch.
use crate::components::{
    language_select::LanguageSelect, theme_toggle::ThemeToggle, user_menu::UserMenu,
};
use crate::i18n::{catalogue::Common, t};
use crate::nav::href;
use crate::routes;
use crate::state::session::Session;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Header() -> impl IntoView {
    let session = expect_context::<Session>();
    view! {
        <header class="app-header">
            <A href=href(routes::START) attr:class="brand">{t(Common::AppName)}</A>
            <Show when=move || session.is_signed_in()>
                <nav class="primary-nav" aria-label=t(Common::PrimaryNav)>
                    <A href=href(&routes::applications())>{t(Common::Applications)}</A>
                    <A href=href(&routes::preferences())>{t(Common::Preferences)}</A>
                </nav>
            </Show>
            <div class="header-actions">
                <Show when=move || !session.is_signed_in()>
                    <LanguageSelect />
                </Show>
                <ThemeToggle />
                <Show when=move || session.is_signed_in()>
                    <UserMenu />
                </Show>
            </div>
        </header>
    }
}
