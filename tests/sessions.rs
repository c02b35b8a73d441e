//! Preferences → Active sessions, in headless Chromium against a `fetch` stub: the texts, the
//! list (this session marked, Revoke on the others), loading errors with Retry, and both
//! revocations behind a confirmation, with their buttons disabled while a request runs.
#![cfg(target_arch = "wasm32")]
use account_console::components::toasts::ToastRegion;
use account_console::pages::preferences::access_tokens::logic::date_part;
use account_console::pages::preferences::sessions::logic::*;
use account_console::pages::preferences::sessions::ActiveSessions;
use account_console::state::session;
use leptos::prelude::*;
use leptos::task::tick;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlButtonElement, HtmlElement};
use wire::SessionRow;

mod common;
use common::fetch::{release, requests, stub_fetch, unstub_fetch, until};
use common::{all_by_role, by_role, mount};

wasm_bindgen_test_configure!(run_in_browser);

fn row(id: i64, browser: Option<&str>, os: Option<&str>, current: bool) -> SessionRow {
    SessionRow {
        id,
        browser: browser.map(str::to_string),
        os: os.map(str::to_string),
        ip: Some(format!("198.51.100.{id}")),
        created_at: "2026-01-01T00:00:00.000Z".into(),
        last_used_at: "2026-01-02T00:00:00.000Z".into(),
        current,
    }
}

fn two_sessions() -> String {
    serde_json::to_string(&[
        row(1, Some("Chrome"), Some("macOS"), true),
        row(2, Some("Firefox"), Some("Linux"), false),
    ])
    .unwrap()
}

/// A JWT-shaped token for user 7, issued now (no refresh due), expiring in an hour.
fn sign_in() {
    let now = session::now_secs();
    let json = format!(
        r#"{{"id":7,"jwt_secret":"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567","authTime":{},"iat":{now},"exp":{}}}"#,
        now * 1000,
        now + 3600
    );
    let b64 = window()
        .btoa(&json)
        .unwrap()
        .replace('+', "-")
        .replace('/', "_");
    let token = format!(
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.{}.c2ln",
        b64.trim_end_matches('=')
    );
    session::save_token(&token, false);
}

fn button(root: &HtmlElement, name: &str) -> HtmlButtonElement {
    by_role(root, "button", name)
}

/// The open dialog's accessible name, if one is open.
fn dialog_name(root: &HtmlElement) -> Option<String> {
    all_by_role(root, "dialog")
        .into_iter()
        .next()
        .map(|(name, _)| name)
}

fn has_alert(root: &HtmlElement) -> bool {
    !all_by_role(root, "alert").is_empty()
}

fn text(root: &HtmlElement) -> String {
    root.text_content().unwrap_or_default()
}

#[wasm_bindgen_test]
fn texts_name_the_session_and_the_action() {
    let firefox = row(2, Some("Firefox"), Some("Linux"), false);
    assert_eq!(session_label(&firefox), "Firefox on Linux");
    assert_eq!(
        revoke_name(&firefox),
        "Revoke Firefox on Linux (198.51.100.2)"
    );
    assert_eq!(
        session_label(&row(3, None, Some("iOS"), false)),
        "Unknown browser on iOS"
    );
    assert_eq!(session_label(&row(4, Some("curl"), None, false)), "curl");
    let mut bare = row(5, None, None, false);
    bare.ip = None;
    assert_eq!(revoke_name(&bare), "Revoke Unknown browser");
    let sorted = current_first(vec![firefox.clone(), row(1, None, None, true)]);
    assert_eq!(sorted.iter().map(|r| r.id).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(
        RevokeTarget::Others { count: 1 }.confirm_label(),
        "Revoke 1 other session"
    );
    assert_eq!(
        RevokeTarget::Others { count: 3 }.confirm_label(),
        "Revoke 3 other sessions"
    );
    assert_eq!(revoked_others_text(2), "Revoked 2 other sessions.");
}

#[wasm_bindgen_test]
async fn lists_the_sessions_marking_this_one_and_revoking_only_others() {
    sign_in();
    stub_fetch(&[("GET", "/user/v1/sessions", vec![(200, two_sessions())])]);
    let (c, _h) = mount(|| view! { <ActiveSessions /> });
    until("the list", || text(&c).contains("Firefox on Linux")).await;
    let list: Element = by_role(&c, "list", "Your sessions");
    let items = all_by_role(&list, "listitem");
    assert_eq!(items.len(), 2);
    let (_, current) = items
        .iter()
        .find(|(_, item)| {
            item.text_content()
                .unwrap_or_default()
                .contains("Chrome on macOS")
        })
        .expect("this session's item");
    assert!(
        current.class_list().contains("is-current"),
        "this session is marked"
    );
    let current_text = current.text_content().unwrap();
    assert!(current_text.contains("Chrome on macOS"), "{current_text}");
    assert!(current_text.contains("This session"));
    assert!(current_text.contains("198.51.100.1"));
    assert!(
        all_by_role(current, "button").is_empty(),
        "no Revoke on this one"
    );
    let revokes = all_by_role(&c, "button")
        .into_iter()
        .filter(|(name, _)| name == "Revoke Firefox on Linux (198.51.100.2)")
        .count();
    assert_eq!(revokes, 1);
    assert!(!button(&c, "Revoke all other sessions").disabled());
    // The sign-in date, in the format the Access tokens page uses for dates.
    let signed_in = current
        .query_selector("time")
        .unwrap()
        .expect("the sign-in time");
    assert_eq!(
        signed_in.get_attribute("datetime").as_deref(),
        Some("2026-01-01T00:00:00.000Z")
    );
    let date = date_part("2026-01-01T00:00:00.000Z");
    assert_eq!(signed_in.text_content(), Some(date.clone()));
    assert!(
        current_text.contains(&format!("Signed in {date}")),
        "{current_text}"
    );
    assert!(text(&c).contains("Signed in Jan 1, 2026"));
    unstub_fetch();
    session::clear_tokens();
}

#[wasm_bindgen_test]
async fn a_failed_load_says_so_and_retry_loads_again() {
    sign_in();
    let only_me = serde_json::to_string(&[row(1, Some("Chrome"), None, true)]).unwrap();
    let answers = vec![(500, String::new()), (200, only_me)];
    stub_fetch(&[("GET", "/user/v1/sessions", answers)]);
    let (c, _h) = mount(|| view! { <ActiveSessions /> });
    until("the error", || has_alert(&c)).await;
    assert!(text(&c).contains("Your sessions could not be loaded."));
    button(&c, "Retry").click();
    until("the list", || text(&c).contains("This session")).await;
    assert!(!has_alert(&c));
    // Nobody else is signed in: nothing to revoke.
    assert!(button(&c, "Revoke all other sessions").disabled());
    unstub_fetch();
    session::clear_tokens();
}

#[wasm_bindgen_test]
async fn revoking_one_asks_first_and_is_disabled_while_it_runs() {
    sign_in();
    stub_fetch(&[
        ("GET", "/user/v1/sessions", vec![(200, two_sessions())]),
        ("DELETE", "/user/v1/sessions/2", vec![(0, String::new())]),
    ]);
    let (c, _h) = mount(|| view! { <ActiveSessions /> <ToastRegion /> });
    until("the list", || text(&c).contains("Firefox on Linux")).await;
    button(&c, "Revoke Firefox on Linux (198.51.100.2)").click();
    tick().await;
    assert_eq!(dialog_name(&c).as_deref(), Some("Revoke Firefox on Linux?"));
    button(&c, "Cancel").click();
    tick().await;
    assert_eq!(dialog_name(&c), None);
    assert!(
        !requests().iter().any(|r| r.starts_with("DELETE")),
        "cancel sends nothing"
    );

    button(&c, "Revoke Firefox on Linux (198.51.100.2)").click();
    tick().await;
    button(&c, "Revoke session").click();
    until("the request", || {
        requests().contains(&"DELETE /user/v1/sessions/2".to_string())
    })
    .await;
    tick().await;
    let busy = button(&c, "Revoking…");
    assert!(busy.disabled());
    assert!(button(&c, "Cancel").disabled());
    release();
    until("the toast", || {
        text(&c).contains("Revoked Firefox on Linux. It is signed out.")
    })
    .await;
    assert_eq!(dialog_name(&c), None);
    let loads = || {
        requests()
            .iter()
            .filter(|r| *r == "GET /user/v1/sessions")
            .count()
    };
    until("the list to reload", || loads() >= 2).await;
    unstub_fetch();
    session::clear_tokens();
}

#[wasm_bindgen_test]
async fn revoking_all_others_asks_first_and_reports_how_many() {
    sign_in();
    stub_fetch(&[
        ("GET", "/user/v1/sessions", vec![(200, two_sessions())]),
        (
            "POST",
            "/user/v1/sessions/revoke-others",
            vec![(200, r#"{"revoked":1}"#.into())],
        ),
    ]);
    let (c, _h) = mount(|| view! { <ActiveSessions /> <ToastRegion /> });
    until("the list", || text(&c).contains("Firefox on Linux")).await;
    button(&c, "Revoke all other sessions").click();
    tick().await;
    assert_eq!(
        dialog_name(&c).as_deref(),
        Some("Revoke all other sessions?")
    );
    button(&c, "Revoke 1 other session").click();
    until("the toast", || {
        text(&c).contains("Revoked 1 other session.")
    })
    .await;
    assert!(requests().contains(&"POST /user/v1/sessions/revoke-others".to_string()));
    assert_eq!(dialog_name(&c), None);
    unstub_fetch();
    session::clear_tokens();
}

#[wasm_bindgen_test]
async fn the_sessions_tab_speaks_german_down_to_the_toast() {
    use account_console::i18n::{Language, Locale};
    sign_in();
    stub_fetch(&[
        ("GET", "/user/v1/sessions", vec![(200, two_sessions())]),
        (
            "POST",
            "/user/v1/sessions/revoke-others",
            vec![(200, r#"{"revoked":1}"#.into())],
        ),
    ]);
    let (c, _h) = mount(|| {
        provide_context(Language::with(Locale::De));
        view! { <ActiveSessions /> <ToastRegion /> }
    });
    until("the list", || text(&c).contains("Firefox unter Linux")).await;
    let _: HtmlElement = by_role(&c, "heading", "Aktive Sitzungen");
    let list: Element = by_role(&c, "list", "Ihre Sitzungen");
    assert_eq!(all_by_role(&list, "listitem").len(), 2);
    let revoke = button(&c, "Firefox unter Linux (198.51.100.2) widerrufen");
    assert_eq!(revoke.text_content().as_deref(), Some("Widerrufen"));
    let page = text(&c);
    assert!(page.contains("Diese Sitzung"), "{page}");
    assert!(page.contains("Angemeldet am "), "{page}");
    assert!(page.contains("Zuletzt aktiv "), "{page}");

    button(&c, "Alle anderen Sitzungen widerrufen").click();
    tick().await;
    assert_eq!(
        dialog_name(&c).as_deref(),
        Some("Alle anderen Sitzungen widerrufen?")
    );
    button(&c, "1 andere Sitzung widerrufen").click();
    // The toast is written after the request, outside the view that started it.
    until("the toast", || {
        text(&c).contains("1 andere Sitzung wurde widerrufen.")
    })
    .await;
    assert_eq!(dialog_name(&c), None);
    unstub_fetch();
    session::clear_tokens();
}
