//! The account menu (WAI-ARIA menu button pattern): opening moves focus to the first item,
//! arrow keys/Home/End move between items, Esc closes and returns focus to the button, Tab
//! or a click outside closes it.
use crate::api::{auth, Client};
use crate::components::focus::focus_later;
use crate::i18n::{catalogue::Common, t, with_args, Language, Locale};
use crate::nav::href;
use crate::routes;
use crate::state::session::Session;
use crate::state::user::CurrentUser;
use leptos::{ev, html, prelude::*};
use leptos_router::hooks::use_navigate;
use wasm_bindgen::JsCast;

const BUTTON_ID: &str = "user-menu-button";

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
    let language = expect_context::<Language>();

    let items = move || -> Vec<web_sys::HtmlElement> {
        let Some(menu) = menu.get_untracked() else {
            return Vec::new();
        };
        let Ok(list) = menu.query_selector_all("[role=menuitem],[role=menuitemradio]") else {
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

    // The name starts with what the button shows (WCAG 2.5.3) and says what it opens.
    let name = move || user.username();
    let button_name = move || match name() {
        Some(n) => with_args(t(Common::AccountMenuOf), &[("name", &n)]),
        None => t(Common::AccountMenu).to_string(),
    };
    let choose = move |locale: Locale| {
        close(false);
        language.set(locale);
        // The switch renders the app anew: keep the keyboard where it was.
        focus_later(BUTTON_ID);
    };

    view! {
        <div class="user-menu" node_ref=wrapper>
            <button
                type="button"
                id=BUTTON_ID
                class="button ghost user-menu-button"
                node_ref=button
                aria-label=button_name
                aria-haspopup="menu"
                aria-controls="user-menu"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| if open.get_untracked() { close(false) } else { open_menu() }
                on:keydown=on_button_key
            >
                // Only the name as text (the caret is CSS): the button reads as who is signed in.
                <span class="user-menu-name">{move || name().unwrap_or_else(|| t(Common::AccountFallback).into())}</span>
            </button>
            <div
                id="user-menu"
                class="menu"
                role="menu"
                aria-label=t(Common::AccountMenu)
                node_ref=menu
                hidden=move || !open.get()
                on:keydown=on_menu_key
            >
                <a role="menuitem" tabindex="-1" href=href(&routes::preferences()) on:click=move |_| close(false)>
                    {t(Common::Preferences)}
                </a>
                <div role="group" aria-label=t(Common::Language) class="menu-group">
                    {Locale::ALL
                        .map(|locale| {
                            view! {
                                <button
                                    role="menuitemradio"
                                    tabindex="-1"
                                    type="button"
                                    lang=locale.tag()
                                    aria-checked=(language.get() == locale).to_string()
                                    on:click=move |_| choose(locale)
                                >
                                    {locale.autonym()}
                                </button>
                            }
                        })}
                </div>
                <button role="menuitem" tabindex="-1" type="button" on:click=log_out>
                    {t(Common::LogOut)}
                </button>
            </div>
        </div>
    }
}
