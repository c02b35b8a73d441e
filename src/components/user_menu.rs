//! The account menu (WAI-ARIA menu button pattern): opening moves focus to the first item,
//! arrow keys/Home/End move between items, Esc closes and returns focus to the button, Tab
//! or a click outside closes it.
use crate::api::{auth, Client};
use crate::nav::href;
use crate::routes;
use crate::state::session::Session;
use crate::state::user::CurrentUser;
use leptos::{ev, html, prelude::*};
use leptos_router::hooks::use_navigate;
use wasm_bindgen::JsCast;

#[component]
pub fn UserMenu() -> impl IntoView {
    let session = expect_context::<Session>();
    let user = expect_context::<CurrentUser>();
    let client = Client::from_context();
    let navigate = use_navigate();
    let open = RwSignal::new(false);
    let wrapper = NodeRef::<html::Div>::new();
    let button = NodeRef::<html::Button>::new();
    let menu = NodeRef::<html::Div>::new();

    let items = move || -> Vec<web_sys::HtmlElement> {
        let Some(menu) = menu.get_untracked() else {
            return Vec::new();
        };
        let Ok(list) = menu.query_selector_all("[role=menuitem]") else {
            return Vec::new();
        };
        (0..list.length())
            .filter_map(|i| list.item(i)?.dyn_into().ok())
            .collect()
    };
    // Negative indexes count from the end; anything else wraps around.
    let focus_item = move |index: i32| {
        let items = items();
        if !items.is_empty() {
            let len = items.len() as i32;
            let _ = items[index.rem_euclid(len) as usize].focus();
        }
    };
    let open_menu = move || {
        open.set(true);
        // The menu is un-hidden by the next render; focus once it is visible.
        request_animation_frame(move || focus_item(0));
    };
    let close = move |refocus: bool| {
        open.set(false);
        if refocus {
            if let Some(b) = button.get_untracked() {
                let _ = b.focus();
            }
        }
    };

    let outside_click = window_event_listener(ev::click, move |ev| {
        let target = ev.target().and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        let inside = wrapper
            .get_untracked()
            .zip(target)
            .is_some_and(|(w, t)| w.contains(Some(&t)));
        if open.get_untracked() && !inside {
            open.set(false);
        }
    });
    on_cleanup(move || outside_click.remove());

    let on_menu_key = move |ev: ev::KeyboardEvent| {
        let current = document().active_element();
        let position = items()
            .iter()
            .position(|i| current.as_ref() == Some(i.as_ref()))
            .unwrap_or(0) as i32;
        match ev.key().as_str() {
            "ArrowDown" => focus_item(position + 1),
            "ArrowUp" => focus_item(position - 1),
            "Home" => focus_item(0),
            "End" => focus_item(-1),
            "Escape" => close(true),
            "Tab" => {
                close(false);
                return;
            }
            _ => return,
        }
        ev.prevent_default();
    };
    let on_button_key = move |ev: ev::KeyboardEvent| {
        if matches!(ev.key().as_str(), "ArrowDown" | "ArrowUp") {
            ev.prevent_default();
            open_menu();
        }
    };

    let log_out = move |_| {
        close(false);
        auth::log_out(&client, session);
        navigate(&routes::login(), Default::default());
    };

    view! {
        <div class="user-menu" node_ref=wrapper>
            <button
                type="button"
                id="user-menu-button"
                class="button ghost user-menu-button"
                node_ref=button
                aria-label="Account menu"
                aria-haspopup="menu"
                aria-controls="user-menu"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| if open.get_untracked() { close(false) } else { open_menu() }
                on:keydown=on_button_key
            >
                // Only the name as text (the caret is CSS): the button reads as who is signed in.
                <span class="user-menu-name">{move || user.username().unwrap_or_else(|| "Account".into())}</span>
            </button>
            <div
                id="user-menu"
                class="menu"
                role="menu"
                aria-labelledby="user-menu-button"
                node_ref=menu
                hidden=move || !open.get()
                on:keydown=on_menu_key
            >
                <a role="menuitem" tabindex="-1" href=href(&routes::preferences()) on:click=move |_| close(false)>
                    "Preferences"
                </a>
                <button role="menuitem" tabindex="-1" type="button" on:click=log_out>
                    "Log out"
                </button>
            </div>
        </div>
    }
}
