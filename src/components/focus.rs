//! Moving focus after a re-render, so keyboard users continue where the change left them.
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Focuses the element with `id` on the next frame (after the current render).
pub fn focus_later(id: impl Into<String>) {
    let id = id.into();
    request_animation_frame(move || {
        let element = document().get_element_by_id(&id);
        if let Some(el) = element.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
        }
    });
}
