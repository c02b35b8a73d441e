//! An accessible modal dialog (WAI-ARIA dialog pattern).
//!
//! `role="dialog"`, `aria-modal="true"`, named by its heading (`aria-labelledby`). Opening it
//! moves focus inside (to the first `[data-autofocus]` element, else the first focusable
//! one of the content, else the dialog itself); Tab and Shift+Tab cycle within it; closing it returns
//! focus to the element that had it when the dialog opened. Esc, the backdrop and the
//! "Close" button dismiss it unless `dismissable` is false (the show-once API key modal uses
//! that until the user has confirmed they stored the key). No inline styles: the layout is
//! in `style/main.css` (`.dialog-*`).
use crate::i18n::{catalogue::Common, t};
use leptos::{ev, html, prelude::*};
use std::sync::atomic::{AtomicUsize, Ordering};
use wasm_bindgen::JsCast;

/// What Tab may land on inside a dialog.
const FOCUSABLE: &str = "a[href], button:not([disabled]), input:not([disabled]), \
    select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";

static NEXT_ID: AtomicUsize = AtomicUsize::new(0);

/// A page-unique id for a dialog's heading.
fn next_title_id() -> String {
    format!("dialog-{}-title", NEXT_ID.fetch_add(1, Ordering::Relaxed))
}

/// The focusable, rendered elements inside `root`, in document order.
pub fn focusable_elements(root: &web_sys::Element) -> Vec<web_sys::HtmlElement> {
    let Ok(list) = root.query_selector_all(FOCUSABLE) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<web_sys::HtmlElement>().ok())
        // Hidden elements (and those inside `[hidden]`) have no boxes.
        .filter(|e| e.get_client_rects().length() > 0)
        .collect()
}

/// Moves focus into `root`: `[data-autofocus]`, else the first focusable element of the
/// content (the Close button only if there is nothing else), else `root`.
fn focus_initial(root: &web_sys::HtmlElement) {
    let preferred = root
        .query_selector("[data-autofocus]")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    let focusable = focusable_elements(root);
    let target = preferred
        .or_else(|| {
            focusable
                .iter()
                .find(|e| !e.class_list().contains("dialog-close"))
                .cloned()
        })
        .or_else(|| focusable.into_iter().next());
    match target {
        Some(t) => {
            let _ = t.focus();
        }
        None => {
            let _ = root.focus();
        }
    }
}

/// A modal dialog, rendered only while `open` is true.
///
/// * `open`: set it to true to open; the dialog sets it to false when dismissed (Esc,
///   backdrop, Close button), and the caller sets it to false for its own buttons.
/// * `title`: the heading text, which is also the dialog's accessible name.
/// * `dismissable`: when false, Esc, the backdrop and the Close button do nothing (default:
///   always dismissable).
/// * `on_close`: called after a dismissal by Esc, backdrop or Close button (not when the
///   caller closes it by setting `open`).
/// * `describedby`: id of an element inside `children` that describes the dialog.
/// * `class`: extra classes for the dialog box (e.g. `"dialog-wide"`).
#[component]
pub fn Dialog(
    open: RwSignal<bool>,
    #[prop(into)] title: Signal<String>,
    #[prop(optional, into)] dismissable: Option<Signal<bool>>,
    #[prop(optional, into)] on_close: Option<Callback<()>>,
    #[prop(optional)] describedby: Option<&'static str>,
    #[prop(optional)] class: &'static str,
    children: ChildrenFn,
) -> impl IntoView {
    let title_id = next_title_id();
    let dismissable = dismissable.unwrap_or_else(|| Signal::from(true));
    let panel = NodeRef::<html::Div>::new();
    let opener = StoredValue::new_local(None::<web_sys::HtmlElement>);

    Effect::new(move |was_open: Option<bool>| {
        let is_open = open.get();
        if is_open && was_open != Some(true) {
            let active = document()
                .active_element()
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            opener.set_value(active);
            // The panel is rendered by now, but not necessarily laid out: focus next frame.
            request_animation_frame(move || {
                if let Some(p) = panel.get_untracked() {
                    focus_initial(&p);
                }
            });
        } else if !is_open && was_open == Some(true) {
            if let Some(el) = opener.get_value() {
                if el.is_connected() {
                    let _ = el.focus();
                }
            }
            opener.set_value(None);
        }
        is_open
    });

    let dismiss = move || {
        if dismissable.get_untracked() {
            open.set(false);
            if let Some(cb) = on_close {
                cb.run(());
            }
        }
    };

    let on_keydown = move |ev: ev::KeyboardEvent| match ev.key().as_str() {
        "Escape" => {
            // Handled here: an outer dialog (if any) must not close as well.
            ev.stop_propagation();
            ev.prevent_default();
            dismiss();
        }
        "Tab" => {
            let Some(p) = panel.get_untracked() else {
                return;
            };
            let items = focusable_elements(&p);
            let (Some(first), Some(last)) = (items.first(), items.last()) else {
                ev.prevent_default();
                return;
            };
            let active = document().active_element();
            let inside = active
                .as_ref()
                .is_some_and(|a| p.contains(Some(a.unchecked_ref())));
            let on = |e: &web_sys::HtmlElement| active.as_ref() == Some(e.unchecked_ref());
            if ev.shift_key() && (on(first) || !inside || active.as_ref() == Some(p.as_ref())) {
                ev.prevent_default();
                let _ = last.focus();
            } else if !ev.shift_key() && (on(last) || !inside) {
                ev.prevent_default();
                let _ = first.focus();
            }
        }
        _ => {}
    };

    // Only a click that starts and ends on the backdrop itself closes: a text selection
    // dragged out of the panel must not.
    let pressed_on_backdrop = StoredValue::new(false);
    let on_backdrop_down = move |ev: ev::MouseEvent| {
        pressed_on_backdrop.set_value(ev.target() == ev.current_target());
    };
    let on_backdrop_click = move |ev: ev::MouseEvent| {
        let on_backdrop = ev.target() == ev.current_target() && pressed_on_backdrop.get_value();
        pressed_on_backdrop.set_value(false);
        if !on_backdrop {
            return;
        }
        if dismissable.get_untracked() {
            dismiss();
        } else if let Some(p) = panel.get_untracked() {
            // Keep focus in the dialog rather than on the page behind it.
            let _ = p.focus();
        }
    };

    let box_class = if class.is_empty() {
        "dialog".to_string()
    } else {
        format!("dialog {class}")
    };

    view! {
        <Show when=move || open.get()>
            <div class="dialog-backdrop" on:mousedown=on_backdrop_down on:click=on_backdrop_click>
                <div
                    class=box_class.clone()
                    role="dialog"
                    aria-modal="true"
                    aria-labelledby=title_id.clone()
                    aria-describedby=describedby
                    tabindex="-1"
                    node_ref=panel
                    on:keydown=on_keydown
                >
                    <div class="dialog-header">
                        <h2 id=title_id.clone()>{move || title.get()}</h2>
                        <Show when=move || dismissable.get()>
                            <button
                                type="button"
                                class="button ghost dialog-close"
                                aria-label=t(Common::Close)
                                on:click=move |_| dismiss()
                            >
                                "×"
                            </button>
                        </Show>
                    </div>
                    {children()}
                </div>
            </div>
        </Show>
    }
}
