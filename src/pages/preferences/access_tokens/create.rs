//! The "Create API key" dialog and its expiry input (shared with the key editor).
use super::logic::{ExpiryChoice, PRESET_DAYS};
use crate::api::{api_key, Client};
use crate::components::dialog::Dialog;
use crate::components::field::TextInput;
use crate::components::form::{CancelButton, FormAlert, PendingButton};
use crate::i18n::{catalogue::Tokens, invalid_text, t};
use crate::state::write::Write;
use leptos::{ev::SubmitEvent, prelude::*};
use wire::{validate, CreateApiKeyRequest};

/// The expiry a new key gets unless the user picks another.
pub const DEFAULT_EXPIRY: ExpiryChoice = ExpiryChoice::Days(30);

/// The choices of the expiry `<select>` (`keep` only when editing).
pub fn expiry_choices(with_keep: bool) -> Vec<ExpiryChoice> {
    let mut choices = Vec::new();
    if with_keep {
        choices.push(ExpiryChoice::Keep);
    }
    choices.extend(PRESET_DAYS.iter().map(|d| ExpiryChoice::Days(*d)));
    choices.push(ExpiryChoice::Custom);
    choices.push(ExpiryChoice::Never);
    choices
}

/// Why `name` is not a valid key name, in the console's language. The server's rule decides
/// whether it is valid; only the wording is the console's.
pub fn name_error(name: &str) -> Option<&'static str> {
    validate::api_key_name(name).err().map(invalid_text)
}

/// Why `description` is not a valid key description, in the console's language.
pub fn description_error(description: &str) -> Option<&'static str> {
    validate::api_key_description(description)
        .err()
        .map(invalid_text)
}

/// The live checks of a key's name, description and expiry (creating and editing).
pub struct KeyChecks {
    pub name_error: Signal<Option<&'static str>>,
    pub description_error: Signal<Option<&'static str>>,
    pub expiry_error: Signal<Option<&'static str>>,
    /// Any of the three fails: the form cannot be sent.
    pub invalid: Signal<bool>,
}

impl KeyChecks {
    pub fn new(
        name: RwSignal<String>,
        description: RwSignal<String>,
        choice: RwSignal<ExpiryChoice>,
        custom_date: RwSignal<String>,
    ) -> Self {
        let name_error = Signal::derive(move || name.with(|v| name_error(v)));
        let description_error = Signal::derive(move || description.with(|v| description_error(v)));
        let expiry_error = Signal::derive(move || {
            let c = choice.get();
            custom_date.with(|d| c.resolve(js_sys::Date::now(), d).err())
        });
        let invalid = Signal::derive(move || {
            name_error.get().is_some()
                || description_error.get().is_some()
                || expiry_error.get().is_some()
        });
        KeyChecks {
            name_error,
            description_error,
            expiry_error,
            invalid,
        }
    }
}

/// The chosen expiry as it will be sent, now (see [`ExpiryChoice::resolve`]).
pub fn resolve_expiry(
    choice: RwSignal<ExpiryChoice>,
    custom_date: RwSignal<String>,
) -> Result<Option<Option<String>>, &'static str> {
    choice
        .get_untracked()
        .resolve(js_sys::Date::now(), &custom_date.get_untracked())
}

/// The expiry `<select>` and, for "Custom date…", a date input, with its live message.
#[component]
pub fn ExpiryInput(
    /// Id prefix: the select is `<prefix>-expiry`, the date `<prefix>-date`.
    prefix: String,
    choice: RwSignal<ExpiryChoice>,
    custom_date: RwSignal<String>,
    #[prop(into)] error: Signal<Option<&'static str>>,
    #[prop(optional)] with_keep: bool,
) -> impl IntoView {
    let select_id = format!("{prefix}-expiry");
    let date_id = format!("{prefix}-date");
    let error_id = format!("{prefix}-date-error");
    let touched = RwSignal::new(false);
    let shown = move || {
        if touched.get() && choice.get() == ExpiryChoice::Custom {
            error.get()
        } else {
            None
        }
    };
    let today = super::logic::iso_from_ms(js_sys::Date::now())
        .chars()
        .take(10)
        .collect::<String>();
    let options = expiry_choices(with_keep)
        .into_iter()
        .map(|c| {
            let value = c.value();
            view! {
                <option value=value.clone() selected=move || choice.get().value() == value>{c.label()}</option>
            }
        })
        .collect_view();
    view! {
        <div class="field">
            <label for=select_id.clone()>{t(Tokens::Expiry)}</label>
            <select
                id=select_id.clone()
                name=select_id.clone()
                prop:value=move || choice.get().value()
                on:change=move |ev| choice.set(ExpiryChoice::from_value(&event_target_value(&ev)))
            >
                {options}
            </select>
        </div>
        <Show when=move || choice.get() == ExpiryChoice::Custom>
            <div class="field">
                <label for=date_id.clone()>{t(Tokens::ExpiryDate)}</label>
                <input
                    id=date_id.clone()
                    name=date_id.clone()
                    type="date"
                    min=today.clone()
                    required=true
                    prop:value=move || custom_date.get()
                    aria-invalid=move || shown().map(|_| "true")
                    aria-describedby={
                        let error_id = error_id.clone();
                        move || shown().map(|_| error_id.clone())
                    }
                    on:input=move |ev| {
                        custom_date.set(event_target_value(&ev));
                        touched.set(true);
                    }
                    on:change=move |ev| {
                        custom_date.set(event_target_value(&ev));
                        touched.set(true);
                    }
                    on:blur=move |_| touched.set(true)
                />
                {
                    let error_id = error_id.clone();
                    move || shown().map(|m| view! { <p class="field-error" id=error_id.clone()>{m}</p> })
                }
            </div>
        </Show>
    }
}

/// The "Create API key" dialog. On success it closes and calls `on_created(name, key)`; the
/// caller shows the key with `NewKeyDialog`. Creating needs fresh authentication, which the
/// write asks for when the server wants it.
#[component]
pub fn CreateKeyDialog(
    open: RwSignal<bool>,
    on_created: Callback<(String, String)>,
) -> impl IntoView {
    let client = Client::from_context();
    let name = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let choice = RwSignal::new(DEFAULT_EXPIRY);
    let custom_date = RwSignal::new(String::new());
    // The key goes straight to `on_created`: it is never kept in a signal here.
    let create = Write::with_fresh_auth(move |request: CreateApiKeyRequest| {
        let client = client.clone();
        async move {
            let key = api_key::create(&client, &request).await?;
            open.set(false);
            on_created.run((request.name, key));
            Ok(())
        }
    });
    let pending = create.pending();
    let tried = RwSignal::new(false);

    let KeyChecks {
        name_error,
        description_error,
        expiry_error,
        invalid,
    } = KeyChecks::new(name, description, choice, custom_date);

    // Every opening starts from an empty form.
    Effect::new(move |_| {
        if open.get() {
            name.set(String::new());
            description.set(String::new());
            choice.set(DEFAULT_EXPIRY);
            custom_date.set(String::new());
            create.clear();
            tried.set(false);
        }
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        tried.set(true);
        if invalid.get_untracked() {
            return;
        }
        let Ok(expiry) = resolve_expiry(choice, custom_date) else {
            return;
        };
        let text = description.get_untracked().trim().to_string();
        create.run(CreateApiKeyRequest {
            name: name.get_untracked().trim().to_string(),
            description: (!text.is_empty()).then_some(text),
            expiry_date: expiry.flatten(),
        });
    };

    view! {
        <Dialog open=open title=t(Tokens::CreateApiKey) class="dialog-form">
            <form class="dialog-body" on:submit=on_submit novalidate=true>
                <p class="dialog-intro">{t(Tokens::CreateIntro)}</p>
                <TextInput id="create-key-name" label=t(Tokens::Name) value=name required=true error=name_error force=tried autofocus=true />
                <TextInput id="create-key-description" label=t(Tokens::DescriptionOptional) value=description error=description_error force=tried />
                <ExpiryInput prefix="create-key".to_string() choice=choice custom_date=custom_date error=expiry_error />
                <FormAlert message=create.error_text() />
                <div class="dialog-actions">
                    <CancelButton on_cancel=Callback::new(move |_| open.set(false)) />
                    <PendingButton label=t(Tokens::CreateKey) pending_label=t(Tokens::Creating) pending=pending disabled=invalid />
                </div>
            </form>
        </Dialog>
    }
}
