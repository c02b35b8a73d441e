//! The member-type dropdown: each option names a type with its one-line description; the
//! types the organization's plan does not allow are disabled and marked "(paid plan)".
use crate::pages::applications::logic::{
    member_type_option_text, member_type_short_text, MemberType, Plan,
};
use leptos::prelude::*;

/// A `<select>` of the assignable member types (values: the role names).
///
/// * `label`: the accessible name (a visible `<label>` when `visible_label`, else
///   `aria-label`).
/// * `value`: the chosen type; `on_change` is called with the new one.
#[component]
pub fn MemberTypeSelect(
    id: String,
    #[prop(into)] label: String,
    #[prop(optional)] visible_label: bool,
    #[prop(into)] plan: Signal<Plan>,
    #[prop(into)] value: Signal<MemberType>,
    on_change: Callback<MemberType>,
    #[prop(optional, into)] disabled: Signal<bool>,
    #[prop(optional)] describedby: Option<String>,
    /// Labels only (table rows, where the permissions table explains the types).
    #[prop(optional)]
    compact: bool,
) -> impl IntoView {
    let aria_label = (!visible_label).then(|| label.clone());
    view! {
        {visible_label.then(|| view! { <label for=id.clone()>{label.clone()}</label> })}
        <select
            id=id.clone()
            class=if compact { "member-type-select compact" } else { "member-type-select" }
            aria-label=aria_label
            aria-describedby=describedby
            disabled=move || disabled.get()
            on:change=move |ev| {
                if let Some(t) = MemberType::from_role_name(&event_target_value(&ev)) {
                    on_change.run(t);
                }
            }
        >
            {MemberType::ASSIGNABLE
                .iter()
                .map(|&t| {
                    let name = t.role_name().unwrap_or_default();
                    view! {
                        <option
                            value=name
                            prop:selected=move || value.get() == t
                            // The current type stays selectable even if the plan no longer allows it.
                            disabled=move || !plan.get().allows(t) && value.get() != t
                        >
                            {move || {
                                if compact {
                                    member_type_short_text(t, plan.get())
                                } else {
                                    member_type_option_text(t, plan.get())
                                }
                            }}
                        </option>
                    }
                })
                .collect_view()}
        </select>
    }
}
