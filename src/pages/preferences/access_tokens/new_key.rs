//! The "Your new API key" dialog, which shows a key exactly once.
use crate::components::copy_button::{download_text_file, CopyButton};
use crate::components::dialog::Dialog;
use leptos::prelude::*;

pub const NEW_KEY_WARNING: &str = "This is the only time this key will be shown. Copy it or \
    download it and keep it somewhere safe, such as a password manager: once you close this \
    dialog it cannot be shown again. If you lose it, create a new key.";
pub const STORED_LABEL: &str = "I have stored this key somewhere safe";

/// A file name for the downloaded key: `api-key-<name>.txt`, letters, digits, `-` and `_`.
pub fn key_file_name(name: &str) -> String {
    let slug: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let slug = slug.trim_matches('-');
    if slug.is_empty() {
        "api-key.txt".to_string()
    } else {
        format!("api-key-{slug}.txt")
    }
}

/// Shows a newly created key exactly once. `secret` holds it while the dialog is open; the
/// dialog cannot be dismissed (Esc, backdrop) until the user ticks [`STORED_LABEL`], and
/// closing it — Done, or Esc after ticking — clears `secret`, so the key leaves memory and
/// the page.
#[component]
pub fn NewKeyDialog(
    secret: RwSignal<Option<String>>,
    #[prop(into)] name: Signal<String>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let stored = RwSignal::new(false);
    let download_error = RwSignal::new(None::<String>);
    // Open while there is a key; forget the key (and the tick) once closed.
    Effect::new(move |_| {
        if secret.with(Option::is_some) {
            open.set(true);
        }
    });
    Effect::new(move |was_open: Option<bool>| {
        let is_open = open.get();
        if !is_open && was_open == Some(true) {
            secret.set(None);
            stored.set(false);
            download_error.set(None);
        }
        is_open
    });
    let key_text = Signal::derive(move || secret.get().unwrap_or_default());
    let close = move |_| {
        if stored.get_untracked() {
            open.set(false);
        }
    };
    let download = move |_| {
        let file = key_file_name(&name.get_untracked());
        let text = format!("{}\n", key_text.get_untracked());
        download_error.set(None);
        if download_text_file(&file, &text).is_err() {
            download_error.set(Some(
                "The download could not start. Copy the key instead.".to_string(),
            ));
        }
    };

    view! {
        <Dialog
            open=open
            title="Your new API key"
            dismissable=Signal::derive(move || stored.get())
            describedby="new-key-warning"
            class="dialog-secret"
        >
            <div class="dialog-body">
                <p class="warning" id="new-key-warning">{NEW_KEY_WARNING}</p>
                <div class="field">
                    <label for="new-key-value">{move || format!("API key “{}”", name.get())}</label>
                    <input
                        id="new-key-value"
                        class="secret-value"
                        type="text"
                        readonly=true
                        autocomplete="off"
                        spellcheck="false"
                        prop:value=move || key_text.get()
                        on:focus=move |ev| {
                            use wasm_bindgen::JsCast;
                            if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                                input.select();
                            }
                        }
                    />
                </div>
                <div class="secret-actions">
                    <CopyButton text=key_text accessible_name="Copy API key" autofocus=true />
                    <button type="button" class="button" aria-label="Download API key" on:click=download>"Download"</button>
                </div>
                {move || download_error.get().map(|e| view! { <p class="form-alert" role="alert">{e}</p> })}
                <label class="checkbox">
                    <input
                        type="checkbox"
                        name="new-key-stored"
                        prop:checked=move || stored.get()
                        on:change=move |ev| stored.set(event_target_checked(&ev))
                    />
                    {STORED_LABEL}
                </label>
                <div class="dialog-actions">
                    <button type="button" class="button primary" disabled=move || !stored.get() on:click=close>
                        "Done"
                    </button>
                </div>
            </div>
        </Dialog>
    }
}
