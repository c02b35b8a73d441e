//! A labelled input whose validation message appears once the visitor has touched it.
use leptos::prelude::*;

/// `error` is the current validation result; it is shown only after the first input or
/// blur, so an untouched form is not covered in red. The message is tied to the input with
/// `aria-describedby` and flagged with `aria-invalid`, so screen readers read it with the
/// field.
#[component]
pub fn Field(
    /// Unique id of the input; the message gets `<id>-error`.
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    /// `autocomplete` token, which password managers rely on.
    autocomplete: &'static str,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional, into)] error: Signal<Option<&'static str>>,
) -> impl IntoView {
    let touched = RwSignal::new(false);
    let error_id = format!("{id}-error");
    let shown = move || if touched.get() { error.get() } else { None };
    let described_by = {
        let error_id = error_id.clone();
        move || shown().map(|_| error_id.clone())
    };

    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input
                id=id
                name=id
                type=input_type
                autocomplete=autocomplete
                required=true
                prop:value=move || value.get()
                aria-invalid=move || shown().map(|_| "true")
                aria-describedby=described_by
                on:input=move |ev| {
                    value.set(event_target_value(&ev));
                    touched.set(true);
                }
                on:blur=move |_| touched.set(true)
            />
            {move || shown().map(|message| view! {
                <p class="field-error" id=error_id.clone()>{message}</p>
            })}
        </div>
    }
}
