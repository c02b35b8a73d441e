//! The "Create API key" dialog and the "Your new API key" dialog that shows the key once.
use super::logic::{ExpiryChoice, PRESET_DAYS};
use crate::api::{api_key, Client};
use crate::components::copy_button::{download_text_file, CopyButton};
use crate::components::dialog::Dialog;
use crate::components::form::{FormAlert, SubmitButton};
use crate::state::fresh_auth::FreshAuth;
use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};
use wire::{validate, CreateApiKeyRequest};

/// The expiry a new key gets unless the user picks another.
pub const DEFAULT_EXPIRY: ExpiryChoice = ExpiryChoice::Days(30);
pub const NEW_KEY_WARNING: &str = "This is the only time this key will be shown. Copy it or \
    download it and keep it somewhere safe, such as a password manager: once you close this \
    dialog it cannot be shown again. If you lose it, create a new key.";
pub const STORED_LABEL: &str = "I have stored this key somewhere safe";

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

/// A file name for the downloaded key: `api-key-<name>.txt`, letters, digits, `-` and `_`.
pub fn key_file_name(name: &str) -> String {
    let slug: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let slug = slug.trim_matches('-');
    if slug.is_empty() {
        "api-key.txt".to_string()
    } else {
        format!("api-key-{slug}.txt")
    }
}

/// A labelled text input with a live message shown once touched (like `Field`, but optional
/// fields are not marked `required`).
#[component]
pub fn TextInput(
    id: String,
    label: &'static str,
    value: RwSignal<String>,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] error: Signal<Option<&'static str>>,
    /// Shows the message even before the field is touched (after a submit attempt).
    #[prop(optional, into)]
    force: Signal<bool>,
    #[prop(optional)] autofocus: bool,
) -> impl IntoView {
    let touched = RwSignal::new(false);
    let error_id = format!("{id}-error");
    let shown = move || {
        if touched.get() || force.get() {
            error.get()
        } else {
            None
        }
    };
    let described_by = {
        let error_id = error_id.clone();
        move || shown().map(|_| error_id.clone())
    };
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input
                id=id.clone()
                name=id.clone()
                type="text"
                autocomplete="off"
                required=required
                data-autofocus=autofocus.then_some("")
                prop:value=move || value.get()
                aria-invalid=move || shown().map(|_| "true")
                aria-describedby=described_by
                on:input=move |ev| {
                    value.set(event_target_value(&ev));
                    touched.set(true);
                }
                on:blur=move |_| touched.set(true)
            />
            {move || shown().map(|message| view! { <p class="field-error" id=error_id.clone()>{message}</p> })}
        </div>
    }
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
            <label for=select_id.clone()>"Expiry"</label>
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
                <label for=date_id.clone()>"Expiry date"</label>
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
/// caller shows the key with [`NewKeyDialog`]. Creating needs fresh authentication, which
/// [`FreshAuth::run`] asks for when the server wants it.
#[component]
pub fn CreateKeyDialog(
    open: RwSignal<bool>,
    on_created: Callback<(String, String)>,
) -> impl IntoView {
    let fresh = expect_context::<FreshAuth>();
    let client = StoredValue::new(Client::from_context());
    let name = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let choice = RwSignal::new(DEFAULT_EXPIRY);
    let custom_date = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let tried = RwSignal::new(false);

    let name_error = Signal::derive(move || name.with(|v| validate::api_key_name(v).err()));
    let description_error =
        Signal::derive(move || description.with(|v| validate::api_key_description(v).err()));
    let expiry_error = Signal::derive(move || {
        let c = choice.get();
        custom_date.with(|d| c.resolve(js_sys::Date::now(), d).err())
    });
    let invalid = Signal::derive(move || {
        name_error.get().is_some()
            || description_error.get().is_some()
            || expiry_error.get().is_some()
    });

    // Every opening starts from an empty form.
    Effect::new(move |_| {
        if open.get() {
            name.set(String::new());
            description.set(String::new());
            choice.set(DEFAULT_EXPIRY);
            custom_date.set(String::new());
            error.set(None);
            pending.set(false);
            tried.set(false);
        }
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        tried.set(true);
        if invalid.get_untracked() || pending.get_untracked() {
            return;
        }
        let Ok(expiry) = choice
            .get_untracked()
            .resolve(js_sys::Date::now(), &custom_date.get_untracked())
        else {
            return;
        };
        let key_name = name.get_untracked().trim().to_string();
        let text = description.get_untracked().trim().to_string();
        let request = CreateApiKeyRequest {
            name: key_name.clone(),
            description: (!text.is_empty()).then_some(text),
            expiry_date: expiry.flatten(),
        };
        let client = client.get_value();
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            let result = fresh.run(|| api_key::create(&client, &request)).await;
            pending.try_set(false);
            match result {
                Ok(key) => {
                    open.set(false);
                    on_created.run((key_name, key));
                }
                Err(e) => {
                    error.try_set(Some(e.to_string()));
                }
            }
        });
    };

    view! {
        <Dialog open=open title="Create API key" class="dialog-form">
            <form class="dialog-body" on:submit=on_submit novalidate=true>
                <p class="dialog-intro">
                    "API keys let scripts and tools act as you. Give each one a name you will recognise later."
                </p>
                <TextInput id="create-key-name".to_string() label="Name" value=name required=true error=name_error force=tried autofocus=true />
                <TextInput id="create-key-description".to_string() label="Description (optional)" value=description error=description_error force=tried />
                <ExpiryInput prefix="create-key".to_string() choice=choice custom_date=custom_date error=expiry_error />
                <FormAlert message=error />
                <div class="dialog-actions">
                    <button type="button" class="button" on:click=move |_| open.set(false)>"Cancel"</button>
                    <SubmitButton label="Create key" pending_label="Creating…" pending=pending disabled=invalid />
                </div>
            </form>
        </Dialog>
    }
}

/// Shows a newly created key exactly once. `secret` holds it while the dialog is open; the
/// dialog cannot be dismissed (Esc, backdrop) until the user ticks [`STORED_LABEL`], and
/// closing it — Done, or Esc after ticking — clears `secret`, so the key leaves memory and
/// the page.
#[component]
pub fn NewKeyDialog(
    secret: RwSignal<Option<String>>,
    #[prop(into)] name: Signal<String>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let stored = RwSignal::new(false);
    let download_error = RwSignal::new(None::<String>);
    // Open while there is a key; forget the key (and the tick) once closed.
    Effect::new(move |_| {
        if secret.with(Option::is_some) {
            open.set(true);
        }
    });
    Effect::new(move |was_open: Option<bool>| {
        let is_open = open.get();
        if !is_open && was_open == Some(true) {
            secret.set(None);
            stored.set(false);
            download_error.set(None);
        }
        is_open
    });
    let key_text = Signal::derive(move || secret.get().unwrap_or_default());
    let close = move |_| {
        if stored.get_untracked() {
            open.set(false);
        }
    };
    let download = move |_| {
        let file = key_file_name(&name.get_untracked());
        let text = format!("{}\n", key_text.get_untracked());
        download_error.set(None);
        if download_text_file(&file, &text).is_err() {
            download_error.set(Some(
                "The download could not start. Copy the key instead.".to_string(),
            ));
        }
    };

    view! {
        <Dialog
            open=open
            title="Your new API key"
            dismissable=Signal::derive(move || stored.get())
            describedby="new-key-warning"
            class="dialog-secret"
        >
            <div class="dialog-body">
                <p class="warning" id="new-key-warning">{NEW_KEY_WARNING}</p>
                <div class="field">
                    <label for="new-key-value">{move || format!("API key “{}”", name.get())}</label>
                    <input
                        id="new-key-value"
                        class="secret-value"
                        type="text"
                        readonly=true
                        autocomplete="off"
                        spellcheck="false"
                        prop:value=move || key_text.get()
                        on:focus=move |ev| {
                            use wasm_bindgen::JsCast;
                            if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                                input.select();
                            }
                        }
                    />
                </div>
                <div class="secret-actions">
                    <CopyButton text=key_text accessible_name="Copy API key" autofocus=true />
                    <button type="button" class="button" aria-label="Download API key" on:click=download>"Download"</button>
                </div>
                {move || download_error.get().map(|e| view! { <p class="form-alert" role="alert">{e}</p> })}
                <label class="checkbox">
                    <input
                        type="checkbox"
                        name="new-key-stored"
                        prop:checked=move || stored.get()
                        on:change=move |ev| stored.set(event_target_checked(&ev))
                    />
                    {STORED_LABEL}
                </label>
                <div class="dialog-actions">
                    <button type="button" class="button primary" disabled=move || !stored.get() on:click=close>
                        "Done"
                    </button>
                </div>
            </div>
        </Dialog>
    }
}
