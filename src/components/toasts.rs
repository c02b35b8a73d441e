//! The live region for transient messages. Polite, so it never interrupts what a screen
//! reader is saying; it deliberately has no `role="status"` — the login page's notice owns
//! that role.
use crate::i18n::{catalogue::Common, t};
use crate::state::toast::{Toast, Toasts};
use leptos::prelude::*;

#[component]
pub fn ToastRegion() -> impl IntoView {
    let toasts = expect_context::<Toasts>();
    view! {
        <div class="toasts" aria-live="polite">
            <For
                each=move || toasts.items()
                key=|toast| toast.id
                children=move |Toast { id, text }| {
                    view! {
                        <div class="toast">
                            <span>{text}</span>
                            <button
                                type="button"
                                class="toast-close"
                                aria-label=t(Common::Dismiss)
                                on:click=move |_| toasts.dismiss(id)
                            >
                                "×"
                            </button>
                        </div>
                    }
                }
            />
        </div>
    }
}
