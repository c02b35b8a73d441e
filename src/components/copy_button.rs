//! Copy to the clipboard with visible, announced feedback, and saving text as a file.
use crate::i18n::{catalogue::Common, t};
use leptos::{prelude::*, task::spawn_local_scoped};
use std::time::Duration;
use wasm_bindgen::{JsCast, JsValue};

/// How long "Copied" stays (a failure stays until the next attempt).
const COPIED_LIFETIME: Duration = Duration::from_secs(4);

/// Writes `text` with the asynchronous Clipboard API. Fails when the API is missing
/// (insecure origin), the permission is refused or the document has no focus.
pub async fn copy_to_clipboard(text: &str) -> Result<(), JsValue> {
    let clipboard = window().navigator().clipboard();
    // `navigator.clipboard` is undefined outside secure contexts, which web-sys can't express.
    if JsValue::from(clipboard.clone()).is_undefined() {
        return Err(JsValue::from_str("no clipboard"));
    }
    wasm_bindgen_futures::JsFuture::from(clipboard.write_text(text))
        .await
        .map(drop)
}

/// A button that copies `text`, then says "Copied" or "Copy failed — …" next to itself in a
/// polite live region (visible and announced).
///
/// * `label`: the visible text (default "Copy").
/// * `accessible_name`: an `aria-label` when the visible label alone is ambiguous
///   (e.g. "Copy API key"); it should contain the visible label.
#[component]
pub fn CopyButton(
    #[prop(into)] text: Signal<String>,
    #[prop(default = t(Common::Copy))] label: &'static str,
    #[prop(optional)] accessible_name: Option<&'static str>,
    /// Put focus here when a dialog opens.
    #[prop(optional)]
    autofocus: bool,
) -> impl IntoView {
    let feedback = RwSignal::new(None::<&'static str>);
    let attempt = StoredValue::new(0u64);
    let on_click = move |_| {
        let value = text.get_untracked();
        attempt.update_value(|n| *n += 1);
        let this_attempt = attempt.get_value();
        feedback.set(None);
        spawn_local_scoped(async move {
            match copy_to_clipboard(&value).await {
                Ok(()) => {
                    feedback.try_set(Some(t(Common::Copied)));
                    set_timeout(
                        move || {
                            if attempt.try_get_value() == Some(this_attempt) {
                                feedback.try_set(None);
                            }
                        },
                        COPIED_LIFETIME,
                    );
                }
                Err(_) => {
                    feedback.try_set(Some(t(Common::CopyFailed)));
                }
            }
        });
    };
    view! {
        <span class="copy-button">
            <button
                type="button"
                class="button"
                aria-label=accessible_name
                data-autofocus=autofocus.then_some("")
                on:click=on_click
            >
                {label}
            </button>
            <span
                class="copy-feedback"
                class:copy-failed=move || feedback.get() == Some(t(Common::CopyFailed))
                role="status"
            >
                {move || feedback.get()}
            </span>
        </span>
    }
}

/// Offers `text` as a download named `filename` (a Blob, an object URL and a temporary
/// `<a download>`); the URL is revoked once the browser has started the download.
pub fn download_text_file(filename: &str, text: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/plain;charset=utf-8");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let doc = document();
    let link: web_sys::HtmlAnchorElement = doc.create_element("a")?.unchecked_into();
    link.set_href(&url);
    link.set_download(filename);
    link.set_hidden(true);
    let body = doc.body().ok_or_else(|| JsValue::from_str("no body"))?;
    body.append_child(&link)?;
    link.click();
    link.remove();
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        Duration::from_secs(1),
    );
    Ok(())
}
