//! The top bar: product name, theme toggle and, when signed in, the primary navigation and
//! the account menu.
use crate::components::{theme_toggle::ThemeToggle, user_menu::UserMenu};
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
            <A href=href(routes::START) attr:class="brand">"Account Console"</A>
            <Show when=move || session.is_signed_in()>
                <nav class="primary-nav" aria-label="Primary">
                    <A href=href(&routes::applications())>"Applications"</A>
                    <A href=href(&routes::preferences())>"Preferences"</A>
                </nav>
            </Show>
            <div class="header-actions">
                <ThemeToggle />
                <Show when=move || session.is_signed_in()>
                    <UserMenu />
                </Show>
            </div>
        </header>
    }
}
