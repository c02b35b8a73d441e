//! Pieces every form and dialog shares: the button that runs an action with its pending
//! state, the Cancel button, and the alert that carries the server's answer.
use crate::i18n::{catalogue::Common, t};
use leptos::prelude::*;

/// Disabled while `disabled` holds or the action is pending; `aria-busy` and the changed
/// label tell assistive technology (and impatient people) that something is happening.
/// Without `on_click` it submits its form.
#[component]
pub fn PendingButton(
    #[prop(into)] label: TextProp,
    pending_label: &'static str,
    #[prop(into)] pending: Signal<bool>,
    #[prop(optional, into)] disabled: Signal<bool>,
    /// The destructive style, for actions that cannot be undone.
    #[prop(optional)]
    danger: bool,
    #[prop(optional)] on_click: Option<Callback<()>>,
) -> impl IntoView {
    view! {
        <button
            type=if on_click.is_some() { "button" } else { "submit" }
            class=if danger { "button danger" } else { "button primary" }
            disabled=move || disabled.get() || pending.get()
            aria-busy=move || pending.get().then_some("true")
            on:click=move |_| {
                if let Some(run) = on_click {
                    run.run(());
                }
            }
        >
            {move || if pending.get() { pending_label.to_string() } else { label.get().to_string() }}
        </button>
    }
}

/// "Cancel" in a dialog's actions. `autofocus` when the dialog's other action is
/// destructive, so Enter does not confirm it by accident.
#[component]
pub fn CancelButton(
    on_cancel: Callback<()>,
    #[prop(optional)] autofocus: bool,
    #[prop(optional, into)] disabled: Signal<bool>,
) -> impl IntoView {
    view! {
        <button
            type="button"
            class="button"
            data-autofocus=autofocus.then_some("")
            disabled=move || disabled.get()
            on:click=move |_| on_cancel.run(())
        >
            {t(Common::Cancel)}
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
