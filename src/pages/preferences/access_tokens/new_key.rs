//! The "Your new API key" dialog, which shows a key exactly once.
use crate::components::copy_button::{download_text_file, CopyButton};
use crate::components::dialog::Dialog;
use crate::i18n::{catalogue::Tokens, t, with_args};
use leptos::prelude::*;

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
/// dialog cannot be dismissed (Esc, backdrop) until the user ticks [`Tokens::StoredKey`], and
/// closing it — Done, or Esc after ticking — clears `secret`, so the key leaves memory and
/// the page.
#[component]
pub fn NewKeyDialog(
    secret: RwSignal<Option<String>>,
    #[prop(into)] name: Signal<String>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let stored = RwSignal::new(false);
    let download_error = RwSignal::new(None::<&'static str>);
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
            download_error.set(Some(t(Tokens::DownloadFailed)));
        }
    };

    view! {
        <Dialog
            open=open
            title=t(Tokens::NewKeyTitle)
            dismissable=Signal::derive(move || stored.get())
            describedby="new-key-warning"
            class="dialog-secret"
        >
            <div class="dialog-body">
                <p class="warning" id="new-key-warning">{t(Tokens::NewKeyWarning)}</p>
                <div class="field">
                    <label for="new-key-value">
                        {move || name.with(|n| with_args(t(Tokens::NewKeyLabel), &[("name", n)]))}
                    </label>
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
                    <CopyButton text=key_text accessible_name=t(Tokens::CopyApiKey) autofocus=true />
                    <button type="button" class="button" aria-label=t(Tokens::DownloadApiKey) on:click=download>
                        {t(Tokens::Download)}
                    </button>
                </div>
                {move || download_error.get().map(|e| view! { <p class="form-alert" role="alert">{e}</p> })}
                <label class="checkbox">
                    <input
                        type="checkbox"
                        name="new-key-stored"
                        prop:checked=move || stored.get()
                        on:change=move |ev| stored.set(event_target_checked(&ev))
                    />
                    {t(Tokens::StoredKey)}
                </label>
                <div class="dialog-actions">
                    <button type="button" class="button primary" disabled=move || !stored.get() on:click=close>
                        {t(Tokens::Done)}
                    </button>
                </div>
            </div>
        </Dialog>
    }
}
