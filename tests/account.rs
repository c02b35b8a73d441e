//! Account pages in the console, in headless Chromium: the reset page's fragment handling and
//! validation, the password section's two modes, the delete dialog's enabling rule, the
//! social sign-in callback and buttons. The server is replaced by a `fetch` stub where a
//! request matters.
#![cfg(target_arch = "wasm32")]
use account_console::api::account::{fragment_param, is_invalid_reset_link, percent_decode};
use account_console::api::social::{
    self, authorize_url, error_text, hand_login_error, parse_callback, CallbackOutcome, NONCE_KEY,
};
use account_console::api::ApiError;
use account_console::components::social_buttons::SocialButtons;
use account_console::i18n::{catalogue::Auth, text, Locale};
use account_console::pages::auth_callback::AuthCallbackPage;
use account_console::pages::forgot_password::ForgotPasswordPage;
use account_console::pages::login::LoginPage;
use account_console::pages::preferences::account_details::danger_zone::{can_delete, DangerZone};
use account_console::pages::preferences::account_details::password::{
    password_form_ready, PasswordSection,
};
use account_console::pages::reset_password::ResetPasswordPage;
use account_console::state::config::Config;
use account_console::state::session::{self, Session, TOKEN_KEY};
use leptos::prelude::*;
use leptos::task::tick;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;
use web_sys::{HtmlButtonElement, HtmlElement, HtmlInputElement};
use wire::{SignInErrorCode, ERROR_CODE_HEADER};

mod common;
use common::fetch::sleep_ms;
use common::{
    accessible_description, all_by_role, by_role, has_role, mount, names_by_role, text_by_role,
    text_of,
};

wasm_bindgen_test_configure!(run_in_browser);

const NEEDS_PASSWORD_TEXT: &str = "Your account has no password yet. Set one in the Password section above first: deleting your account asks for it.";
const USERNAME_MISMATCH: &str = "This is not your username";
/// The English text of an auth message: the tests mount the console in English.
fn en(message: Auth) -> &'static str {
    text(Locale::En, message)
}

fn button(root: &HtmlElement, name: &str) -> HtmlButtonElement {
    by_role(root, "button", name)
}

fn textbox(root: &HtmlElement, name: &str) -> HtmlInputElement {
    by_role(root, "textbox", name)
}

/// The field's error: the text of what it is described by.
fn error_of(root: &HtmlElement, field: &str) -> Option<String> {
    accessible_description(&textbox(root, field))
}

/// The text of the control's first `<label>`.
fn label_of(input: &HtmlInputElement) -> Option<String> {
    input.labels()?.item(0)?.text_content()
}

fn heading(root: &HtmlElement, name: &str) -> HtmlElement {
    by_role(root, "heading", name)
}

fn has_dialog(root: &HtmlElement) -> bool {
    !all_by_role(root, "dialog").is_empty()
}

/// Whether the reset page shows its form: (new password, confirmation, submit button).
fn reset_form(root: &HtmlElement) -> [bool; 3] {
    [
        has_role(root, "textbox", "New password"),
        has_role(root, "textbox", "Confirm new password"),
        has_role(root, "button", "Set new password"),
    ]
}

/// Types into the textbox named `name`: set the value, then a bubbling `input` event.
async fn type_into(root: &HtmlElement, name: &str, value: &str) {
    let input = textbox(root, name);
    input.set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    input
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
    tick().await;
}

/// Waits (up to a second) for `check` to hold, letting requests and effects run.
async fn until(what: &str, check: impl Fn() -> bool) {
    for _ in 0..100 {
        if check() {
            return;
        }
        sleep_ms(10).await;
    }
    panic!("timed out waiting for {what}");
}

/// The page URL, which the tests change and put back.
fn href() -> String {
    window().location().href().unwrap()
}

fn set_url(url: &str) {
    window()
        .history()
        .unwrap()
        .replace_state_with_url(&JsValue::NULL, "", Some(url))
        .unwrap();
}

/// Replaces `window.fetch`: every request is recorded in `window.__requests` as
/// `{method, url, body}`, and answered with `status` and `body`. [`unstub_fetch`] puts the
/// real one back.
fn stub_fetch(status: u16, body: &str) {
    stub_fetch_seq(&[(status, body)]);
}

/// Like [`stub_fetch`], with the server's machine-readable error code in its header.
fn stub_fetch_with_code(status: u16, code: &str, body: &str) {
    stub_answers(&[(status, body, Some(code))]);
}

/// Like [`stub_fetch`], with one answer per request in order (the last one repeats).
fn stub_fetch_seq(answers: &[(u16, &str)]) {
    let answers: Vec<_> = answers.iter().map(|&(s, b)| (s, b, None)).collect();
    stub_answers(&answers);
}

/// `(status, body, error code header)` per request in order (the last one repeats).
fn stub_answers(answers: &[(u16, &str, Option<&str>)]) {
    let answers = serde_json::to_string(answers).unwrap();
    js_sys::eval(&format!(
        "window.__realFetch = window.__realFetch || window.fetch;
         window.__requests = [];
         window.__answers = {answers};
         window.fetch = async (req) => {{
           window.__requests.push({{ method: req.method, url: req.url, body: await req.text() }});
           const a = window.__answers.length > 1 ? window.__answers.shift() : window.__answers[0];
           const headers = {{ 'Content-Type': 'text/plain' }};
           if (a[2]) headers['{ERROR_CODE_HEADER}'] = a[2];
           return new Response(a[1], {{ status: a[0], headers }});
         }};"
    ))
    .unwrap();
}

fn unstub_fetch() {
    js_sys::eval("if (window.__realFetch) { window.fetch = window.__realFetch; }").unwrap();
}

/// `(method, url, body)` of every request the stub saw.
fn requests() -> Vec<(String, String, String)> {
    let list = js_sys::eval("window.__requests || []").unwrap();
    js_sys::Array::from(&list)
        .iter()
        .map(|r| {
            let get = |k: &str| {
                js_sys::Reflect::get(&r, &k.into())
                    .unwrap()
                    .as_string()
                    .unwrap_or_default()
            };
            (get("method"), get("url"), get("body"))
        })
        .collect()
}

/// A JWT-shaped string for user 7 that expires in an hour.
fn token() -> String {
    let now = session::now_secs();
    let json = format!(
        r#"{{"id":7,"jwt_secret":"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567","authTime":{},"iat":{now},"exp":{}}}"#,
        now * 1000,
        now + 3600
    );
    let b64 = window().btoa(&json).unwrap();
    let url = b64.replace('+', "-").replace('/', "_");
    format!(
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.{}.c2ln",
        url.trim_end_matches('=')
    )
}

#[wasm_bindgen_test]
fn fragments_are_parsed_and_decoded() {
    assert_eq!(
        fragment_param("#token=abc_DEF-123", "token").as_deref(),
        Some("abc_DEF-123")
    );
    assert_eq!(
        fragment_param("#a=1&token=xyz&b=2", "token").as_deref(),
        Some("xyz")
    );
    assert_eq!(fragment_param("#token=", "token"), None);
    assert_eq!(fragment_param("", "token"), None);
    assert_eq!(fragment_param("#tokenx=1", "token"), None);
    assert_eq!(percent_decode("a%20b+c%2Fd"), "a b c/d");
    assert_eq!(percent_decode("100%"), "100%", "a stray % is kept");
    assert_eq!(percent_decode("%zz%E2%9C%93"), "%zz✓");

    assert_eq!(
        parse_callback("#token=h.p.s&nonce=n1", Some("n1")),
        CallbackOutcome::Token("h.p.s".into())
    );
    let foreign = CallbackOutcome::Error(Some(SignInErrorCode::StateInvalid));
    assert_eq!(parse_callback("#token=h.p.s&nonce=n2", Some("n1")), foreign);
    assert_eq!(parse_callback("#token=h.p.s", Some("n1")), foreign);
    assert_eq!(parse_callback("#token=h.p.s&nonce=n1", None), foreign);
    assert_eq!(
        parse_callback("#error=email_unverified&nonce=n1", Some("n1")),
        CallbackOutcome::Error(Some(SignInErrorCode::EmailUnverified))
    );
    assert_eq!(
        parse_callback("#error=Your%20GitHub%20email%20is%20not%20verified", None),
        CallbackOutcome::Error(None)
    );
    assert_eq!(parse_callback("", None), CallbackOutcome::Error(None));
    assert_eq!(
        error_text(None),
        "The sign-in did not complete. Please try again."
    );
    assert_eq!(
        authorize_url(
            &Config {
                api_url: "https://api.example.com/".into()
            },
            "github",
            "00ff"
        ),
        "https://api.example.com/auth/oauth/github/authorize?nonce=00ff"
    );
    assert_eq!(
        authorize_url(&Config::default(), "../x?y", "a&b=c"),
        "/auth/oauth/xy/authorize?nonce=abc",
        "neither the provider id nor the nonce can leave its place"
    );
    let invalid = ApiError::Status {
        status: 400,
        code: Some(wire::ErrorCode::InvalidResetLink),
        message: "Any wording".into(),
    };
    assert!(is_invalid_reset_link(&invalid));
    let policy = ApiError::Status {
        status: 400,
        code: Some(wire::ErrorCode::WeakPassword),
        message: "Password is too common".into(),
    };
    assert!(!is_invalid_reset_link(&policy));
}

#[wasm_bindgen_test]
async fn reset_page_takes_the_token_out_of_the_url_and_sends_it_once() {
    let original = href();
    set_url("/reset-password?x=1#token=secret-token-123");
    stub_fetch(200, "");
    let (c, _h) = mount(ResetPasswordPage);
    tick().await;
    let now = href();
    assert!(!now.contains('#'), "the fragment is gone: {now}");
    assert!(!now.contains("secret-token-123"), "{now}");
    assert!(
        now.ends_with("/reset-password?x=1"),
        "path and query stay: {now}"
    );
    assert_eq!(heading(&c, "Choose a new password").tag_name(), "H1");

    // Live validation, as on sign-up.
    let submit = button(&c, "Set new password");
    assert_eq!(submit.type_(), "submit");
    assert_eq!(submit.text_content().as_deref(), Some("Set new password"));
    assert!(submit.disabled());
    type_into(&c, "New password", "short").await;
    assert_eq!(
        error_of(&c, "New password").as_deref(),
        Some(wire::validate::Invalid::PasswordTooShort.message())
    );
    type_into(&c, "New password", "brand-new-secret-42").await;
    assert_eq!(error_of(&c, "New password"), None);
    assert!(!c
        .text_content()
        .unwrap()
        .contains(wire::validate::Invalid::PasswordTooShort.message()));
    type_into(&c, "Confirm new password", "brand-new-secret-4").await;
    assert_eq!(
        error_of(&c, "Confirm new password").as_deref(),
        Some("Passwords do not match")
    );
    assert!(submit.disabled());
    type_into(&c, "Confirm new password", "brand-new-secret-42").await;
    assert!(!submit.disabled());
    let labels: Vec<_> = ["New password", "Confirm new password"]
        .iter()
        .map(|name| label_of(&textbox(&c, name)).unwrap())
        .collect();
    assert_eq!(labels, ["New password", "Confirm new password"]);
    // Revoking the account's API keys is offered, and ticked by default.
    let revoke: HtmlInputElement = by_role(&c, "checkbox", "Also revoke all my API keys");
    assert!(revoke.checked());
    assert_eq!(
        revoke.parent_element().unwrap().text_content().as_deref(),
        Some("Also revoke all my API keys")
    );

    submit.click();
    until("the success status", || {
        text_by_role(&c, "status").as_deref() == Some(en(Auth::ResetDone))
    })
    .await;
    let sent = requests();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].0, "POST");
    assert!(sent[0].1.ends_with("/user/v1/password-reset/confirm"));
    let body: serde_json::Value = serde_json::from_str(&sent[0].2).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"token": "secret-token-123", "password": "brand-new-secret-42", "revokeApiKeys": true})
    );
    assert_eq!(reset_form(&c), [false; 3], "no second use");
    assert_eq!(names_by_role(&c, "link"), ["Log in"]);
    assert!(session::load_token().is_none(), "a reset does not sign in");
    unstub_fetch();
    set_url(&original);
}

#[wasm_bindgen_test]
async fn reset_page_explains_a_used_link_and_a_missing_token() {
    let original = href();
    set_url("/reset-password#token=used-token");
    stub_fetch_with_code(400, "invalid-reset-link", "\"Whatever the server says\"");
    let (c, _h) = mount(ResetPasswordPage);
    tick().await;
    type_into(&c, "New password", "brand-new-secret-42").await;
    type_into(&c, "Confirm new password", "brand-new-secret-42").await;
    button(&c, "Set new password").click();
    until("the invalid-link explanation", || {
        text_by_role(&c, "alert").as_deref() == Some(en(Auth::ResetLinkInvalid))
    })
    .await;
    assert_eq!(names_by_role(&c, "link"), ["Request a new link"]);
    assert_eq!(reset_form(&c), [false; 3]);
    drop(_h);

    // A policy refusal keeps the form, with the server's words.
    set_url("/reset-password#token=good-token");
    stub_fetch(400, "\"Password is too common\"");
    let (c, _h) = mount(ResetPasswordPage);
    tick().await;
    type_into(&c, "New password", "password1234").await;
    type_into(&c, "Confirm new password", "password1234").await;
    button(&c, "Set new password").click();
    until("the policy message", || {
        text_by_role(&c, "alert").as_deref() == Some("Password is too common")
    })
    .await;
    assert_eq!(reset_form(&c), [true; 3]);
    drop(_h);

    // No token at all: the same explanation, no form.
    set_url("/reset-password");
    let (c, _h) = mount(ResetPasswordPage);
    tick().await;
    assert_eq!(
        text_by_role(&c, "alert").as_deref(),
        Some(en(Auth::ResetLinkInvalid))
    );
    assert_eq!(reset_form(&c), [false; 3]);

    // Another link opened in the same tab: its token is taken (and wiped) too.
    window().location().set_hash("token=next-token").unwrap();
    until("the form for the new link", || reset_form(&c) == [true; 3]).await;
    assert!(!href().contains('#'), "{}", href());
    unstub_fetch();
    set_url(&original);
}

#[wasm_bindgen_test]
async fn forgot_password_confirms_neutrally() {
    stub_fetch(200, "");
    let (c, _h) = mount(ForgotPasswordPage);
    tick().await;
    assert_eq!(heading(&c, "Reset your password").tag_name(), "H1");
    assert_eq!(label_of(&textbox(&c, "Email")).as_deref(), Some("Email"));
    let submit = button(&c, "Send reset link");
    assert_eq!(submit.type_(), "submit");
    assert_eq!(submit.text_content().as_deref(), Some("Send reset link"));
    assert!(submit.disabled());
    type_into(&c, "Email", " nobody@example.com ").await;
    assert!(!submit.disabled());
    submit.click();
    until("the confirmation", || {
        text_by_role(&c, "status").as_deref() == Some(en(Auth::ResetSent))
    })
    .await;
    let sent = requests();
    assert_eq!(sent.len(), 1);
    assert!(sent[0].1.ends_with("/user/v1/password-reset"));
    assert_eq!(sent[0].2, r#"{"email":"nobody@example.com"}"#);
    assert!(!has_role(&c, "textbox", "Email"));
    unstub_fetch();
}

#[wasm_bindgen_test]
fn password_and_delete_rules() {
    assert!(password_form_ready(
        false,
        "",
        "long-enough-1",
        "long-enough-1"
    ));
    assert!(!password_form_ready(
        true,
        "",
        "long-enough-1",
        "long-enough-1"
    ));
    assert!(password_form_ready(
        true,
        "old",
        "long-enough-1",
        "long-enough-1"
    ));
    assert!(!password_form_ready(
        false,
        "",
        "long-enough-1",
        "long-enough-2"
    ));
    assert!(!password_form_ready(false, "", "short", "short"));

    assert!(can_delete("alice", "alice", "pw"));
    assert!(
        can_delete(" alice ", "alice", "pw"),
        "spaces around are ignored"
    );
    assert!(!can_delete("alice", "alice", ""));
    assert!(!can_delete("", "alice", "pw"));
    assert!(!can_delete("Alice", "alice", "pw"), "exactly the username");
    assert!(!can_delete("alic", "alice", "pw"));
    assert!(!can_delete("", "", "pw"), "no username loaded yet");
}

#[wasm_bindgen_test]
async fn password_section_offers_set_or_change() {
    let state = RwSignal::new(Some(Ok::<bool, ApiError>(false)));
    let (c, _h) = mount(move || {
        view! {
            <PasswordSection
                has_password=state
                on_saved=Callback::new(|_| ())
                on_retry=Callback::new(|_| ())
            />
        }
    });
    tick().await;
    assert_eq!(heading(&c, "Set a password").tag_name(), "H3");
    assert!(!has_role(&c, "textbox", "Current password"));
    let submit = button(&c, "Save password");
    assert_eq!(submit.type_(), "submit");
    assert_eq!(submit.text_content().as_deref(), Some("Save password"));
    assert!(submit.disabled());
    type_into(&c, "New password", "long-enough-1").await;
    type_into(&c, "Confirm new password", "long-enough-1").await;
    assert!(!submit.disabled());

    state.set(Some(Ok(true)));
    tick().await;
    assert_eq!(heading(&c, "Change password").tag_name(), "H3");
    let labels: Vec<_> = ["Current password", "New password", "Confirm new password"]
        .iter()
        .map(|name| label_of(&textbox(&c, name)).unwrap())
        .collect();
    assert_eq!(
        labels,
        ["Current password", "New password", "Confirm new password"]
    );
    let current = textbox(&c, "Current password");
    assert_eq!(
        current.get_attribute("autocomplete").as_deref(),
        Some("current-password")
    );
    let submit = button(&c, "Save password");
    assert_eq!(submit.type_(), "submit");
    assert!(submit.disabled(), "the current password is required");
    type_into(&c, "Current password", "old-password").await;
    assert!(!submit.disabled());

    state.set(Some(Err(ApiError::Network("down".into()))));
    tick().await;
    assert!(text_by_role(&c, "alert")
        .unwrap()
        .starts_with("Your password settings could not be loaded."));
}

#[wasm_bindgen_test]
async fn password_section_stores_the_new_session_token() {
    session::clear_tokens();
    let old = token();
    session::save_token(&old, false);
    let fresh = format!("{old}x");
    stub_fetch(200, &fresh);
    let saved = RwSignal::new(false);
    let (c, _h) = mount(move || {
        view! {
            <PasswordSection
                has_password=Signal::derive(|| Some(Ok(true)))
                on_saved=Callback::new(move |_| saved.set(true))
                on_retry=Callback::new(|_| ())
            />
        }
    });
    tick().await;
    type_into(&c, "Current password", "old-password").await;
    type_into(&c, "New password", "long-enough-1").await;
    type_into(&c, "Confirm new password", "long-enough-1").await;
    button(&c, "Save password").click();
    until("the saved status", || {
        text_by_role(&c, "status").as_deref()
            == Some("Password saved. Your other sessions have been signed out.")
    })
    .await;
    // (The app's own contexts ask for whoami and the key list too.)
    let sent: Vec<_> = requests()
        .into_iter()
        .filter(|r| r.1.ends_with("/user/v1/password"))
        .collect();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].2,
        r#"{"password":"long-enough-1","currentPassword":"old-password"}"#
    );
    assert_eq!(session::load_token(), Some((fresh, false)));
    assert!(saved.get_untracked());
    assert_eq!(textbox(&c, "New password").value(), "");
    unstub_fetch();
    session::clear_tokens();
}

#[wasm_bindgen_test]
async fn delete_dialog_enables_its_button_only_for_the_username_and_a_password() {
    let has_password = RwSignal::new(Some(false));
    let (c, _h) = mount(move || {
        view! {
            <DangerZone
                has_password=has_password
                username=Signal::derive(|| Some("alice".to_string()))
            />
        }
    });
    tick().await;
    assert_eq!(heading(&c, "Delete account").tag_name(), "H2");
    // The summary paragraph has no role (nothing refers to it).
    let summary = text_of(&c, "#delete-account-summary").unwrap();
    for what in [
        "personal organization",
        "applications",
        "devices",
        "API keys",
        "sessions",
        "cannot be undone",
    ] {
        assert!(summary.contains(what), "{what} missing in: {summary}");
    }
    let opener = button(&c, "Delete account…");
    assert!(
        opener.disabled(),
        "an account without a password sets one first"
    );
    assert_eq!(
        opener.get_attribute("aria-describedby").as_deref(),
        Some("delete-needs-password")
    );
    assert_eq!(
        accessible_description(&opener).as_deref(),
        Some(NEEDS_PASSWORD_TEXT)
    );

    has_password.set(Some(true));
    tick().await;
    assert!(!opener.disabled());
    assert_eq!(opener.get_attribute("aria-describedby"), None);
    opener.click();
    tick().await;
    let _: HtmlElement = by_role(&c, "dialog", "Delete your account?");
    assert_eq!(
        label_of(&textbox(&c, "Type your username to confirm")).as_deref(),
        Some("Type your username to confirm")
    );
    assert_eq!(textbox(&c, "Password").type_(), "password");
    let confirm = || button(&c, "Delete my account");
    assert!(confirm().disabled());
    type_into(&c, "Type your username to confirm", "alic").await;
    assert_eq!(
        error_of(&c, "Type your username to confirm").as_deref(),
        Some(USERNAME_MISMATCH)
    );
    type_into(&c, "Password", "pw").await;
    assert!(confirm().disabled(), "wrong username");
    type_into(&c, "Type your username to confirm", "alice").await;
    assert!(!confirm().disabled());
    type_into(&c, "Password", "").await;
    assert!(confirm().disabled(), "password emptied");

    // An emptied username box is not flagged (the button says enough).
    type_into(&c, "Type your username to confirm", "").await;
    assert_eq!(error_of(&c, "Type your username to confirm"), None);
    assert!(!c.text_content().unwrap().contains(USERNAME_MISMATCH));

    // Cancel, reopen: blank again.
    button(&c, "Cancel").click();
    tick().await;
    assert!(!has_dialog(&c));
    opener.click();
    tick().await;
    assert_eq!(textbox(&c, "Type your username to confirm").value(), "");
    assert!(confirm().disabled());
}

#[wasm_bindgen_test]
async fn delete_confirms_the_password_then_deletes_or_shows_why_not() {
    session::clear_tokens();
    let jwt = token();
    session::save_token(&jwt, false);
    let (c, _h) = mount(move || {
        let session = expect_context::<Session>();
        view! {
            <DangerZone
                has_password=Signal::derive(|| Some(true))
                username=Signal::derive(|| Some("alice".to_string()))
            />
            <p role="status" aria-label="Session notice">{move || session.notice().map(|n| n.text())}</p>
        }
    });
    tick().await;
    button(&c, "Delete account…").click();
    tick().await;
    type_into(&c, "Type your username to confirm", "alice").await;
    type_into(&c, "Password", "wrong").await;

    stub_fetch_seq(&[(401, "\"Unauthorized\"")]);
    button(&c, "Delete my account").click();
    until("the wrong-password alert", || {
        text_by_role(&c, "alert").as_deref() == Some("Wrong password.")
    })
    .await;
    let sent = requests();
    assert_eq!(sent.len(), 1, "no deletion without the password: {sent:?}");
    assert!(sent[0].1.ends_with("/user/v1/refresh-token"));
    assert_eq!(sent[0].2, r#"{"password":"wrong"}"#);
    assert_eq!(
        session::load_token(),
        Some((jwt.clone(), false)),
        "a wrong password does not end the session"
    );

    // Right password, but the server refuses: its message is shown as it is.
    let refused = "You are the only administrator of acme, which has other members. Make someone else an administrator first.";
    let fresh = format!("{jwt}f");
    stub_fetch_seq(&[(200, &fresh), (409, &format!("\"{refused}\""))]);
    type_into(&c, "Password", "right").await;
    button(&c, "Delete my account").click();
    until("the refusal", || {
        text_by_role(&c, "alert").as_deref() == Some(refused)
    })
    .await;
    let sent = requests();
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert_eq!(sent[1].0, "DELETE");
    assert!(sent[1].1.ends_with("/v7/user(7)"), "{}", sent[1].1);
    assert_eq!(session::load_token(), Some((fresh, false)));
    assert!(has_dialog(&c));

    // Accepted: the session is forgotten, with the notice the route gate turns into the
    // goodbye page.
    stub_fetch_seq(&[(200, &format!("{jwt}g")), (200, "")]);
    button(&c, "Delete my account").click();
    until("the session to end", || session::load_token().is_none()).await;
    tick().await;
    assert_eq!(
        by_role::<HtmlElement>(&c, "status", "Session notice")
            .text_content()
            .as_deref(),
        Some("Your account has been deleted.")
    );
    unstub_fetch();
    session::clear_tokens();
}

#[wasm_bindgen_test]
async fn callback_stores_an_unremembered_session_and_clears_the_fragment() {
    session::clear_tokens();
    let original = href();
    let jwt = token();
    let nonce = social::begin_sign_in().unwrap();
    assert_eq!(nonce.len(), 32);
    set_url(&format!("/login/callback#token={jwt}&nonce={nonce}"));
    let (_c, _h) = mount(AuthCallbackPage);
    tick().await;
    assert!(!href().contains('#'), "{}", href());
    assert_eq!(stored_nonce(), None, "a nonce is good for one result");
    assert_eq!(
        session::load_token(),
        Some((jwt, false)),
        "kept in sessionStorage, not remembered"
    );
    let local = window().local_storage().unwrap().unwrap();
    assert_eq!(local.get_item(TOKEN_KEY).unwrap(), None);
    until("the move to the preferences", || {
        window().location().pathname().unwrap() == "/preferences/details"
    })
    .await;
    session::clear_tokens();
    set_url(&original);
}

fn stored_nonce() -> Option<String> {
    let storage = window().session_storage().unwrap().unwrap();
    storage.get_item(NONCE_KEY).unwrap()
}

/// Another account's session token, as an attacker's link would carry it.
fn token_of_someone_else() -> String {
    format!("{}x", token())
}

#[wasm_bindgen_test]
async fn callback_without_this_tabs_nonce_signs_nobody_in() {
    let original = href();
    for fragment in ["", "&nonce=0123456789abcdef0123456789abcdef"] {
        session::clear_tokens();
        social::begin_sign_in().unwrap();
        let foreign = token_of_someone_else();
        set_url(&format!("/login/callback#token={foreign}{fragment}"));
        let (_c, _h) = mount(AuthCallbackPage);
        tick().await;
        assert_eq!(session::load_token(), None, "{fragment}");
        assert_eq!(stored_nonce(), None, "the attempt is over");
        until("the move to the login page", || {
            window().location().pathname().unwrap() == "/login"
        })
        .await;
        let (c, _h) = mount(LoginPage);
        tick().await;
        assert_eq!(
            text_by_role(&c, "alert").as_deref(),
            Some(error_text(Some(SignInErrorCode::StateInvalid)))
        );
    }
    set_url(&original);
}

#[wasm_bindgen_test]
async fn callback_never_replaces_a_signed_in_session() {
    let original = href();
    let mine = token();
    let foreign = token_of_someone_else();
    // A wrong nonce, none, and even this tab's own: a signed-in session stays as it is.
    for with_nonce in [Some("wrong"), None, Some("own")] {
        session::save_token(&mine, false);
        let nonce = social::begin_sign_in().unwrap();
        let suffix = match with_nonce {
            Some("own") => format!("&nonce={nonce}"),
            Some(other) => format!("&nonce={other}"),
            None => String::new(),
        };
        set_url(&format!("/login/callback#token={foreign}{suffix}"));
        let (c, _h) = mount(|| {
            view! {
                <AuthCallbackPage />
                <account_console::components::toasts::ToastRegion />
            }
        });
        tick().await;
        assert_eq!(
            session::load_token(),
            Some((mine.clone(), false)),
            "{with_nonce:?}"
        );
        assert_eq!(stored_nonce(), None);
        assert!(
            c.text_content()
                .unwrap()
                .contains(en(Auth::AlreadySignedIn)),
            "{with_nonce:?}: {}",
            c.text_content().unwrap()
        );
    }
    session::clear_tokens();
    set_url(&original);
}

#[wasm_bindgen_test]
async fn login_shows_fixed_text_for_error_codes_never_text_from_the_url() {
    session::clear_tokens();
    let original = href();
    set_url("/login#error=Your%20account%20is%20locked");
    let (c, h) = mount(LoginPage);
    tick().await;
    assert_eq!(
        text_by_role(&c, "alert").as_deref(),
        Some(en(Auth::SocialFailed))
    );
    assert!(!c.text_content().unwrap().contains("locked"));
    assert!(!href().contains('#'));
    assert!(names_by_role(&c, "link").contains(&"Forgot password?".to_string()));
    drop(h);

    // A known code, which also ends the sign-in under way.
    social::begin_sign_in().unwrap();
    set_url("/login#error=email_unverified&nonce=abc");
    let (c, h) = mount(LoginPage);
    tick().await;
    assert_eq!(
        text_by_role(&c, "alert").as_deref(),
        Some(
            "This email address has an account that is not verified yet. Sign in with your \
             password and verify your email first, then connect this provider."
        )
    );
    assert_eq!(stored_nonce(), None);
    drop(h);

    // Handed over by the callback page (a client-side navigation), shown once.
    hand_login_error(Some(SignInErrorCode::Cancelled));
    let (c, h) = mount(LoginPage);
    tick().await;
    assert_eq!(
        text_by_role(&c, "alert").as_deref(),
        Some(error_text(Some(SignInErrorCode::Cancelled)))
    );
    drop(h);
    let (c, _h) = mount(LoginPage);
    tick().await;
    assert_eq!(text_by_role(&c, "alert"), None, "shown once");
    set_url(&original);
}

#[wasm_bindgen_test]
async fn social_buttons_follow_the_configured_providers() {
    stub_fetch(
        200,
        r#"{"providers":["github","oidc"],"signInProviders":[{"id":"github","name":"GitHub"},{"id":"oidc","name":"Test IdP"}],"passwordMinLength":8,"passwordMaxLength":128}"#,
    );
    let (c, h) = mount(SocialButtons);
    until("the buttons", || !names_by_role(&c, "button").is_empty()).await;
    let names = names_by_role(&c, "button");
    assert_eq!(names, ["Continue with GitHub", "Continue with Test IdP"]);
    // The separator is decoration, without a role.
    assert_eq!(text_of(&c, ".auth-separator").as_deref(), Some("or"));
    assert!(requests()[0].1.ends_with("/config"));
    drop(h);

    stub_fetch(
        200,
        r#"{"providers":[],"signInProviders":[],"passwordMinLength":8,"passwordMaxLength":128}"#,
    );
    let (c, _h) = mount(SocialButtons);
    until("the config request", || !requests().is_empty()).await;
    sleep_ms(30).await;
    assert!(names_by_role(&c, "button").is_empty());
    // (The separator has no role, as above.)
    assert!(c.query_selector(".auth-separator").unwrap().is_none());
    unstub_fetch();
}

#[wasm_bindgen_test]
async fn verify_page_verifies_once_signs_nobody_in_and_ends_the_answered_session() {
    use account_console::pages::verify_email::VerifyEmailPage;
    let original = href();
    session::clear_tokens();
    set_url("/verify-email#token=verify-123&email=vi%40example.com");
    let answered = token();
    stub_fetch_seq(&[(200, &answered), (200, "")]);
    let (c, _h) = mount(VerifyEmailPage);
    until("the verified status", || {
        text_by_role(&c, "status").as_deref() == Some(en(Auth::EmailVerified))
    })
    .await;
    let url = href();
    assert!(
        url.ends_with("/verify-email"),
        "the token left the address bar: {url}"
    );
    until("the logout of the answered session", || {
        requests().len() == 2
    })
    .await;
    let sent = requests();
    assert_eq!(sent[0].0, "POST");
    assert!(sent[0].1.ends_with("/user/v1/verify-email"));
    let body: serde_json::Value = serde_json::from_str(&sent[0].2).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"verificationToken": "verify-123", "email": "vi@example.com"})
    );
    assert!(sent[1].1.ends_with("/user/v1/logout"));
    assert!(session::load_token().is_none(), "verifying signs nobody in");
    assert_eq!(names_by_role(&c, "link"), ["Log in"]);
    unstub_fetch();
    set_url(&original);
}

#[wasm_bindgen_test]
async fn verify_page_explains_a_used_link() {
    use account_console::pages::verify_email::VerifyEmailPage;
    let original = href();
    set_url("/verify-email#token=used&email=vi%40example.com");
    stub_fetch(
        400,
        "\"This verification link is invalid, has expired or was already used\"",
    );
    let (c, _h) = mount(VerifyEmailPage);
    until("the invalid-link explanation", || {
        text_by_role(&c, "alert").as_deref() == Some(en(Auth::VerifyLinkInvalid))
    })
    .await;
    assert_eq!(requests().len(), 1, "sent once");
    unstub_fetch();
    set_url(&original);
}

#[wasm_bindgen_test]
async fn account_sections_speak_german() {
    use account_console::i18n::{Language, Locale};
    let has_password = RwSignal::new(Some(false));
    let (c, _h) = mount(move || {
        provide_context(Language::with(Locale::De));
        view! {
            <PasswordSection
                has_password=Signal::derive(|| Some(Ok(true)))
                on_saved=Callback::new(|_| ())
                on_retry=Callback::new(|_| ())
            />
            <DangerZone
                has_password=has_password
                username=Signal::derive(|| Some("alice".to_string()))
            />
        }
    });
    tick().await;
    assert_eq!(heading(&c, "Passwort").tag_name(), "H2");
    assert_eq!(heading(&c, "Passwort ändern").tag_name(), "H3");
    for name in [
        "Aktuelles Passwort",
        "Neues Passwort",
        "Neues Passwort bestätigen",
    ] {
        assert_eq!(label_of(&textbox(&c, name)).as_deref(), Some(name));
    }
    assert!(button(&c, "Passwort speichern").disabled());

    assert_eq!(heading(&c, "Konto löschen").tag_name(), "H2");
    let opener = button(&c, "Konto löschen…");
    assert!(opener.disabled());
    assert_eq!(
        accessible_description(&opener).as_deref(),
        Some("Ihr Konto hat noch kein Passwort. Legen Sie zuerst oben im Bereich „Passwort“ eines fest: Zum Löschen Ihres Kontos wird es abgefragt.")
    );
    has_password.set(Some(true));
    tick().await;
    opener.click();
    tick().await;
    let dialog: HtmlElement = by_role(&c, "dialog", "Ihr Konto löschen?");
    let what = dialog.text_content().unwrap();
    assert!(
        what.contains("Damit werden das Konto alice, seine persönliche Organisation"),
        "{what}"
    );
    let field = "Geben Sie zur Bestätigung Ihren Benutzernamen ein";
    type_into(&c, field, "alic").await;
    assert_eq!(
        error_of(&c, field).as_deref(),
        Some("Das ist nicht Ihr Benutzername")
    );
    assert!(button(&c, "Mein Konto löschen").disabled());
}

#[wasm_bindgen_test]
async fn reset_page_and_social_sign_in_speak_german() {
    use account_console::i18n::{Language, Locale};
    let original = href();
    set_url("/reset-password#token=german-token");
    let (c, h) = mount(|| {
        provide_context(Language::with(Locale::De));
        view! { <ResetPasswordPage /> }
    });
    tick().await;
    assert!(has_role(&c, "heading", "Neues Passwort wählen"));
    let submit = button(&c, "Neues Passwort festlegen");
    assert!(submit.disabled());
    type_into(&c, "Neues Passwort", "kurz").await;
    assert_eq!(
        error_of(&c, "Neues Passwort").as_deref(),
        Some("Das Passwort muss mindestens 8 Zeichen lang sein")
    );
    type_into(&c, "Neues Passwort", "brand-neues-geheimnis").await;
    type_into(&c, "Neues Passwort bestätigen", "brand-neues-geheimni").await;
    assert_eq!(
        error_of(&c, "Neues Passwort bestätigen").as_deref(),
        Some("Die Passwörter stimmen nicht überein")
    );
    assert!(has_role(
        &c,
        "checkbox",
        "Auch alle meine API-Schlüssel widerrufen"
    ));
    drop(h);

    // A failed social sign-in, and the provider buttons, on the German login page.
    session::clear_tokens();
    stub_fetch(
        200,
        r#"{"providers":["github"],"signInProviders":[{"id":"github","name":"GitHub"}],"passwordMinLength":8,"passwordMaxLength":128}"#,
    );
    hand_login_error(Some(SignInErrorCode::Cancelled));
    let (c, _h) = mount(|| {
        provide_context(Language::with(Locale::De));
        view! { <LoginPage /> }
    });
    until("the buttons", || {
        has_role(&c, "button", "Weiter mit GitHub")
    })
    .await;
    assert_eq!(
        text_by_role(&c, "alert").as_deref(),
        Some("Die Anmeldung wurde beim Anbieter abgebrochen oder abgelehnt.")
    );
    assert_eq!(text_of(&c, ".auth-separator").as_deref(), Some("oder"));
    unstub_fetch();
    set_url(&original);
}
