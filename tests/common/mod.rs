//! Helpers shared by the console's component-test files (each file is its own test crate and
//! uses only some of them, hence the `dead_code` allowance).
#![allow(dead_code)]

pub mod fetch;

use account_console::provide_app_contexts;
use account_console::state::config::Config;
use leptos::prelude::*;
use leptos_router::components::Router;
use std::any::Any;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

/// Mounts `view` with every app context inside a router, on a fresh div. Keep the returned
/// handle alive for the test: dropping it unmounts.
pub fn mount<N: IntoView + 'static>(
    view: impl FnOnce() -> N + Send + 'static,
) -> (HtmlElement, Box<dyn Any>) {
    let doc = document();
    let div: HtmlElement = doc.create_element("div").unwrap().unchecked_into();
    doc.body().unwrap().append_child(&div).unwrap();
    let handle = leptos::mount::mount_to(div.clone(), move || {
        provide_app_contexts(Config::default());
        view! { <Router>{view()}</Router> }
    });
    (div, Box::new(handle))
}

/// The element matching `selector`, cast to `T`; panics naming the selector when there is none.
pub fn find<T: JsCast>(root: &HtmlElement, selector: &str) -> T {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element matches {selector}"))
        .unchecked_into()
}

pub fn text_of(root: &HtmlElement, selector: &str) -> Option<String> {
    root.query_selector(selector)
        .unwrap()
        .map(|e| e.text_content().unwrap_or_default())
}

pub fn exists(root: &HtmlElement, selector: &str) -> bool {
    root.query_selector(selector).unwrap().is_some()
}
