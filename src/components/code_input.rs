//! The input for a 6-digit authenticator code: numeric keypad on phones, the browser's
//! one-time-code autofill, and only digits kept (at most six), also when pasted with spaces.
use crate::api::two_factor::sanitize_totp_input;
use crate::i18n::{catalogue::Auth, t};
use leptos::{html, prelude::*};

#[component]
pub fn CodeInput(
    id: &'static str,
    #[prop(default = t(Auth::AuthenticationCode))] label: &'static str,
    value: RwSignal<String>,
    /// Id of an element that describes the input (e.g. the error message).
    #[prop(optional, into)]
    describedby: Signal<Option<String>>,
    #[prop(optional, into)] invalid: Signal<bool>,
) -> impl IntoView {
    let input = NodeRef::<html::Input>::new();
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input
                id=id
                name=id
                type="text"
                class="code-input"
                inputmode="numeric"
                autocomplete="one-time-code"
                pattern="[0-9]{6}"
                required=true
                node_ref=input
                prop:value=move || value.get()
                aria-invalid=move || invalid.get().then_some("true")
                aria-describedby=move || describedby.get()
                on:input=move |_| {
                    let Some(el) = input.get_untracked() else { return };
                    let clean = sanitize_totp_input(&el.value());
                    // The signal may not change (a letter typed after "123"): fix the DOM too.
                    if el.value() != clean {
                        el.set_value(&clean);
                    }
                    value.set(clean);
                }
            />
        </div>
    }
}
