//! Access tokens tab, in headless Chromium: the pure rules (expiry badges,
//! relative times, presets, bulk-delete path, fresh-authentication window), the shared
//! dialog (focus in, trap, Esc/backdrop, focus back), the show-once key dialog, the create
//! form's validation, the copy button and the fresh-authentication retry.
#![cfg(target_arch = "wasm32")]
use account_console::api::{
    api_key::{bulk_delete_path, list_query},
    ApiError,
};
use account_console::components::copy_button::CopyButton;
use account_console::components::dialog::Dialog;
use account_console::components::fresh_auth::FreshAuthDialog;
use account_console::i18n::{
    catalogue::{Common, Tokens},
    t,
};
use account_console::pages::preferences::access_tokens::create::{
    description_error, name_error, CreateKeyDialog,
};
use account_console::pages::preferences::access_tokens::keys::{edit_patch, selection_text};
use account_console::pages::preferences::access_tokens::logic::*;
use account_console::pages::preferences::access_tokens::new_key::{key_file_name, NewKeyDialog};
use account_console::state::fresh_auth::{fresh_minutes_left, fresh_window_text, FreshAuth};
use account_console::state::session;
use leptos::prelude::*;
use leptos::task::{spawn_local, tick};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlButtonElement, HtmlElement, HtmlInputElement, HtmlSelectElement};
use wire::{ApiKeyPatch, ApiKeyRow, ForeignKey};

mod common;
use common::fetch::{sleep_ms, until};
use common::{
    accessible_description, accessible_name, all_by_role, by_role, has_role, mount, text_by_role,
    text_of,
};

wasm_bindgen_test_configure!(run_in_browser);

fn button(root: &HtmlElement, name: &str) -> HtmlButtonElement {
    by_role(root, "button", name)
}

fn textbox(root: &HtmlElement, name: &str) -> HtmlInputElement {
    by_role(root, "textbox", name)
}

fn dialog(root: &HtmlElement, name: &str) -> HtmlElement {
    by_role(root, "dialog", name)
}

fn has_dialog(root: &HtmlElement) -> bool {
    !all_by_role(root, "dialog").is_empty()
}

/// The field's error: the text of what it is described by.
fn error_of(field: &HtmlInputElement) -> Option<String> {
    accessible_description(field)
}

/// The dialog's backdrop, which is presentation and has no role.
fn backdrop(root: &HtmlElement) -> HtmlElement {
    root.query_selector(".dialog-backdrop")
        .unwrap()
        .expect("a dialog backdrop")
        .unchecked_into()
}

/// The custom expiry date, if shown. A date input has no ARIA role, so it is found by type
/// and checked by its accessible name.
fn expiry_date(root: &HtmlElement) -> Option<HtmlInputElement> {
    let input: HtmlInputElement = root
        .query_selector("input[type=date]")
        .unwrap()?
        .unchecked_into();
    assert_eq!(accessible_name(&input), "Expiry date");
    Some(input)
}

async fn fire(target: &web_sys::EventTarget, kind: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    target
        .dispatch_event(&web_sys::Event::new_with_event_init_dict(kind, &init).unwrap())
        .unwrap();
    tick().await;
}

/// Types into the textbox named `name`.
async fn type_into(root: &HtmlElement, name: &str, value: &str) {
    set_input(&textbox(root, name), value).await;
}

async fn set_input(input: &HtmlInputElement, value: &str) {
    input.set_value(value);
    fire(input, "input").await;
}

async fn press_key(target: &web_sys::EventTarget, key: &str, shift: bool) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_shift_key(shift);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let ev = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&ev).unwrap();
    tick().await;
}

/// A mouse click that starts and ends on `target` (mousedown, then click).
async fn click_on(target: &HtmlElement) {
    let init = web_sys::MouseEventInit::new();
    init.set_bubbles(true);
    let down = web_sys::MouseEvent::new_with_mouse_event_init_dict("mousedown", &init).unwrap();
    target.dispatch_event(&down).unwrap();
    target.click();
    tick().await;
}

/// Whether `el` has the focus.
fn is_active(el: &web_sys::Element) -> bool {
    document().active_element().as_ref() == Some(el)
}

const NOW: f64 = 1_763_812_800_000.0; // 2025-11-22T12:00:00Z

fn row(id: i64, name: &str, expiry: Option<&str>) -> ApiKeyRow {
    ApiKeyRow {
        id,
        created_at: "2025-11-01T00:00:00.000Z".into(),
        name: Some(name.into()),
        description: None,
        expiry_date: expiry.map(str::to_string),
        is_of_actor: ForeignKey { id: 1 },
        last_used_at: None,
    }
}

// ---- pure logic ----

#[wasm_bindgen_test]
fn expiry_badge_says_never_expired_or_how_long_is_left() {
    assert_eq!(
        expiry_badge(NOW, None),
        (ExpiryKind::Never, "Never expires".to_string())
    );
    assert_eq!(
        expiry_badge(NOW, Some("2025-11-22T11:59:59.000Z")),
        (ExpiryKind::Expired, "Expired".to_string())
    );
    assert_eq!(
        expiry_badge(NOW, Some("2025-11-22T12:00:00.000Z")).0,
        ExpiryKind::Expired,
        "the expiry instant itself is expired"
    );
    assert_eq!(
        expiry_badge(NOW, Some("2025-11-28T12:00:00.000Z")),
        (ExpiryKind::Soon, "Expires in 6 days".to_string())
    );
    assert_eq!(
        expiry_badge(NOW, Some("2025-11-23T12:00:00.000Z")).1,
        "Expires in 1 day"
    );
    assert_eq!(
        expiry_badge(NOW, Some("2025-11-22T17:20:00.000Z")).1,
        "Expires in 5 hours"
    );
    assert_eq!(
        expiry_badge(NOW, Some(&preset_expiry_iso(NOW - 5_000.0, 1))).1,
        "Expires in 1 day",
        "a 1-day key just created is not '23 hours'"
    );
    assert_eq!(
        expiry_badge(NOW, Some("2025-11-22T12:10:30.000Z")).1,
        "Expires in 11 minutes"
    );
    assert_eq!(
        expiry_badge(NOW, Some("2025-12-22T12:00:00.000Z")),
        (ExpiryKind::Later, "Expires in 30 days".to_string())
    );
    // A key made with the 7-day preset a few seconds ago still reads 7 days.
    let seven = preset_expiry_iso(NOW - 5_000.0, 7);
    assert_eq!(
        expiry_badge(NOW, Some(&seven)),
        (ExpiryKind::Soon, "Expires in 7 days".to_string())
    );
    assert_eq!(ExpiryKind::Expired.class(), "badge badge-danger");
}

#[wasm_bindgen_test]
fn relative_past_times() {
    assert_eq!(time_ago_text(NOW, NOW - 10_000.0), "just now");
    assert_eq!(time_ago_text(NOW, NOW - MINUTE_MS), "1 minute ago");
    assert_eq!(time_ago_text(NOW, NOW - 59.0 * MINUTE_MS), "59 minutes ago");
    assert_eq!(time_ago_text(NOW, NOW - 2.5 * HOUR_MS), "2 hours ago");
    assert_eq!(time_ago_text(NOW, NOW - 3.9 * DAY_MS), "3 days ago");
    assert_eq!(time_ago_text(NOW, NOW + DAY_MS), "just now", "clock skew");
    assert_eq!(time_until_text(NOW, NOW + 6.0 * DAY_MS), "in 6 days");
    assert_eq!(time_until_text(NOW, NOW + 30_000.0), "in 1 minute");
    assert_eq!(time_until_text(NOW, NOW + 1.6 * HOUR_MS), "in 2 hours");
    assert_eq!(
        last_used_text(NOW, Some("2025-11-19T11:00:00.000Z")),
        "Last used 3 days ago"
    );
    assert_eq!(last_used_text(NOW, None), "Never used");
}

#[wasm_bindgen_test]
fn created_dates_are_calendar_days_in_utc() {
    assert_eq!(date_part("2025-11-19T11:00:00.000Z"), "Nov 19, 2025");
    assert_eq!(
        date_part("2025-11-19T23:59:00.000Z"),
        "Nov 19, 2025",
        "the day the server recorded, whatever the visitor's time zone"
    );
    assert_eq!(date_part("not a date"), "not a date");
}

#[wasm_bindgen_test]
fn placeholders_split_a_text_around_its_values() {
    use Piece::{Arg, Text};
    assert_eq!(
        pieces("{relative} — on {date}"),
        [Arg("relative"), Text(" — on "), Arg("date")]
    );
    assert_eq!(
        pieces("{name} läuft {when} ab."),
        [Arg("name"), Text(" läuft "), Arg("when"), Text(" ab.")]
    );
    assert_eq!(pieces("no values"), [Text("no values")]);
    assert_eq!(pieces("open { only"), [Text("open { only")]);
}

#[wasm_bindgen_test]
fn key_field_messages_follow_the_servers_rules_and_wording() {
    use wire::validate::{self, Invalid};
    let long_name = "n".repeat(51);
    let long_description = "d".repeat(151);
    for name in ["", "   ", long_name.as_str()] {
        assert_eq!(
            name_error(name),
            validate::api_key_name(name).err().map(Invalid::message),
            "{name:?}"
        );
    }
    assert_eq!(name_error("ci"), None);
    assert_eq!(
        description_error(&long_description),
        validate::api_key_description(&long_description)
            .err()
            .map(Invalid::message)
    );
    assert_eq!(description_error(""), None);
}

#[wasm_bindgen_test]
fn presets_and_custom_dates_become_iso_dates() {
    assert_eq!(preset_expiry_iso(NOW, 1), "2025-11-23T12:00:00.000Z");
    assert_eq!(preset_expiry_iso(NOW, 90), "2026-02-20T12:00:00.000Z");
    assert_eq!(custom_expiry_iso(NOW, ""), Err(t(Tokens::DateRequired)));
    assert_eq!(
        custom_expiry_iso(NOW, "tomorrow"),
        Err(t(Tokens::DateRequired))
    );
    assert_eq!(
        custom_expiry_iso(NOW, "2025-13-01"),
        Err(t(Tokens::DateRequired))
    );
    assert_eq!(
        custom_expiry_iso(NOW, "2025-11-20"),
        Err(t(Tokens::DatePast))
    );
    let iso = custom_expiry_iso(NOW, "2026-01-15").unwrap();
    let ms = parse_iso_ms(&iso).unwrap();
    let local = js_sys::Date::new(&ms.into());
    assert_eq!(
        (local.get_full_year(), local.get_month(), local.get_date()),
        (2026, 0, 15),
        "the end of the chosen day, in the user's time zone"
    );
    assert_eq!((local.get_hours(), local.get_minutes()), (23, 59));

    assert_eq!(ExpiryChoice::Keep.resolve(NOW, ""), Ok(None));
    assert_eq!(ExpiryChoice::Never.resolve(NOW, ""), Ok(Some(None)));
    assert_eq!(
        ExpiryChoice::Days(30).resolve(NOW, ""),
        Ok(Some(Some("2025-12-22T12:00:00.000Z".into())))
    );
    assert_eq!(
        ExpiryChoice::Custom.resolve(NOW, "2020-01-01"),
        Err(t(Tokens::DatePast))
    );
    for c in [
        ExpiryChoice::Keep,
        ExpiryChoice::Days(7),
        ExpiryChoice::Custom,
        ExpiryChoice::Never,
    ] {
        assert_eq!(ExpiryChoice::from_value(&c.value()), c);
    }
}

#[wasm_bindgen_test]
fn sorting_expiring_soon_and_texts() {
    let mut rows = vec![
        row(3, "zeta", None),
        row(1, "Alpha", None),
        row(2, "beta", None),
        row(4, "alpha", None),
    ];
    sort_by_name(&mut rows);
    let ids: Vec<_> = rows.iter().map(|r| r.id).collect();
    assert_eq!(ids, [1, 4, 2, 3], "case-insensitive, ties by id");

    let rows = vec![
        row(1, "later", Some("2025-12-30T00:00:00.000Z")),
        row(2, "in-3-days", Some("2025-11-25T12:00:00.000Z")),
        row(3, "expired", Some("2025-11-01T00:00:00.000Z")),
        row(4, "tomorrow", Some("2025-11-23T12:00:00.000Z")),
        row(5, "never", None),
    ];
    let soon: Vec<_> = expiring_soon(NOW, &rows)
        .into_iter()
        .map(|(r, _)| r.id)
        .collect();
    assert_eq!(soon, [4, 2], "valid keys within 7 days, soonest first");

    assert_eq!(delete_title(1), "Delete 1 API key?");
    assert_eq!(delete_title(2), "Delete 2 API keys?");
    assert_eq!(selection_text(0), "");
    assert_eq!(selection_text(3), "3 API keys selected");
    assert_eq!(
        bulk_delete_path(&[1, 2, 3]),
        "/v7/api_key?$filter=id%20in%20(1,2,3)"
    );
    assert_eq!(
        list_query(5).path(),
        "/v7/api_key?$orderby=name%20asc&$filter=name%20ne%20null%20and%20\
         is_of__actor/any(a:a/is_of__user/any(u:u/id%20eq%205))"
    );
    assert_eq!(
        key_file_name("CI deploy/prod"),
        "api-key-CI-deploy-prod.txt"
    );
    assert_eq!(key_file_name("  "), "api-key.txt");
    assert!(!masked_token("abc.def.ghi").contains('a'));
}

#[wasm_bindgen_test]
fn edit_sends_only_what_changed_and_null_to_clear() {
    let mut r = row(1, "ci", Some("2025-12-01T00:00:00.000Z"));
    r.description = Some("deploys".into());
    assert_eq!(edit_patch(&r, "ci", "deploys", None), None);
    assert_eq!(
        edit_patch(&r, " ci2 ", "deploys", None),
        Some(ApiKeyPatch {
            name: Some("ci2".into()),
            ..Default::default()
        })
    );
    let cleared = edit_patch(&r, "ci", "", Some(None)).unwrap();
    assert_eq!(
        serde_json::to_string(&cleared).unwrap(),
        r#"{"description":null,"expiry_date":null}"#
    );
}

#[wasm_bindgen_test]
fn fresh_authentication_window() {
    let auth = NOW - 6.0 * MINUTE_MS;
    assert_eq!(fresh_minutes_left(NOW, auth), Some(14));
    assert_eq!(fresh_minutes_left(NOW, NOW - 19.5 * MINUTE_MS), Some(1));
    assert_eq!(fresh_minutes_left(NOW, NOW - 20.0 * MINUTE_MS), None);
    assert_eq!(
        fresh_window_text(14),
        "Password confirmed — 14 minutes left"
    );
    assert_eq!(fresh_window_text(1), "Password confirmed — 1 minute left");
}

// ---- the shared dialog ----

#[component]
fn DialogHarness(open: RwSignal<bool>, dismissable: RwSignal<bool>) -> impl IntoView {
    view! {
        <button type="button" on:click=move |_| open.set(true)>"Open"</button>
        <Dialog open=open title="Test dialog" dismissable=Signal::from(dismissable)>
            <div>
                <input type="text" aria-label="First" />
                <button type="button">"Middle"</button>
                <button type="button">"Last"</button>
            </div>
        </Dialog>
    }
}

#[wasm_bindgen_test]
async fn dialog_moves_focus_in_traps_tab_and_returns_focus_on_escape() {
    let open = RwSignal::new(false);
    let dismissable = RwSignal::new(true);
    let (c, _h) = mount(move || view! { <DialogHarness open dismissable /> });
    tick().await;
    assert!(!has_dialog(&c));
    let opener = button(&c, "Open");
    opener.focus().unwrap();
    opener.click();
    tick().await;
    sleep_ms(50).await; // focus moves on the next animation frame

    let dialog = dialog(&c, "Test dialog");
    assert_eq!(dialog.get_attribute("aria-modal").as_deref(), Some("true"));
    let title_id = dialog.get_attribute("aria-labelledby").unwrap();
    let heading = document().get_element_by_id(&title_id).unwrap();
    assert_eq!(heading.text_content().as_deref(), Some("Test dialog"));
    assert!(dialog.get_attribute("style").is_none(), "no inline styles");
    // Focus moves in after the dialog renders; under load that can take a few frames.
    let first = textbox(&dialog, "First");
    until("focus moves into the dialog", || is_active(&first)).await;

    // The Close button comes after the heading, so the order is Close, input, Middle, Last.
    let last = button(&dialog, "Last");
    last.focus().unwrap();
    press_key(&last, "Tab", false).await;
    let close = button(&dialog, "Close");
    assert_eq!(
        document().active_element().as_ref(),
        Some(close.unchecked_ref::<web_sys::Element>()),
        "Tab on the last element wraps to the first"
    );
    press_key(&close, "Tab", true).await;
    assert!(is_active(&last), "Shift+Tab on the first wraps to the last");

    press_key(&last, "Escape", false).await;
    assert!(!open.get_untracked(), "Esc closes a dismissable dialog");
    assert!(!has_dialog(&c));
    assert!(is_active(&opener), "focus goes back to the opener");
}

#[wasm_bindgen_test]
async fn dialog_backdrop_closes_only_when_dismissable() {
    let open = RwSignal::new(true);
    let dismissable = RwSignal::new(false);
    let (c, _h) = mount(move || view! { <DialogHarness open dismissable /> });
    tick().await;
    sleep_ms(30).await;
    let backdrop = backdrop(&c);
    let dialog = dialog(&c, "Test dialog");
    click_on(&backdrop).await;
    press_key(&dialog, "Escape", false).await;
    assert!(
        open.get_untracked(),
        "not dismissable: Esc and backdrop do nothing"
    );
    assert!(
        !has_role(&c, "button", "Close"),
        "and there is no Close button"
    );
    // A click inside the dialog never closes it.
    dismissable.set(true);
    tick().await;
    click_on(&button(&dialog, "Middle")).await;
    assert!(open.get_untracked());
    click_on(&backdrop).await;
    assert!(!open.get_untracked(), "dismissable: the backdrop closes it");
}

// ---- the show-once key dialog ----

#[wasm_bindgen_test]
async fn new_key_dialog_cannot_be_dismissed_until_the_key_is_stored() {
    let secret = RwSignal::new(None::<String>);
    let (c, _h) = mount(move || view! { <NewKeyDialog secret name="ci deploy" /> });
    tick().await;
    assert!(!has_dialog(&c));
    secret.set(Some("K7c3SECRETSECRETSECRETSECRET0001".into()));
    tick().await;
    sleep_ms(50).await;

    let dialog = dialog(&c, "Your new API key");
    let value = textbox(&dialog, "API key “ci deploy”");
    assert_eq!(value.value(), "K7c3SECRETSECRETSECRETSECRET0001");
    assert!(value.read_only());
    assert!(accessible_description(&dialog)
        .unwrap()
        .contains("only time"));
    assert!(
        is_active(&button(&dialog, "Copy API key")),
        "focus starts on the copy button"
    );
    let _ = button(&c, "Download API key");
    let done = button(&c, "Done");
    assert!(done.disabled(), "Done waits for the confirmation");

    // Neither Esc nor the backdrop nor Done dismisses it yet.
    press_key(&dialog, "Escape", false).await;
    click_on(&backdrop(&c)).await;
    done.click();
    tick().await;
    assert!(has_dialog(&c), "still open before confirming");
    assert!(secret.get_untracked().is_some());
    assert!(!has_role(&c, "button", "Close"));

    let checkbox: HtmlInputElement = by_role(&dialog, "checkbox", t(Tokens::StoredKey));
    assert_eq!(
        checkbox.parent_element().unwrap().text_content().as_deref(),
        Some(t(Tokens::StoredKey))
    );
    checkbox.set_checked(true);
    fire(&checkbox, "change").await;
    assert!(!done.disabled());
    // Now Esc closes it, and the key is gone from memory and from the page.
    press_key(&dialog, "Escape", false).await;
    tick().await;
    assert!(!has_dialog(&c));
    assert_eq!(secret.get_untracked(), None, "the key is dropped");
    assert!(!c.inner_html().contains("SECRETSECRET"));

    // A second key: Done (after ticking) closes it too, and the tick does not carry over.
    secret.set(Some("SECOND-KEY-0000000000000000000000".into()));
    tick().await;
    sleep_ms(30).await;
    assert!(
        button(&c, "Done").disabled(),
        "the confirmation starts unticked"
    );
    let checkbox: HtmlInputElement = by_role(&c, "checkbox", t(Tokens::StoredKey));
    checkbox.set_checked(true);
    fire(&checkbox, "change").await;
    button(&c, "Done").click();
    tick().await;
    tick().await;
    assert!(!has_dialog(&c));
    assert_eq!(secret.get_untracked(), None);
    assert!(!c.inner_html().contains("SECOND-KEY"));
}

// ---- the create form ----

#[wasm_bindgen_test]
async fn create_form_validates_as_you_type() {
    session::clear_tokens();
    let open = RwSignal::new(true);
    let (c, _h) = mount(move || {
        view! { <CreateKeyDialog open on_created=Callback::new(|_: (String, String)| {}) /> }
    });
    tick().await;
    sleep_ms(30).await;
    let submit = button(&c, "Create key");
    assert_eq!(submit.type_(), "submit");
    assert_eq!(submit.text_content().as_deref(), Some("Create key"));
    assert!(submit.disabled(), "a name is required");
    let name = textbox(&c, "Name");
    until("focus starts on the name", || is_active(&name)).await;
    assert_eq!(error_of(&name), None, "untouched: no error yet");

    set_input(&name, "   ").await;
    assert_eq!(error_of(&name).as_deref(), Some("Name is required"));
    set_input(&name, &"n".repeat(51)).await;
    assert_eq!(
        error_of(&name).as_deref(),
        Some("Name must be at most 50 characters")
    );
    assert_eq!(name.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(submit.disabled());
    set_input(&name, "ci deploy").await;
    assert_eq!(error_of(&name), None);
    assert!(!c.text_content().unwrap().contains("at most 50 characters"));
    assert!(
        !submit.disabled(),
        "name given; description optional; 30 days preset"
    );

    let description = textbox(&c, "Description (optional)");
    set_input(&description, &"d".repeat(151)).await;
    assert_eq!(
        error_of(&description).as_deref(),
        Some("Description must be at most 150 characters")
    );
    assert!(submit.disabled());
    set_input(&description, "").await;
    assert!(!submit.disabled());

    // The presets, then a custom date that must be in the future.
    let select: HtmlSelectElement = by_role(&c, "combobox", "Expiry");
    let options: Vec<String> = (0..select.length())
        .map(|i| select.item(i).unwrap().text_content().unwrap())
        .collect();
    assert_eq!(
        options,
        [
            "1 day",
            "7 days",
            "30 days",
            "90 days",
            "Custom date…",
            "Never"
        ]
    );
    assert_eq!(select.value(), "30");
    select.set_value("custom");
    fire(&select, "change").await;
    let date = expiry_date(&c).expect("a date input for a custom expiry");
    assert!(submit.disabled(), "a custom expiry needs a date");
    set_input(&date, "2020-01-01").await;
    assert_eq!(error_of(&date).as_deref(), Some(t(Tokens::DatePast)));
    assert!(submit.disabled());
    set_input(&date, "2999-01-01").await;
    assert_eq!(error_of(&date), None);
    assert!(!c.text_content().unwrap().contains(t(Tokens::DatePast)));
    assert!(!submit.disabled());
    select.set_value("never");
    fire(&select, "change").await;
    assert!(expiry_date(&c).is_none());
    assert!(!submit.disabled());
}

/// Submitting against the test page's server (no API there) shows the pending state, then
/// the error in an alert; the dialog stays open with what was typed.
#[wasm_bindgen_test]
async fn create_form_shows_pending_then_the_error() {
    // Signed in (exp in 2100), so the request really goes out to the test page's server.
    session::save_token(FAR_FUTURE, false);
    let open = RwSignal::new(true);
    let created = RwSignal::new(false);
    let (c, _h) = mount(move || {
        view! { <CreateKeyDialog open on_created=Callback::new(move |_: (String, String)| created.set(true)) /> }
    });
    tick().await;
    type_into(&c, "Name", "ci").await;
    let submit = button(&c, "Create key");
    assert_eq!(submit.type_(), "submit");
    submit.click();
    tick().await;
    assert_eq!(submit.text_content().as_deref(), Some("Creating…"));
    assert_eq!(submit.get_attribute("aria-busy").as_deref(), Some("true"));
    for _ in 0..50 {
        if text_by_role(&c, "alert").is_some() {
            break;
        }
        sleep_ms(50).await;
    }
    assert!(text_by_role(&c, "alert").is_some());
    assert!(open.get_untracked());
    assert!(!created.get_untracked());
    assert_eq!(textbox(&c, "Name").value(), "ci");
    session::clear_tokens();
}

const FAR_FUTURE: &str = "eyJhbGciOiJIUzI1NiJ9.eyJpZCI6MSwiand0X3NlY3JldCI6IlMiLCJhdXRoVGltZSI6MCwiaWF0Ijo0MTAyNDQ0ODAwLCJleHAiOjQxMDMwNDk2MDB9.c2ln";

// ---- copy button ----

#[wasm_bindgen_test]
async fn copy_button_shows_visible_announced_feedback() {
    let (c, _h) = mount(|| view! { <CopyButton text="hello" accessible_name="Copy greeting" /> });
    tick().await;
    let b = button(&c, "Copy greeting");
    assert_eq!(b.text_content().as_deref(), Some("Copy"));
    b.click();
    for _ in 0..40 {
        if !text_by_role(&c, "status").unwrap_or_default().is_empty() {
            break;
        }
        sleep_ms(50).await;
    }
    // Headless Chromium may refuse the clipboard (no focus or permission): either outcome
    // must be visible in the status region.
    let feedback = text_by_role(&c, "status").unwrap();
    assert!(
        feedback == t(Common::Copied) || feedback == t(Common::CopyFailed),
        "feedback: {feedback:?}"
    );
}

// ---- fresh authentication ----

#[wasm_bindgen_test]
async fn fresh_auth_asks_for_the_password_and_a_cancel_returns_the_error() {
    session::clear_tokens();
    let (c, _h) = mount(|| {
        CONTEXT.with(|c| c.set(Some(expect_context::<FreshAuth>())));
        view! { <FreshAuthDialog /> }
    });
    tick().await;
    let calls = Rc::new(Cell::new(0));
    let result = Rc::new(std::cell::RefCell::new(None));
    let ctx = CONTEXT.with(|c| c.get()).expect("context captured");
    {
        let calls = calls.clone();
        let result = result.clone();
        spawn_local(async move {
            let r: Result<(), ApiError> = ctx
                .run(|| {
                    calls.set(calls.get() + 1);
                    async { Err(ApiError::FreshAuthRequired) }
                })
                .await;
            *result.borrow_mut() = Some(r);
        });
    }
    tick().await;
    sleep_ms(50).await;
    let dialog = dialog(&c, "Confirm your password");
    let password = textbox(&dialog, "Password");
    until("focus on the password", || is_active(&password)).await;
    let confirm = button(&dialog, "Confirm");
    assert_eq!(confirm.type_(), "submit");
    assert!(confirm.disabled());
    button(&dialog, "Cancel").click();
    tick().await;
    sleep_ms(20).await;
    assert!(!has_dialog(&c));
    assert_eq!(*result.borrow(), Some(Err(ApiError::FreshAuthRequired)));
    assert_eq!(calls.get(), 1, "no retry without a confirmation");
}

thread_local! {
    static CONTEXT: Cell<Option<FreshAuth>> = const { Cell::new(None) };
}

/// A JWT-shaped string whose payload is `json` in unpadded base64url.
fn jwt(json: &str) -> String {
    let b64 = web_sys::window().unwrap().btoa(json).unwrap();
    let url = b64
        .replace('+', "-")
        .replace('/', "_")
        .trim_end_matches('=')
        .to_string();
    format!("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.{url}.c2lnbmF0dXJl")
}

/// A session token issued now (expires in 7 days) whose password was confirmed
/// `auth_age_min` minutes ago.
fn session_token(auth_age_min: f64) -> String {
    let now = js_sys::Date::now();
    let iat = (now / 1000.0) as i64;
    jwt(&format!(
        r#"{{"id":7,"jwt_secret":"S","authTime":{},"iat":{iat},"exp":{}}}"#,
        (now - auth_age_min * MINUTE_MS) as i64,
        iat + 7 * 24 * 3600
    ))
}

#[wasm_bindgen_test]
async fn session_token_is_masked_until_revealed_and_says_when_it_expires() {
    use account_console::pages::preferences::access_tokens::SessionTokenPanel;
    let token = session_token(60.0);
    session::save_token(&token, false);
    let (c, _h) = mount(SessionTokenPanel);
    tick().await;
    let reveal = button(&c, "Reveal session token");
    // What the Reveal button shows and hides.
    let value = document()
        .get_element_by_id(&reveal.get_attribute("aria-controls").unwrap())
        .expect("the token the button controls");
    let shown = || value.text_content().unwrap();
    assert!(!shown().contains(&token[..20]), "masked by default");
    assert!(c.inner_html().find(&token).is_none(), "nowhere in the DOM");
    assert_eq!(
        reveal.get_attribute("aria-pressed").as_deref(),
        Some("false")
    );
    reveal.click();
    tick().await;
    assert_eq!(shown(), token);
    assert_eq!(
        reveal.get_attribute("aria-pressed").as_deref(),
        Some("true")
    );
    reveal.click();
    tick().await;
    assert!(!shown().contains(&token[..20]), "hidden again");
    // The expiry line is a plain paragraph, without a role.
    let expiry = text_of(&c, ".token-expiry").unwrap();
    assert!(expiry.starts_with("Expires in 7 days — on "), "{expiry}");
    let _ = button(&c, "Copy session token");
    let _ = button(&c, "Refresh session token");
    let facts = c.text_content().unwrap();
    assert!(facts.contains("Session tokens last 7 days"));
    assert!(facts.contains("revoke them under Active sessions"));
    assert!(facts.contains("use an API key instead"));
    session::clear_tokens();
}

#[wasm_bindgen_test]
async fn fresh_auth_indicator_counts_down_the_window() {
    use account_console::components::fresh_auth::FreshAuthIndicator;
    session::save_token(&session_token(6.0), false);
    let (c, _h) = mount(FreshAuthIndicator);
    tick().await;
    assert_eq!(
        text_by_role(&c, "status").as_deref(),
        Some("Password confirmed — 14 minutes left")
    );
    session::clear_tokens();
    let (c, _h) = {
        session::save_token(&session_token(25.0), false);
        mount(FreshAuthIndicator)
    };
    tick().await;
    assert_eq!(
        text_by_role(&c, "status").as_deref(),
        Some(""),
        "nothing once the window has passed"
    );
    session::clear_tokens();
}

const KEYS_TABLE: &str = "Your API keys, sorted by name";

fn keys_fixture() -> Vec<ApiKeyRow> {
    let now = js_sys::Date::now();
    let mut a = row(11, "zeta deploy", Some(&iso_from_ms(now + 3.0 * DAY_MS)));
    a.description = Some("pushes releases".into());
    a.last_used_at = Some(iso_from_ms(now - 3.2 * DAY_MS));
    let b = row(12, "Alpha CI", None);
    let c = row(13, "metrics", Some(&iso_from_ms(now - DAY_MS)));
    vec![a, b, c]
}

#[wasm_bindgen_test]
async fn keys_table_sorts_selects_all_and_names_the_keys_to_delete() {
    use account_console::pages::preferences::access_tokens::keys::ApiKeysPanel;
    use account_console::state::api_keys::ApiKeys;
    session::clear_tokens();
    let (c, _h) = mount(|| {
        provide_context(ApiKeys::from_rows(keys_fixture()));
        view! { <ApiKeysPanel /> }
    });
    for _ in 0..20 {
        if has_role(&c, "table", KEYS_TABLE) {
            break;
        }
        sleep_ms(20).await;
    }
    let table: HtmlElement = by_role(&c, "table", KEYS_TABLE);
    let names: Vec<String> = all_by_role(&table, "rowheader")
        .into_iter()
        .map(|(_, th)| th.text_content().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Alpha CI", "metrics", "zeta deploy"],
        "sorted by name"
    );
    // After the header row, one row per key.
    let rows = all_by_role(&table, "row");
    assert_eq!(rows.len(), 4);
    let row_text = |i: usize| rows[i + 1].1.text_content().unwrap();
    assert!(row_text(0).contains("Never expires"));
    assert!(row_text(0).contains("Never used"));
    assert!(row_text(1).contains("Expired"));
    assert!(row_text(2).contains("Expires in 3 days"), "{}", row_text(2));
    assert!(row_text(2).contains("Last used 3 days ago"));
    assert!(row_text(2).contains("pushes releases"));
    let _ = button(&c, "Edit metrics");
    let _ = button(&c, "Create API key");

    let delete = button(&c, "Delete selected");
    assert!(delete.disabled(), "nothing selected yet");
    let all: HtmlInputElement = by_role(&table, "checkbox", "Select all API keys");
    all.set_checked(true);
    fire(&all, "change").await;
    let boxes: Vec<_> = all_by_role(&table, "checkbox")
        .into_iter()
        .filter(|(name, _)| name != "Select all API keys")
        .collect();
    assert_eq!(boxes.len(), 3);
    assert!(boxes
        .iter()
        .all(|(_, b)| b.unchecked_ref::<HtmlInputElement>().checked()));
    assert_eq!(
        text_by_role(&c, "status").as_deref(),
        Some("3 API keys selected")
    );
    // Unselect one: select-all becomes indeterminate.
    let alpha: HtmlInputElement = by_role(&table, "checkbox", "Select Alpha CI");
    alpha.set_checked(false);
    fire(&alpha, "change").await;
    assert!(!all.checked());
    assert!(all.indeterminate());
    assert!(!delete.disabled());

    delete.click();
    tick().await;
    sleep_ms(30).await;
    let dialog = dialog(&c, "Delete 2 API keys?");
    let listed: Vec<String> = all_by_role(&dialog, "listitem")
        .into_iter()
        .map(|(_, li)| li.text_content().unwrap())
        .collect();
    assert_eq!(listed, ["metrics", "zeta deploy"]);
    let _ = button(&dialog, "Delete 2 API keys");
    let cancel = button(&dialog, "Cancel");
    assert!(is_active(&cancel), "the safe choice has focus");
    cancel.click();
    tick().await;
    assert!(!has_dialog(&c));
    assert_eq!(
        text_by_role(&c, "status").as_deref(),
        Some("2 API keys selected"),
        "cancelling keeps the selection"
    );
}

#[wasm_bindgen_test]
async fn keys_table_empty_state_invites_creating_a_key() {
    use account_console::pages::preferences::access_tokens::keys::ApiKeysPanel;
    use account_console::state::api_keys::ApiKeys;
    let (c, _h) = mount(|| {
        provide_context(ApiKeys::from_rows(Vec::new()));
        view! { <ApiKeysPanel /> }
    });
    for _ in 0..20 {
        if has_role(&c, "button", "Create your first API key") {
            break;
        }
        sleep_ms(20).await;
    }
    assert!(all_by_role(&c, "table").is_empty());
    button(&c, "Create your first API key").click();
    tick().await;
    sleep_ms(30).await;
    let _ = dialog(&c, "Create API key");
}

// ---- in German ----

fn german() {
    use account_console::i18n::{Language, Locale};
    provide_context(Language::with(Locale::De));
}

#[wasm_bindgen_test]
async fn keys_table_speaks_german() {
    use account_console::pages::preferences::access_tokens::keys::ApiKeysPanel;
    use account_console::state::api_keys::ApiKeys;
    session::clear_tokens();
    let (c, _h) = mount(|| {
        german();
        provide_context(ApiKeys::from_rows(keys_fixture()));
        view! { <ApiKeysPanel /> }
    });
    let caption = "Ihre API-Schlüssel, nach Name sortiert";
    until("the table", || has_role(&c, "table", caption)).await;
    let table: HtmlElement = by_role(&c, "table", caption);
    let _ = by_role::<HtmlElement>(&c, "heading", "API-Schlüssel");
    let _ = button(&c, "API-Schlüssel erstellen");
    let headers: Vec<String> = all_by_role(&table, "columnheader")
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    assert_eq!(
        headers,
        [
            "Alle API-Schlüssel auswählen",
            "Name",
            "Beschreibung",
            "Erstellt",
            "Ablauf",
            "Zuletzt verwendet",
            "Aktionen"
        ]
    );
    let rows = all_by_role(&table, "row");
    let row_text = |i: usize| rows[i + 1].1.text_content().unwrap();
    assert!(row_text(0).contains("Läuft nie ab"), "{}", row_text(0));
    assert!(row_text(0).contains("Nie verwendet"));
    assert!(row_text(0).contains("01.11.2025"), "{}", row_text(0));
    assert!(row_text(1).contains("Abgelaufen"));
    assert!(
        row_text(2).contains("Läuft in 3 Tagen ab"),
        "{}",
        row_text(2)
    );
    assert!(row_text(2).contains("Zuletzt verwendet vor 3 Tagen"));
    let _ = button(&c, "metrics bearbeiten");

    let delete = button(&c, "Ausgewählte löschen");
    let all: HtmlInputElement = by_role(&table, "checkbox", "Alle API-Schlüssel auswählen");
    all.set_checked(true);
    fire(&all, "change").await;
    assert_eq!(
        text_by_role(&c, "status").as_deref(),
        Some("3 API-Schlüssel ausgewählt")
    );
    let alpha: HtmlInputElement = by_role(&table, "checkbox", "Alpha CI auswählen");
    alpha.set_checked(false);
    fire(&alpha, "change").await;
    delete.click();
    tick().await;
    sleep_ms(30).await;
    let dialog = dialog(&c, "2 API-Schlüssel löschen?");
    assert!(accessible_description(&dialog)
        .unwrap()
        .contains("funktionieren sofort nicht mehr"));
    let _ = button(&dialog, "2 API-Schlüssel löschen");
}

#[wasm_bindgen_test]
async fn create_form_speaks_german() {
    session::clear_tokens();
    let open = RwSignal::new(true);
    let (c, _h) = mount(move || {
        german();
        view! { <CreateKeyDialog open on_created=Callback::new(|_: (String, String)| {}) /> }
    });
    tick().await;
    sleep_ms(30).await;
    let dialog = dialog(&c, "API-Schlüssel erstellen");
    let submit = button(&dialog, "Schlüssel erstellen");
    let name = textbox(&dialog, "Name");
    set_input(&name, "   ").await;
    assert_eq!(
        error_of(&name).as_deref(),
        Some("Geben Sie einen Namen ein")
    );
    let description = textbox(&dialog, "Beschreibung (optional)");
    set_input(&description, &"d".repeat(151)).await;
    assert_eq!(
        error_of(&description).as_deref(),
        Some("Die Beschreibung darf höchstens 150 Zeichen lang sein")
    );
    assert!(submit.disabled());

    let select: HtmlSelectElement = by_role(&dialog, "combobox", "Ablauf");
    let options: Vec<String> = (0..select.length())
        .map(|i| select.item(i).unwrap().text_content().unwrap())
        .collect();
    assert_eq!(
        options,
        [
            "1 Tag",
            "7 Tage",
            "30 Tage",
            "90 Tage",
            "Eigenes Datum…",
            "Nie"
        ]
    );
    select.set_value("custom");
    fire(&select, "change").await;
    let date: HtmlInputElement = dialog
        .query_selector("input[type=date]")
        .unwrap()
        .expect("a date input")
        .unchecked_into();
    assert_eq!(accessible_name(&date), "Ablaufdatum");
    set_input(&date, "2020-01-01").await;
    assert_eq!(
        error_of(&date).as_deref(),
        Some("Wählen Sie ein Datum in der Zukunft")
    );
}

#[wasm_bindgen_test]
async fn new_key_dialog_speaks_german() {
    let secret = RwSignal::new(None::<String>);
    let (c, _h) = mount(move || {
        german();
        view! { <NewKeyDialog secret name="ci deploy" /> }
    });
    tick().await;
    secret.set(Some("K7c3SECRETSECRETSECRETSECRET0001".into()));
    tick().await;
    sleep_ms(50).await;
    let dialog = dialog(&c, "Ihr neuer API-Schlüssel");
    let _ = textbox(&dialog, "API-Schlüssel „ci deploy“");
    let _ = button(&dialog, "API-Schlüssel kopieren");
    let _ = button(&dialog, "API-Schlüssel herunterladen");
    let _: HtmlInputElement = by_role(
        &dialog,
        "checkbox",
        "Ich habe diesen Schlüssel an einem sicheren Ort gespeichert",
    );
    assert!(button(&dialog, "Fertig").disabled());
    assert!(accessible_description(&dialog)
        .unwrap()
        .contains("nur dieses eine Mal"));
}

#[wasm_bindgen_test]
async fn session_token_panel_speaks_german() {
    use account_console::pages::preferences::access_tokens::SessionTokenPanel;
    session::save_token(&session_token(60.0), false);
    let (c, _h) = mount(|| {
        german();
        view! { <SessionTokenPanel /> }
    });
    tick().await;
    let _ = by_role::<HtmlElement>(&c, "heading", "Sitzungstoken");
    let _ = button(&c, "Sitzungstoken anzeigen");
    let _ = button(&c, "Sitzungstoken kopieren");
    let _ = button(&c, "Sitzungstoken erneuern");
    let expiry = text_of(&c, ".token-expiry").unwrap();
    assert!(expiry.starts_with("Läuft in 7 Tagen ab – am "), "{expiry}");
    session::clear_tokens();
}

#[wasm_bindgen_test]
async fn expiring_keys_banner_in_english_and_german() {
    use account_console::pages::preferences::access_tokens::banner::ExpiringKeysBanner;
    use account_console::state::api_keys::ApiKeys;
    for (in_german, heading, item, link, dismiss) in [
        (
            false,
            "1 API key expires soon",
            "zeta deploy expires in 3 days. Extend",
            "Extend zeta deploy",
            "Dismiss",
        ),
        (
            true,
            "1 API-Schlüssel läuft bald ab",
            "zeta deploy läuft in 3 Tagen ab. Verlängern",
            "zeta deploy verlängern",
            "Ausblenden",
        ),
    ] {
        let (c, _h) = mount(move || {
            if in_german {
                german();
            }
            provide_context(ApiKeys::from_rows(keys_fixture()));
            view! { <ExpiringKeysBanner /> }
        });
        until("the banner", || has_role(&c, "heading", heading)).await;
        let items: Vec<String> = all_by_role(&c, "listitem")
            .into_iter()
            .map(|(_, li)| li.text_content().unwrap())
            .collect();
        assert_eq!(items, [item]);
        let _ = by_role::<HtmlElement>(&c, "link", link);
        button(&c, dismiss).click();
        tick().await;
        assert!(!has_role(&c, "heading", heading), "dismissed");
    }
}
