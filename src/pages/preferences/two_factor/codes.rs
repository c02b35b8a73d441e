//! A new set of recovery codes, shown once until the user says they stored them.
use super::{recovery_codes_text, Step, RECOVERY_CODES_FILE};
use crate::components::copy_button::{download_text_file, CopyButton};
use crate::components::form::FormAlert;
use crate::i18n::{catalogue::Account, t};
use leptos::prelude::*;

/// Step 3 (and after regenerating): the codes, shown once.
#[component]
pub fn ShowCodes(step: RwSignal<Step>, codes: Vec<String>) -> impl IntoView {
    let saved = RwSignal::new(false);
    let download_error = RwSignal::new(None::<String>);
    let text = recovery_codes_text(&codes);
    let download_failed = t(Account::DownloadFailed);
    let download = {
        let text = text.clone();
        move |_| {
            download_error.set(
                download_text_file(RECOVERY_CODES_FILE, &text)
                    .err()
                    .map(|_| download_failed.into()),
            );
        }
    };
    let print = move |_| {
        let _ = window().print();
    };
    view! {
        <div class="recovery-codes-panel">
            <h3>{t(Account::SaveCodesTitle)}</h3>
            <p id="recovery-codes-help">{t(Account::SaveCodesHelp)}</p>
            <ul class="recovery-codes" aria-label=t(Account::RecoveryCodes) aria-describedby="recovery-codes-help">
                {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
            </ul>
            <div class="actions no-print">
                <CopyButton text=text label=t(Account::CopyAll) accessible_name=t(Account::CopyAllCodes) />
                <button type="button" class="button" on:click=download>{t(Account::Download)}</button>
                <button type="button" class="button" on:click=print>{t(Account::Print)}</button>
            </div>
            <FormAlert message=download_error />
            <label class="checkbox no-print">
                <input
                    type="checkbox"
                    prop:checked=move || saved.get()
                    on:change=move |ev| saved.set(event_target_checked(&ev))
                />
                {t(Account::SavedCodes)}
            </label>
            <div class="actions no-print">
                <button
                    type="button"
                    class="button primary"
                    disabled=move || !saved.get()
                    on:click=move |_| step.set(Step::Overview)
                >
                    {t(Account::Done)}
                </button>
            </div>
        </div>
    }
}
