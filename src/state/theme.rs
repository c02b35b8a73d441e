//! Light/dark theme: follows `prefers-color-scheme` until the visitor picks one with the
//! toggle; the pick is remembered in `localStorage`. Applied as `data-theme` on `<html>` so
//! the stylesheet (and a host page) can key on it.
use leptos::prelude::*;
use wasm_bindgen::{closure::Closure, JsCast};

pub const THEME_KEY: &str = "account-console.theme";

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    /// `Some(true)`: the visitor chose dark; `None`: follow the system.
    chosen_dark: RwSignal<Option<bool>>,
    system_dark: RwSignal<bool>,
}

impl Theme {
    pub fn new() -> Self {
        let chosen_dark = stored_choice();
        let system_dark = RwSignal::new(false);
        if let Ok(Some(query)) = window().match_media("(prefers-color-scheme: dark)") {
            system_dark.set(query.matches());
            // Lives as long as the page: the system theme can change while the console is open.
            let on_change = Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
                if let Some(q) = ev
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::MediaQueryList>().ok())
                {
                    system_dark.set(q.matches());
                }
            });
            let _ = query
                .add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
            on_change.forget();
        }
        let theme = Theme {
            chosen_dark: RwSignal::new(chosen_dark),
            system_dark,
        };
        Effect::new(move |_| {
            let name = if theme.is_dark() { "dark" } else { "light" };
            if let Some(root) = document().document_element() {
                let _ = root.set_attribute("data-theme", name);
            }
        });
        theme
    }

    pub fn is_dark(&self) -> bool {
        self.chosen_dark
            .get()
            .unwrap_or_else(|| self.system_dark.get())
    }

    /// Switches to the other theme and remembers the choice.
    pub fn toggle(&self) {
        let dark = !self.is_dark();
        if let Ok(Some(storage)) = window().local_storage() {
            let _ = storage.set_item(THEME_KEY, if dark { "dark" } else { "light" });
        }
        self.chosen_dark.set(Some(dark));
    }
}

impl Default for Theme {
    fn default() -> Self {
        Self::new()
    }
}

fn stored_choice() -> Option<bool> {
    let stored = window()
        .local_storage()
        .ok()
        .flatten()?
        .get_item(THEME_KEY)
        .ok()
        .flatten()?;
    match stored.as_str() {
        "dark" => Some(true),
        "light" => Some(false),
        _ => None,
    }
}
