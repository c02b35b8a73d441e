//! Component tests in headless Chromium: mount one component with the app's contexts (no
//! server needed), type and click, let Leptos apply the changes (`tick`), read the DOM.
#![cfg(target_arch = "wasm32")]
use account_console::components::{header::Header, theme_toggle::ThemeToggle};
use account_console::pages::{login::LoginPage, signup::SignupPage};
use leptos::prelude::*;
use leptos::task::tick;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlButtonElement, HtmlElement, HtmlInputElement};

mod common;
use account_console::state::{session, theme::THEME_KEY};
use common::fetch::{sleep_ms, until};
use common::{
    accessible_description, all_by_role, by_role, has_role, mount, names_by_role, text_by_role,
};

wasm_bindgen_test_configure!(run_in_browser);

/// Types `value` into the textbox named `name` the way a browser does: set it, then fire a
/// bubbling `input` event.
async fn type_into(root: &HtmlElement, name: &str, value: &str) {
    let input: HtmlInputElement = by_role(root, "textbox", name);
    input.set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    input
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
    tick().await;
}

async fn press_key(target: &HtmlElement, key: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let ev = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&ev).unwrap();
    tick().await;
}

fn submit_disabled(root: &HtmlElement) -> bool {
    by_role::<HtmlButtonElement>(root, "button", "Create account").disabled()
}

fn textbox(root: &HtmlElement, name: &str) -> HtmlInputElement {
    by_role(root, "textbox", name)
}

/// The field's error: the text of what it is described by.
fn error_of(root: &HtmlElement, field: &str) -> Option<String> {
    accessible_description(&textbox(root, field))
}

#[wasm_bindgen_test]
async fn signup_email_error_appears_after_typing_and_clears_when_fixed() {
    session::clear_tokens();
    let (c, _h) = mount(SignupPage);
    assert_eq!(
        error_of(&c, "Email"),
        None,
        "an untouched field shows no error"
    );

    type_into(&c, "Email", "alice@").await;
    assert_eq!(error_of(&c, "Email").as_deref(), Some("Invalid email"));
    let input = textbox(&c, "Email");
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(
        input.get_attribute("aria-describedby").as_deref(),
        Some("signup-email-error")
    );

    type_into(&c, "Email", "alice@example.com").await;
    assert_eq!(error_of(&c, "Email"), None);
    assert!(!c.text_content().unwrap().contains("Invalid email"));
    assert_eq!(input.get_attribute("aria-invalid"), None);
    assert_eq!(input.get_attribute("aria-describedby"), None);
}

#[wasm_bindgen_test]
async fn signup_shows_password_length_and_mismatch_errors() {
    session::clear_tokens();
    let (c, _h) = mount(SignupPage);
    type_into(&c, "Password", "short").await;
    assert_eq!(
        error_of(&c, "Password").as_deref(),
        Some(wire::validate::Invalid::PasswordTooShort.message())
    );
    type_into(&c, "Password", "long-enough-secret").await;
    assert_eq!(error_of(&c, "Password"), None);
    assert!(!c
        .text_content()
        .unwrap()
        .contains(wire::validate::Invalid::PasswordTooShort.message()));

    type_into(&c, "Confirm password", "long-enough-secreT").await;
    assert_eq!(
        error_of(&c, "Confirm password").as_deref(),
        Some("Passwords do not match")
    );
    type_into(&c, "Confirm password", "long-enough-secret").await;
    assert_eq!(error_of(&c, "Confirm password"), None);
    assert!(!c.text_content().unwrap().contains("Passwords do not match"));
    // Changing the password again re-checks the confirmation.
    type_into(&c, "Password", "another-long-secret").await;
    assert_eq!(
        error_of(&c, "Confirm password").as_deref(),
        Some("Passwords do not match")
    );
}

#[wasm_bindgen_test]
async fn signup_button_stays_disabled_until_the_form_is_valid() {
    session::clear_tokens();
    let (c, _h) = mount(SignupPage);
    let button: HtmlButtonElement = by_role(&c, "button", "Create account");
    assert_eq!(button.type_(), "submit");
    assert_eq!(button.text_content().as_deref(), Some("Create account"));
    assert!(submit_disabled(&c));
    type_into(&c, "Email", "alice@example.com").await;
    type_into(&c, "Username", "alice").await;
    type_into(&c, "Password", "purple-otter-sings").await;
    assert!(submit_disabled(&c), "confirmation still missing");
    type_into(&c, "Confirm password", "purple-otter-sings").await;
    assert!(!submit_disabled(&c), "every field is valid");
    type_into(&c, "Username", "Alice").await;
    assert!(submit_disabled(&c), "upper-case usernames are refused");
    // The hint stays, and the error follows it.
    assert_eq!(
        error_of(&c, "Username"),
        Some(format!(
            "Optional: suggested from your email. If it is taken, a free one like it is chosen. {}",
            wire::validate::Invalid::Username.message()
        ))
    );
}

#[wasm_bindgen_test]
async fn login_button_is_disabled_until_both_fields_are_filled() {
    session::clear_tokens();
    let (c, _h) = mount(LoginPage);
    let heading: HtmlElement = by_role(&c, "heading", "Log in");
    assert_eq!(heading.tag_name(), "H1");
    let button: HtmlButtonElement = by_role(&c, "button", "Log in");
    assert_eq!(button.type_(), "submit");
    assert_eq!(button.text_content().as_deref(), Some("Log in"));
    assert!(button.disabled());
    assert_eq!(button.get_attribute("aria-busy"), None);
    type_into(&c, "Username or email", "alice").await;
    assert!(button.disabled(), "password still empty");
    type_into(&c, "Password", "anything").await;
    assert!(!button.disabled());
    let username = textbox(&c, "Username or email");
    assert_eq!(
        username.get_attribute("autocomplete").as_deref(),
        Some("username")
    );
    let password = textbox(&c, "Password");
    assert_eq!(
        password.get_attribute("autocomplete").as_deref(),
        Some("current-password")
    );
}

#[wasm_bindgen_test]
async fn an_expired_stored_token_is_dropped_and_the_login_page_says_why() {
    // exp in 2001: long past.
    let expired = "eyJhbGciOiJIUzI1NiJ9.eyJpZCI6MSwiand0X3NlY3JldCI6IlMiLCJhdXRoVGltZSI6MCwiaWF0IjoxMDAwMDAwMDAwLCJleHAiOjEwMDAwMDAwMDF9.c2ln";
    session::save_token(expired, true);
    let (c, _h) = mount(LoginPage);
    tick().await;
    assert_eq!(
        text_by_role(&c, "status").as_deref(),
        Some("Your session has ended. Please log in again.")
    );
    assert_eq!(
        session::load_token(),
        None,
        "the expired token is forgotten"
    );
}

#[wasm_bindgen_test]
async fn theme_toggle_flips_aria_pressed_and_remembers_the_choice() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.remove_item(THEME_KEY).unwrap();
    let (c, _h) = mount(ThemeToggle);
    tick().await;
    let button: HtmlButtonElement = by_role(&c, "button", "Dark theme");
    assert_eq!(button.text_content().as_deref(), Some("Dark theme"));
    let before = button.get_attribute("aria-pressed").unwrap();
    button.click();
    tick().await;
    let after = button.get_attribute("aria-pressed").unwrap();
    assert_ne!(before, after);
    let expected = if after == "true" { "dark" } else { "light" };
    assert_eq!(
        storage.get_item(THEME_KEY).unwrap().as_deref(),
        Some(expected)
    );
    let html = document().document_element().unwrap();
    assert_eq!(html.get_attribute("data-theme").as_deref(), Some(expected));
    storage.remove_item(THEME_KEY).unwrap();
}

/// A signed-in header (the whoami call fails against the test page's server, which the menu
/// survives by showing a neutral label).
#[wasm_bindgen_test]
async fn account_menu_opens_moves_focus_and_closes_with_escape() {
    let far_future = "eyJhbGciOiJIUzI1NiJ9.eyJpZCI6MSwiand0X3NlY3JldCI6IlMiLCJhdXRoVGltZSI6MCwiaWF0Ijo0MTAyNDQ0ODAwLCJleHAiOjQxMDMwNDk2MDB9.c2ln";
    session::save_token(far_future, false);
    let (c, _h) = mount(Header);
    tick().await;
    let button: HtmlButtonElement = by_role(&c, "button", "Account menu");
    assert_eq!(
        button.get_attribute("aria-haspopup").as_deref(),
        Some("menu")
    );
    assert_eq!(
        button.get_attribute("aria-label").as_deref(),
        Some("Account menu")
    );
    assert_eq!(
        button.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    assert!(
        !has_role(&c, "menu", "Account menu"),
        "the menu starts hidden"
    );

    button.click();
    tick().await;
    sleep_ms(50).await; // focus moves on the next animation frame
    assert_eq!(
        button.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    let menu: HtmlElement = by_role(&c, "menu", "Account menu");
    assert!(!menu.hidden());
    let names: Vec<_> = all_by_role(&menu, "menuitem")
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    assert_eq!(names, ["Preferences", "Log out"]);
    // The languages are a group of radio items, each named in its own language.
    let languages: Element = by_role(&menu, "group", "Language");
    assert_eq!(
        names_by_role(&languages, "menuitemradio"),
        ["English", "Deutsch"]
    );
    let english: Element = by_role(&menu, "menuitemradio", "English");
    let deutsch: Element = by_role(&menu, "menuitemradio", "Deutsch");
    assert_eq!(
        english.get_attribute("aria-checked").as_deref(),
        Some("true")
    );
    assert_eq!(
        deutsch.get_attribute("aria-checked").as_deref(),
        Some("false")
    );
    let preferences: Element = by_role(&menu, "menuitem", "Preferences");
    let log_out: Element = by_role(&menu, "menuitem", "Log out");
    let active = || document().active_element();
    assert_eq!(active().as_ref(), Some(&preferences));

    press_key(&menu, "ArrowDown").await;
    assert_eq!(active().as_ref(), Some(&english));
    press_key(&menu, "End").await;
    assert_eq!(active().as_ref(), Some(&log_out));
    press_key(&menu, "ArrowDown").await;
    assert_eq!(active().as_ref(), Some(&preferences), "arrows wrap around");
    press_key(&menu, "ArrowUp").await;
    assert_eq!(active().as_ref(), Some(&log_out));
    press_key(&menu, "ArrowUp").await;
    assert_eq!(active().as_ref(), Some(&deutsch));

    press_key(&menu, "Escape").await;
    assert_eq!(
        button.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    assert!(menu.hidden());
    assert!(!has_role(&c, "menu", "Account menu"));
    assert_eq!(
        active().as_ref(),
        Some(button.unchecked_ref::<Element>()),
        "focus goes back to the menu button"
    );

    // A click outside closes it too.
    button.click();
    tick().await;
    assert!(!menu.hidden());
    assert!(has_role(&c, "menu", "Account menu"));
    document().body().unwrap().click();
    tick().await;
    assert!(menu.hidden());
    assert!(!has_role(&c, "menu", "Account menu"));
    session::clear_tokens();
}

/// Submitting shows the pending state at once; the test page's server has no `/login_`, so
/// the answer is an error, shown in an alert, and the button comes back.
#[wasm_bindgen_test]
async fn login_shows_pending_state_then_the_error() {
    session::clear_tokens();
    let (c, _h) = mount(LoginPage);
    type_into(&c, "Username or email", "alice").await;
    type_into(&c, "Password", "secret-password").await;
    let button: HtmlButtonElement = by_role(&c, "button", "Log in");
    assert_eq!(button.type_(), "submit");
    button.click();
    tick().await;
    assert_eq!(button.text_content().as_deref(), Some("Logging in…"));
    assert_eq!(button.get_attribute("aria-busy").as_deref(), Some("true"));
    assert!(button.disabled());

    for _ in 0..50 {
        if text_by_role(&c, "alert").is_some() {
            break;
        }
        sleep_ms(50).await;
    }
    let alert = text_by_role(&c, "alert").expect("an error alert");
    assert!(!alert.trim().is_empty());
    assert_eq!(button.text_content().as_deref(), Some("Log in"));
    assert_eq!(button.get_attribute("aria-busy"), None);
    assert!(!button.disabled());
    assert_eq!(session::load_token(), None);
}

#[wasm_bindgen_test]
async fn a_write_runs_one_request_at_a_time_and_keeps_its_error_as_a_value() {
    use account_console::api::ApiError;
    use account_console::components::form::FormAlert;
    use account_console::state::write::Write;
    let runs = RwSignal::new(0);
    let (c, _h) = mount(move || {
        let write = Write::new(move |fail: bool| async move {
            runs.update(|n| *n += 1);
            sleep_ms(50).await;
            if fail {
                Err(ApiError::Network("offline".into()))
            } else {
                Ok(())
            }
        });
        view! {
            <button type="button" on:click=move |_| write.run(true)>"Fail"</button>
            <button type="button" on:click=move |_| write.run(false)>"Succeed"</button>
            <button type="button" disabled=move || write.pending().get()>"Pending"</button>
            <FormAlert message=write.error_text() />
        }
    });
    let fail: HtmlButtonElement = by_role(&c, "button", "Fail");
    fail.click();
    fail.click();
    tick().await;
    assert_eq!(
        runs.get_untracked(),
        1,
        "a second click while pending sends nothing"
    );
    assert!(by_role::<HtmlButtonElement>(&c, "button", "Pending").disabled());
    sleep_ms(120).await;
    assert!(!by_role::<HtmlButtonElement>(&c, "button", "Pending").disabled());
    assert_eq!(
        text_by_role(&c, "alert").as_deref(),
        Some("Could not reach the server. Check your connection and try again.")
    );
    by_role::<HtmlButtonElement>(&c, "button", "Succeed").click();
    sleep_ms(120).await;
    assert_eq!(runs.get_untracked(), 2);
    assert_eq!(
        text_by_role(&c, "alert"),
        None,
        "a successful run clears the error"
    );
}

#[wasm_bindgen_test]
async fn async_view_shows_loading_error_with_retry_empty_and_content() {
    use account_console::api::ApiError;
    use account_console::components::async_view::{AsyncView, ReadStatus};
    let status = RwSignal::new(ReadStatus::Loading);
    let retries = RwSignal::new(0);
    let (c, _h) = mount(move || {
        view! {
            <AsyncView
                status=status
                loading="Loading the things…"
                failed="The things could not be loaded."
                retry=Callback::new(move |_| retries.update(|n| *n += 1))
                empty=|| view! { <p>"No things yet."</p> }
                content=|| view! { <h2>"The things"</h2> }
            />
        }
    });
    tick().await;
    // The status line has no role of its own: it is found by its busy state.
    assert!(common::text_of(&c, "[aria-busy=true]")
        .unwrap()
        .contains("Loading the things…"));
    status.set(ReadStatus::Failed(ApiError::Unauthorized));
    tick().await;
    assert_eq!(
        text_by_role(&c, "alert")
            .unwrap()
            .split("Retry")
            .next()
            .unwrap()
            .trim(),
        "The things could not be loaded. You are not signed in, or your session has ended."
    );
    by_role::<HtmlButtonElement>(&c, "button", "Retry").click();
    assert_eq!(retries.get_untracked(), 1);
    status.set(ReadStatus::Empty);
    tick().await;
    assert!(c.text_content().unwrap().contains("No things yet."));
    assert!(!has_role(&c, "heading", "The things"));
    status.set(ReadStatus::Ready);
    tick().await;
    assert!(has_role(&c, "heading", "The things"));
    assert!(!c.text_content().unwrap().contains("No things yet."));
}

/// Signed out, the header offers the languages; the choice is remembered and the texts
/// follow it.
#[wasm_bindgen_test]
async fn the_language_switch_remembers_the_choice_and_the_texts_follow() {
    use account_console::i18n::{Language, Locale, LOCALE_KEY};
    let storage = window().local_storage().unwrap().unwrap();
    storage.remove_item(LOCALE_KEY).unwrap();
    let (c, _h) = mount(|| {
        provide_context(Language::with(Locale::En));
        view! { <Header /> }
    });
    tick().await;
    let select: HtmlElement = by_role(&c, "combobox", "Language");
    assert_eq!(names_by_role(&select, "option"), ["English", "Deutsch"]);
    js_sys::Reflect::set(&select, &"value".into(), &"de".into()).unwrap();
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    select
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("change", &init).unwrap())
        .unwrap();
    tick().await;
    assert_eq!(storage.get_item(LOCALE_KEY).unwrap().as_deref(), Some("de"));
    drop(_h);
    c.remove();

    // A new render in German, as the app does after the switch.
    let (de, _h2) = mount(|| {
        provide_context(Language::new());
        view! { <Header /> }
    });
    tick().await;
    let select: HtmlElement = by_role(&de, "combobox", "Sprache");
    assert_eq!(
        js_sys::Reflect::get(&select, &"value".into()).unwrap(),
        "de"
    );
    assert!(has_role(&de, "button", "Dunkles Design"));
    assert!(has_role(&de, "link", "Kontokonsole"));
    storage.remove_item(LOCALE_KEY).unwrap();
}

/// Mounts `page` in German, as after choosing "Deutsch" or with a German browser.
fn mount_in_german<N: IntoView + 'static>(
    page: impl FnOnce() -> N + Send + 'static,
) -> (HtmlElement, Box<dyn std::any::Any>) {
    use account_console::i18n::{Language, Locale};
    mount(move || {
        provide_context(Language::with(Locale::De));
        page()
    })
}

#[wasm_bindgen_test]
async fn login_and_signup_speak_german() {
    session::clear_tokens();
    let (c, h) = mount_in_german(LoginPage);
    tick().await;
    let heading: HtmlElement = by_role(&c, "heading", "Anmelden");
    assert_eq!(heading.tag_name(), "H1");
    let button: HtmlButtonElement = by_role(&c, "button", "Anmelden");
    assert_eq!(button.type_(), "submit");
    assert!(has_role(&c, "textbox", "Benutzername oder E-Mail-Adresse"));
    assert!(has_role(&c, "textbox", "Passwort"));
    assert!(has_role(&c, "checkbox", "Angemeldet bleiben"));
    assert!(has_role(&c, "link", "Passwort vergessen?"));
    assert!(has_role(&c, "link", "Konto erstellen"));
    assert!(c
        .text_content()
        .unwrap()
        .contains("Neu hier? Konto erstellen"));
    drop(h);

    let (c, _h) = mount_in_german(SignupPage);
    tick().await;
    assert!(has_role(&c, "heading", "Erstellen Sie Ihr Konto"));
    let create: HtmlButtonElement = by_role(&c, "button", "Konto erstellen");
    assert!(create.disabled());
    type_into(&c, "E-Mail-Adresse", "alice@").await;
    assert_eq!(
        error_of(&c, "E-Mail-Adresse").as_deref(),
        Some("Ungültige E-Mail-Adresse")
    );
    type_into(&c, "Benutzername", "Alice").await;
    // After the German hint, the German rule.
    let described = error_of(&c, "Benutzername").unwrap();
    assert!(
        described.starts_with("Optional: aus Ihrer E-Mail-Adresse vorgeschlagen.")
            && described.contains("Der Benutzername muss 3 bis 32 Zeichen lang sein"),
        "{described}"
    );
    type_into(&c, "Passwort", "kurz").await;
    assert_eq!(
        error_of(&c, "Passwort").as_deref(),
        Some("Das Passwort muss mindestens 8 Zeichen lang sein")
    );
    type_into(&c, "Passwort", "lang-genug-geheim").await;
    type_into(&c, "Passwort bestätigen", "lang-genug-geheiM").await;
    assert_eq!(
        error_of(&c, "Passwort bestätigen").as_deref(),
        Some("Die Passwörter stimmen nicht überein")
    );
    assert!(has_role(&c, "link", "Anmelden"));
}

#[wasm_bindgen_test]
fn every_field_rule_has_the_servers_english_and_a_german_text() {
    use account_console::i18n::{invalid_text, Language, Locale};
    use wire::validate::Invalid;
    for rule in Invalid::ALL {
        assert_eq!(invalid_text(rule), rule.message(), "{rule:?}");
    }
    let owner = Owner::new();
    owner.with(|| {
        provide_context(Language::with(Locale::De));
        for rule in Invalid::ALL {
            assert_ne!(invalid_text(rule), rule.message(), "untranslated: {rule:?}");
        }
    });
}

/// The username is optional: it follows the email's suggestion until the visitor edits it,
/// and an empty one is fine (the server then picks a free one).
#[wasm_bindgen_test]
async fn signup_suggests_a_username_from_the_email_until_it_is_edited() {
    session::clear_tokens();
    let (c, _h) = mount(SignupPage);
    tick().await;
    let username = || by_role::<HtmlInputElement>(&c, "textbox", "Username");
    assert!(!username().required());
    assert_eq!(
        accessible_description(&username()).as_deref(),
        Some("Optional: suggested from your email. If it is taken, a free one like it is chosen.")
    );
    type_into(&c, "Email", "Alice.Smith@example.com").await;
    until("the suggestion", || username().value() == "alice_smith").await;
    type_into(&c, "Email", "bob@example.com").await;
    // An untouched suggestion follows the email.
    until("the new suggestion", || username().value() == "bob").await;
    type_into(&c, "Username", "robert").await;
    type_into(&c, "Email", "rob@example.com").await;
    assert_eq!(username().value(), "robert", "an edited username stays");
    type_into(&c, "Username", "").await;
    type_into(&c, "Password", "correct horse battery").await;
    type_into(&c, "Confirm password", "correct horse battery").await;
    assert!(!submit_disabled(&c), "no username is needed");
}

/// Each page names itself first in the document title, in the chosen language.
#[wasm_bindgen_test]
async fn pages_name_themselves_in_the_document_title() {
    session::clear_tokens();
    let (_c, h) = mount(LoginPage);
    tick().await;
    assert_eq!(document().title(), "Log in · Account Console");
    drop(h);
    let (_c, _h) = mount_in_german(SignupPage);
    tick().await;
    assert_eq!(document().title(), "Erstellen Sie Ihr Konto · Kontokonsole");
}
