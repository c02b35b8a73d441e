//! Two-factor authentication in the console, in headless Chromium: the QR code, the code
//! input, the challenge page, and the session store's view of a partial token.
#![cfg(target_arch = "wasm32")]
use account_console::api::two_factor::{group_in_fours, sanitize_totp_input, secret_of_uri};
use account_console::api::ApiError;
use account_console::components::code_input::CodeInput;
use account_console::components::qr::{qr_path, QrCodeImage};
use account_console::i18n::{catalogue::Common, text, Language, Locale};
use account_console::pages::login_challenge::{
    challenge_error_text, challenge_with_next, TwoFactorChallengePage,
};
use account_console::pages::preferences::two_factor::{
    recovery_codes_text, remaining_text, TwoFactorSettings,
};
use account_console::state::session::{self, Session};
use leptos::prelude::*;
use leptos::task::tick;
use wasm_bindgen_test::*;
use web_sys::{HtmlButtonElement, HtmlElement, HtmlInputElement};

mod common;
use common::fetch::{stub_fetch, unstub_fetch, until};
use common::{accessible_description, by_role, has_role, mount};

wasm_bindgen_test_configure!(run_in_browser);

const URI: &str = "otpauth://totp/Account%20Console:alice?issuer=Account%20Console\
                   &secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&period=30";

/// Types into the textbox named `name`: set the value, then a bubbling `input` event.
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

/// A JWT-shaped string whose payload is `json`.
fn jwt(json: &str) -> String {
    let b64 = web_sys::window().unwrap().btoa(json).unwrap();
    let url = b64
        .replace('+', "-")
        .replace('/', "_")
        .trim_end_matches('=')
        .to_string();
    format!("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.{url}.c2lnbmF0dXJl")
}

fn token(two_factor: &str) -> String {
    let exp = session::now_secs() + 3600;
    let iat = session::now_secs();
    jwt(&format!(
        r#"{{"id":7,"jwt_secret":"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567","authTime":1700000000000,{two_factor}"iat":{iat},"exp":{exp}}}"#
    ))
}

#[wasm_bindgen_test]
async fn qr_component_renders_a_labelled_svg_without_style_attributes() {
    let (c, _h) =
        mount(|| view! { <QrCodeImage data=URI label="QR code for your authenticator app" /> });
    tick().await;
    let svg: web_sys::Element = by_role(&c, "img", "QR code for your authenticator app");
    assert_eq!(
        svg.namespace_uri().as_deref(),
        Some("http://www.w3.org/2000/svg")
    );
    assert_eq!(svg.get_attribute("role").as_deref(), Some("img"));
    assert_eq!(
        svg.get_attribute("aria-label").as_deref(),
        Some("QR code for your authenticator app")
    );
    let (size, path) = qr_path(URI).unwrap();
    assert_eq!(
        svg.get_attribute("viewBox"),
        Some(format!("0 0 {size} {size}"))
    );
    // The drawing inside the image has no role of its own.
    let drawn = svg.query_selector("path").unwrap().expect("the QR path");
    assert_eq!(drawn.get_attribute("d"), Some(path.clone()));
    assert!(path.starts_with('M') && path.matches('M').count() > 100);
    // The CSP allows no inline styles: nothing in the image may carry one.
    assert!(c.query_selector("[style]").unwrap().is_none());
    // A version-5+ code with a 4-module quiet zone on each side.
    assert!(size >= 37 + 8, "{size}");
}

#[wasm_bindgen_test]
async fn code_input_keeps_only_six_digits() {
    let value = RwSignal::new(String::new());
    let (c, _h) = mount(move || view! { <CodeInput id="t-code" value=value /> });
    tick().await;
    let input: HtmlInputElement = by_role(&c, "textbox", "Authentication code");
    assert_eq!(
        input.get_attribute("autocomplete").as_deref(),
        Some("one-time-code")
    );
    assert_eq!(input.get_attribute("inputmode").as_deref(), Some("numeric"));
    assert_eq!(
        input
            .labels()
            .unwrap()
            .item(0)
            .unwrap()
            .text_content()
            .as_deref(),
        Some("Authentication code")
    );

    type_into(&c, "Authentication code", "12a3").await;
    assert_eq!(input.value(), "123");
    assert_eq!(value.get_untracked(), "123");
    type_into(&c, "Authentication code", "123 456 789").await;
    assert_eq!(input.value(), "123456");
    assert_eq!(value.get_untracked(), "123456");
    type_into(&c, "Authentication code", "abc").await;
    assert_eq!(input.value(), "");
}

#[wasm_bindgen_test]
fn helpers() {
    assert_eq!(sanitize_totp_input(" 12-34 56 7"), "123456");
    assert_eq!(
        secret_of_uri(URI).as_deref(),
        Some("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    );
    assert_eq!(secret_of_uri("otpauth://totp/x?issuer=y"), None);
    assert_eq!(
        group_in_fours("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"),
        "JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP"
    );
    assert_eq!(remaining_text(10), "10 recovery codes left.");
    assert!(remaining_text(3).starts_with("Only 3 recovery codes left."));
    assert!(remaining_text(1).starts_with("Only 1 recovery code left."));
    assert!(remaining_text(0).starts_with("No recovery codes left."));
    let text = recovery_codes_text(&["aaaa-bbbb".into(), "cccc-dddd".into()]);
    assert!(text.ends_with("aaaa-bbbb\ncccc-dddd\n"));
    assert_eq!(
        challenge_error_text(&ApiError::Unauthorized),
        "That code is not valid. Try again."
    );
    assert_eq!(challenge_with_next(None), "/login/two-factor");
    assert_eq!(
        challenge_with_next(Some("/preferences/tokens")),
        "/login/two-factor?next=%2Fpreferences%2Ftokens"
    );
}

#[wasm_bindgen_test]
fn a_partial_token_is_not_signed_in() {
    session::clear_tokens();
    session::save_token(&token(r#""twoFactorRequired":true,"#), false);
    let owner = Owner::new();
    owner.with(|| {
        let s = Session::load();
        assert!(!s.is_signed_in());
        assert!(s.two_factor_pending());
        assert!(s.claims().is_none());
        s.replace_token(token(r#""twoFactorRequired":false,"#));
        assert!(s.is_signed_in());
        assert!(!s.two_factor_pending());
        assert_eq!(s.claims().unwrap().two_factor_required, Some(false));
        s.replace_token(token(""));
        assert!(s.is_signed_in());
    });
    session::clear_tokens();
}

#[wasm_bindgen_test]
async fn challenge_page_switches_to_a_recovery_code() {
    session::clear_tokens();
    session::save_token(&token(r#""twoFactorRequired":true,"#), false);
    let (c, _h) = mount(TwoFactorChallengePage);
    tick().await;
    let heading: HtmlElement = by_role(&c, "heading", "Two-factor authentication");
    assert_eq!(heading.tag_name(), "H1");
    assert_eq!(
        heading.text_content().as_deref(),
        Some("Two-factor authentication")
    );
    let code: HtmlInputElement = by_role(&c, "textbox", "Authentication code");
    assert_eq!(
        code.get_attribute("autocomplete").as_deref(),
        Some("one-time-code")
    );
    let submit: HtmlButtonElement = by_role(&c, "button", "Verify");
    assert_eq!(submit.type_(), "submit");
    assert_eq!(submit.text_content().as_deref(), Some("Verify"));
    assert!(submit.disabled(), "no code yet");
    type_into(&c, "Authentication code", "12345").await;
    assert!(submit.disabled(), "five digits are not a code");
    type_into(&c, "Authentication code", "123456").await;
    assert!(!submit.disabled());

    let toggle: HtmlButtonElement = by_role(&c, "button", "Use a recovery code instead");
    assert_eq!(
        toggle.text_content().as_deref(),
        Some("Use a recovery code instead")
    );
    toggle.click();
    tick().await;
    assert!(!has_role(&c, "textbox", "Authentication code"));
    let recovery: HtmlInputElement = by_role(&c, "textbox", "Recovery code");
    assert_eq!(
        recovery
            .labels()
            .unwrap()
            .item(0)
            .unwrap()
            .text_content()
            .as_deref(),
        Some("Recovery code")
    );
    assert_eq!(
        toggle.text_content().as_deref(),
        Some("Use your authenticator app instead")
    );
    session::clear_tokens();
}

/// Opens the pairing step: "Enable" fetches a new secret, then the QR code and the code
/// input show.
async fn open_pairing(c: &HtmlElement, enable: &str, code_label: &str) {
    stub_fetch(&[("GET", "/auth/totp/setup", vec![(200, URI.to_string())])]);
    by_role::<HtmlButtonElement>(c, "button", enable).click();
    until("the pairing step", || has_role(c, "textbox", code_label)).await;
}

#[wasm_bindgen_test]
async fn pairing_describes_the_code_it_asks_for() {
    session::clear_tokens();
    session::save_token(&token(""), false);
    let (c, _h) = mount(TwoFactorSettings);
    tick().await;
    open_pairing(&c, "Enable", "Authentication code").await;
    let input: HtmlInputElement = by_role(&c, "textbox", "Authentication code");
    assert_eq!(
        accessible_description(&input).as_deref(),
        Some("The 6-digit pairing code your authenticator app shows for this account.")
    );
    let _: web_sys::Element = by_role(&c, "img", "QR code for your authenticator app");
    let _: HtmlButtonElement = by_role(&c, "button", "Copy key");
    let verify: HtmlButtonElement = by_role(&c, "button", "Verify");
    assert!(verify.disabled(), "no code yet");
    unstub_fetch();
    session::clear_tokens();
}

#[wasm_bindgen_test]
async fn two_factor_settings_speak_german() {
    session::clear_tokens();
    session::save_token(&token(""), false);
    let (c, _h) = mount(|| {
        provide_context(Language::with(Locale::De));
        view! { <TwoFactorSettings /> }
    });
    tick().await;
    let _: HtmlElement = by_role(&c, "heading", "Zwei-Faktor-Authentifizierung");
    assert!(c.text_content().unwrap().contains("Deaktiviert."));
    open_pairing(&c, "Aktivieren", "Authentifizierungscode").await;
    let _: HtmlElement = by_role(&c, "heading", "QR-Code scannen");
    let input: HtmlInputElement = by_role(&c, "textbox", "Authentifizierungscode");
    assert_eq!(
        accessible_description(&input).as_deref(),
        Some("Der 6-stellige Kopplungscode, den Ihre Authentifizierungs-App für dieses Konto anzeigt.")
    );
    let _: web_sys::Element = by_role(&c, "img", "QR-Code für Ihre Authentifizierungs-App");
    let _: HtmlButtonElement = by_role(&c, "button", "Schlüssel kopieren");
    let _: HtmlButtonElement = by_role(&c, "button", "Bestätigen");
    by_role::<HtmlButtonElement>(&c, "button", "Abbrechen").click();
    tick().await;
    let _: HtmlButtonElement = by_role(&c, "button", "Aktivieren");
    unstub_fetch();
    session::clear_tokens();
}

#[wasm_bindgen_test]
async fn two_factor_on_counts_the_recovery_codes_in_german() {
    session::clear_tokens();
    session::save_token(&token(r#""twoFactorRequired":false,"#), false);
    stub_fetch(&[(
        "GET",
        "/auth/totp/recovery-codes",
        vec![(200, r#"{"remaining":10}"#.into())],
    )]);
    let (c, _h) = mount(|| {
        provide_context(Language::with(Locale::De));
        view! { <TwoFactorSettings /> }
    });
    until("the count", || common::text_by_role(&c, "status").is_some()).await;
    assert_eq!(
        common::text_by_role(&c, "status").as_deref(),
        Some("Noch 10 Wiederherstellungscodes übrig.")
    );
    assert!(c.text_content().unwrap().contains("Aktiviert."));
    let _: HtmlButtonElement = by_role(&c, "button", "Neue Wiederherstellungscodes erzeugen");
    let _: HtmlButtonElement = by_role(&c, "button", "Deaktivieren");
    unstub_fetch();
    session::clear_tokens();
}

#[wasm_bindgen_test]
fn recovery_code_texts_follow_the_language() {
    let owner = Owner::new();
    owner.with(|| {
        provide_context(Language::with(Locale::De));
        assert!(remaining_text(1).starts_with("Nur noch 1 Wiederherstellungscode übrig."));
        assert!(remaining_text(3).starts_with("Nur noch 3 Wiederherstellungscodes übrig."));
        assert_eq!(remaining_text(9), "Noch 9 Wiederherstellungscodes übrig.");
        let app = text(Locale::De, Common::AppName);
        let file = recovery_codes_text(&["aaaa-bbbb".into()]);
        assert!(
            file.starts_with(&format!("Wiederherstellungscodes für {app}\n")),
            "{file}"
        );
    });
}
#[wasm_bindgen_test]
async fn challenge_page_speaks_german() {
    use account_console::i18n::{Language, Locale};
    session::clear_tokens();
    session::save_token(&token(r#""twoFactorRequired":true,"#), false);
    let (c, _h) = mount(|| {
        provide_context(Language::with(Locale::De));
        view! { <TwoFactorChallengePage /> }
    });
    tick().await;
    assert!(has_role(&c, "heading", "Zwei-Faktor-Authentifizierung"));
    assert!(has_role(&c, "textbox", "Authentifizierungscode"));
    let submit: HtmlButtonElement = by_role(&c, "button", "Bestätigen");
    assert!(submit.disabled());
    assert!(has_role(&c, "button", "Abbrechen und abmelden"));
    let toggle: HtmlButtonElement = by_role(
        &c,
        "button",
        "Stattdessen einen Wiederherstellungscode verwenden",
    );
    toggle.click();
    tick().await;
    assert!(has_role(&c, "textbox", "Wiederherstellungscode"));
    assert_eq!(
        toggle.text_content().as_deref(),
        Some("Stattdessen die Authentifizierungs-App verwenden")
    );
    session::clear_tokens();
}
