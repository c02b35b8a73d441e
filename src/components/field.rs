//! The one labelled text input: its validation message appears once the visitor has touched
//! it (or tried to submit), tied to the input for screen readers.
use leptos::prelude::*;

/// `error` is the current validation result; it is shown only after the first input or
/// blur (or once `force` is set by a submit attempt), so an untouched form is not covered in
/// red. The message and the optional `hint` are tied to the input with `aria-describedby`,
/// and `aria-invalid` flags the error, so screen readers read them with the field.
#[component]
pub fn TextInput(
    /// Unique id of the input; the message gets `<id>-error`, the hint `<id>-hint`.
    #[prop(into)]
    id: String,
    #[prop(into)] label: TextProp,
    value: RwSignal<String>,
    #[prop(default = "text")] input_type: &'static str,
    /// `autocomplete` token, which password managers rely on.
    #[prop(default = "off")]
    autocomplete: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] error: Signal<Option<&'static str>>,
    /// Shows the message even before the field is touched (after a submit attempt).
    #[prop(optional, into)]
    force: Signal<bool>,
    #[prop(optional)] autofocus: bool,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] maxlength: Option<u32>,
    /// Names and addresses typed as they are: no capitalising, no spell checking.
    #[prop(optional)]
    verbatim: bool,
) -> impl IntoView {
    let touched = RwSignal::new(false);
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let shown = move || {
        if touched.get() || force.get() {
            error.get()
        } else {
            None
        }
    };
    let described_by = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || {
            let ids: Vec<&str> = [
                hint.map(|_| hint_id.as_str()),
                shown().map(|_| error_id.as_str()),
            ]
            .into_iter()
            .flatten()
            .collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field">
            <label for=id.clone()>{move || label.get()}</label>
            <input
                id=id.clone()
                name=id.clone()
                type=input_type
                autocomplete=autocomplete
                required=required
                data-autofocus=autofocus.then_some("")
                maxlength=maxlength
                autocapitalize=verbatim.then_some("none")
                spellcheck=verbatim.then_some("false")
                prop:value=move || value.get()
                aria-invalid=move || shown().map(|_| "true")
                aria-describedby=described_by
                on:input=move |ev| {
                    value.set(event_target_value(&ev));
                    touched.set(true);
                }
                on:blur=move |_| touched.set(true)
            />
            {hint.map(|text| view! { <p class="hint" id=hint_id.clone()>{text}</p> })}
            {move || shown().map(|message| view! { <p class="field-error" id=error_id.clone()>{message}</p> })}
        </div>
    }
}
