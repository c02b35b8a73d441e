//! A new set of recovery codes, shown once until the user says they stored them.
use super::{recovery_codes_text, Step, RECOVERY_CODES_FILE};
use crate::components::copy_button::{download_text_file, CopyButton};
use crate::components::form::FormAlert;
use leptos::prelude::*;

/// Step 3 (and after regenerating): the codes, shown once.
#[component]
pub fn ShowCodes(step: RwSignal<Step>, codes: Vec<String>) -> impl IntoView {
    let saved = RwSignal::new(false);
    let download_error = RwSignal::new(None::<String>);
    let text = recovery_codes_text(&codes);
    let download = {
        let text = text.clone();
        move |_| {
            download_error.set(
                download_text_file(RECOVERY_CODES_FILE, &text)
                    .err()
                    .map(|_| "The download did not start. Copy the codes instead.".into()),
            );
        }
    };
    let print = move |_| {
        let _ = window().print();
    };
    view! {
        <div class="recovery-codes-panel">
            <h3>"Save your recovery codes"</h3>
            <p id="recovery-codes-help">
                "If you lose your authenticator, each of these codes lets you log in once instead of an authentication code. "
                "They are shown only now: keep them somewhere safe, such as a password manager. Any earlier codes no longer work."
            </p>
            <ul class="recovery-codes" aria-label="Recovery codes" aria-describedby="recovery-codes-help">
                {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
            </ul>
            <div class="actions no-print">
                <CopyButton text=text label="Copy all" accessible_name="Copy all recovery codes" />
                <button type="button" class="button" on:click=download>"Download"</button>
                <button type="button" class="button" on:click=print>"Print"</button>
            </div>
            <FormAlert message=download_error />
            <label class="checkbox no-print">
                <input
                    type="checkbox"
                    prop:checked=move || saved.get()
                    on:change=move |ev| saved.set(event_target_checked(&ev))
                />
                "I have saved my recovery codes"
            </label>
            <div class="actions no-print">
                <button
                    type="button"
                    class="button primary"
                    disabled=move || !saved.get()
                    on:click=move |_| step.set(Step::Overview)
                >
                    "Done"
                </button>
            </div>
        </div>
    }
}
