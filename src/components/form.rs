//! Pieces every form shares: the submit button with its pending state, and the alert that
//! carries the server's answer.
use leptos::prelude::*;

/// Disabled while the form is invalid or a request is pending; `aria-busy` and the changed
/// label tell assistive technology (and impatient people) that something is happening.
#[component]
pub fn SubmitButton(
    label: &'static str,
    pending_label: &'static str,
    #[prop(into)] pending: Signal<bool>,
    #[prop(into)] disabled: Signal<bool>,
) -> impl IntoView {
    view! {
        <button
            type="submit"
            class="button primary"
            disabled=move || disabled.get() || pending.get()
            aria-busy=move || pending.get().then_some("true")
        >
            {move || if pending.get() { pending_label } else { label }}
        </button>
    }
}

/// The error of the last submission, announced at once (`role="alert"`).
#[component]
pub fn FormAlert(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    move || {
        message
            .get()
            .map(|text| view! { <p class="form-alert" role="alert">{text}</p> })
    }
}
