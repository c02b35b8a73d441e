//! The console's pure rules, run in the browser (they use the DOM's storage and clock):
//! the session store, JWT claims, refresh/expiry, error texts and the open-redirect guard.
#![cfg(target_arch = "wasm32")]
use account_console::api::error_text::wording;
use account_console::api::{error_from_response, too_many_attempts_text, ApiError};
use account_console::nav::{base_path_from_uri, login_with_next, safe_next, strip_base};
use account_console::pages::login::login_error_text;
use account_console::state::session::{
    clear_tokens, decode_claims, is_expired, load_token, needs_refresh, save_token, TOKEN_KEY,
};
use wasm_bindgen_test::*;
use wire::ErrorCode;

wasm_bindgen_test_configure!(run_in_browser);

fn local() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

fn session() -> web_sys::Storage {
    web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap()
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

const CLAIMS: &str = r#"{"id":7,"jwt_secret":"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567","authTime":1700000000000,"iat":1700000000,"exp":1700604800}"#;

#[wasm_bindgen_test]
fn save_without_remember_uses_session_storage_only() {
    clear_tokens();
    save_token("a.b.c", false);
    assert_eq!(
        session().get_item(TOKEN_KEY).unwrap().as_deref(),
        Some("a.b.c")
    );
    assert_eq!(local().get_item(TOKEN_KEY).unwrap(), None);
    assert_eq!(load_token(), Some(("a.b.c".to_string(), false)));
    clear_tokens();
}

#[wasm_bindgen_test]
fn save_with_remember_uses_local_storage_only_and_drops_the_tab_copy() {
    clear_tokens();
    save_token("old.tab.token", false);
    save_token("x.y.z", true);
    assert_eq!(
        local().get_item(TOKEN_KEY).unwrap().as_deref(),
        Some("x.y.z")
    );
    assert_eq!(
        session().get_item(TOKEN_KEY).unwrap(),
        None,
        "only one copy may exist"
    );
    assert_eq!(load_token(), Some(("x.y.z".to_string(), true)));
    clear_tokens();
}

#[wasm_bindgen_test]
fn clear_empties_both_storages() {
    session().set_item(TOKEN_KEY, "s.s.s").unwrap();
    local().set_item(TOKEN_KEY, "l.l.l").unwrap();
    clear_tokens();
    assert_eq!(session().get_item(TOKEN_KEY).unwrap(), None);
    assert_eq!(local().get_item(TOKEN_KEY).unwrap(), None);
    assert_eq!(load_token(), None);
}

#[wasm_bindgen_test]
fn claims_decode_from_a_base64url_payload() {
    let claims = decode_claims(&jwt(CLAIMS)).expect("claims");
    assert_eq!(claims.id, 7);
    assert_eq!(claims.auth_time, 1_700_000_000_000);
    assert_eq!((claims.iat, claims.exp), (1_700_000_000, 1_700_604_800));
    assert_eq!(claims.two_factor_required, None);

    // base64url's '-' and '_' (here from '>' and '?' in a string claim) must decode too.
    let tricky =
        r#"{"id":1,"jwt_secret":">>>???","authTime":0,"twoFactorRequired":true,"iat":1,"exp":2}"#;
    let token = jwt(tricky);
    assert!(token.contains('-') || token.contains('_'), "{token}");
    let claims = decode_claims(&token).expect("claims");
    assert_eq!(claims.jwt_secret, ">>>???");
    assert_eq!(claims.two_factor_required, Some(true));

    assert_eq!(decode_claims("not-a-jwt"), None);
    assert_eq!(decode_claims("a.%%%.c"), None);
    assert_eq!(decode_claims(&format!("{}.extra", jwt(CLAIMS))), None);
}

#[wasm_bindgen_test]
fn refresh_is_due_at_one_day_of_age() {
    let claims = decode_claims(&jwt(CLAIMS)).unwrap();
    let day = 24 * 60 * 60;
    assert!(!needs_refresh(claims.iat, &claims));
    assert!(!needs_refresh(claims.iat + day - 1, &claims));
    assert!(needs_refresh(claims.iat + day, &claims));
    assert!(needs_refresh(claims.iat + 3 * day, &claims));
}

#[wasm_bindgen_test]
fn expiry_is_detected_from_exp() {
    let claims = decode_claims(&jwt(CLAIMS)).unwrap();
    assert!(!is_expired(claims.exp - 1, &claims));
    assert!(is_expired(claims.exp, &claims));
    assert!(is_expired(claims.exp + 60, &claims));
}

#[wasm_bindgen_test]
fn error_bodies_become_readable_messages() {
    let msg = |status, body| error_from_response(status, None, body, None).to_string();
    // pine's JSON string literal
    assert_eq!(
        msg(409, r#""This email is already taken""#),
        "This email is already taken"
    );
    // {"error": ...}, {"error": {"text": ...}} and {"message": ...}
    assert_eq!(msg(400, r#"{"error":"Invalid email"}"#), "Invalid email");
    assert_eq!(msg(400, r#"{"error":{"text":"Bad key"}}"#), "Bad key");
    assert_eq!(msg(400, r#"{"message":"Too short"}"#), "Too short");
    // empty bodies get a readable default per status
    assert_eq!(
        msg(400, ""),
        "The request was not accepted. Check the form and try again."
    );
    assert_eq!(
        msg(500, ""),
        "The server had a problem. Please try again later."
    );
    assert_eq!(msg(404, "  "), "Not found.");
    // a proxy's HTML error page is never shown
    assert_eq!(
        msg(502, "<html><body>Bad Gateway</body></html>"),
        "The server had a problem. Please try again later."
    );
    assert_eq!(
        error_from_response(409, None, r#""This username is already taken""#, None),
        ApiError::Status {
            status: 409,
            code: None,
            message: "This username is already taken".into()
        }
    );
}

#[wasm_bindgen_test]
fn unauthorized_and_fresh_auth_are_told_apart() {
    assert_eq!(
        error_from_response(401, None, "", None),
        ApiError::Unauthorized
    );
    assert_eq!(
        error_from_response(401, None, r#""Fresh authentication token required""#, None),
        ApiError::FreshAuthRequired
    );
    assert_eq!(
        error_from_response(
            401,
            None,
            r#"{"error":"Fresh authentication token required"}"#,
            None
        ),
        ApiError::FreshAuthRequired
    );
    assert_eq!(
        error_from_response(401, None, r#"{"error":"API key required"}"#, None),
        ApiError::Unauthorized
    );
    assert_eq!(
        login_error_text(&ApiError::Unauthorized),
        "Wrong username, email or password."
    );
}

#[wasm_bindgen_test]
fn the_code_header_decides_not_the_text() {
    // Our server's fresh-auth answer is known by its code, whatever its text says.
    assert_eq!(
        error_from_response(401, Some("fresh-auth-required"), r#""Sign in again""#, None),
        ApiError::FreshAuthRequired
    );
    // With a code present, balena's fresh-auth text alone does not count.
    assert_eq!(
        error_from_response(
            401,
            Some("from-a-newer-server"),
            r#""Fresh authentication token required""#,
            None
        ),
        ApiError::Unauthorized
    );
    let refused = error_from_response(
        400,
        Some("invalid-reset-link"),
        r#""Any wording at all""#,
        None,
    );
    assert_eq!(
        refused,
        ApiError::Status {
            status: 400,
            code: Some(ErrorCode::InvalidResetLink),
            message: "Any wording at all".into()
        }
    );
    assert_eq!(
        refused.to_string(),
        "This password reset link is invalid, has expired or was already used"
    );
    // A code whose wording defers to the server shows the server's details.
    let detailed = error_from_response(400, Some("weak-password"), r#""Too common""#, None);
    assert_eq!(detailed.to_string(), "Too common");
}

#[wasm_bindgen_test]
fn every_error_code_has_a_message() {
    for code in ErrorCode::ALL {
        assert!(!wording(*code).text(None).trim().is_empty(), "{code:?}");
    }
}

#[wasm_bindgen_test]
fn too_many_requests_reads_retry_after() {
    let e = error_from_response(429, None, r#""Too Many Requests""#, Some("3600"));
    assert_eq!(
        e,
        ApiError::TooManyRequests {
            retry_after_secs: Some(3600)
        }
    );
    assert_eq!(e.to_string(), "Too many attempts. Try again in 60 minutes.");
    assert_eq!(
        login_error_text(&e),
        "Too many attempts. Try again in 60 minutes."
    );
    // minutes round up; under a minute, seconds
    assert_eq!(
        too_many_attempts_text(Some(61)),
        "Too many attempts. Try again in 2 minutes."
    );
    assert_eq!(
        too_many_attempts_text(Some(60)),
        "Too many attempts. Try again in 1 minute."
    );
    assert_eq!(
        too_many_attempts_text(Some(45)),
        "Too many attempts. Try again in 45 seconds."
    );
    // a missing or HTTP-date Retry-After still reads well
    let e = error_from_response(429, None, "", Some("Wed, 21 Oct 2026 07:28:00 GMT"));
    assert_eq!(e.to_string(), "Too many attempts. Try again later.");
    assert_eq!(
        error_from_response(429, None, "", None).to_string(),
        "Too many attempts. Try again later."
    );
}

#[wasm_bindgen_test]
fn next_accepts_only_local_paths() {
    assert_eq!(
        safe_next(Some("/preferences/details")),
        Some("/preferences/details")
    );
    assert_eq!(safe_next(Some("/")), Some("/"));
    for bad in [
        "//evil.example/x",
        "/\\evil.example",
        "https://evil.example/",
        "evil",
        "",
        "javascript:alert(1)",
        "/a\nb",
    ] {
        assert_eq!(safe_next(Some(bad)), None, "{bad:?}");
    }
    assert_eq!(safe_next(None), None);
    assert_eq!(
        login_with_next("/preferences/details"),
        "/login?next=%2Fpreferences%2Fdetails"
    );
    assert_eq!(login_with_next("/"), "/login");
}

#[wasm_bindgen_test]
fn base_path_comes_from_the_base_uri() {
    assert_eq!(base_path_from_uri("https://h.example/"), "");
    assert_eq!(base_path_from_uri("https://h.example/account/"), "/account");
    assert_eq!(
        base_path_from_uri("https://h.example/a/b/index.html?x=1#y"),
        "/a/b"
    );
    assert_eq!(base_path_from_uri("http://127.0.0.1:8081"), "");
    assert_eq!(strip_base("/account", "/account/login"), "/login");
    assert_eq!(strip_base("/account", "/account"), "/");
    assert_eq!(strip_base("", "/login"), "/login");
    assert_eq!(strip_base("/account", "/accounting"), "/accounting");
}

#[wasm_bindgen_test]
fn routes_are_built_from_their_segments() {
    use account_console::routes;
    assert_eq!(routes::home(), "/preferences/details");
    assert_eq!(routes::two_factor_challenge(), "/login/two-factor");
    assert_eq!(routes::application(7), "/applications/7");
    assert_eq!(routes::application_actions(7), "/applications/7/actions");
    assert_eq!(routes::organization("acme"), "/organizations/acme");
    assert_eq!(routes::edit_access_token(3), "/preferences/tokens?edit=3");
    assert_eq!(routes::two_factor_settings(), "/preferences/two-factor");
    // The routes the server's emails and redirects open are the ones the router matches.
    assert_eq!(
        format!(
            "/{}/{}",
            wire::account::LOGIN_ROUTE,
            wire::account::SIGN_IN_CALLBACK_SEGMENT
        ),
        "/login/callback"
    );
    assert_eq!(
        routes::segment::RESET_PASSWORD,
        wire::account::RESET_PASSWORD_ROUTE
    );
    assert_eq!(
        routes::segment::VERIFY_EMAIL,
        wire::account::VERIFY_EMAIL_ROUTE
    );
}

#[wasm_bindgen_test]
fn odata_queries_encode_literals_and_nest_options() {
    use account_console::api::odata::{Filter, Literal, Options, Query};
    let q = Query::new("device").key(4).with(|o| {
        o.select(&["id", "device_name"])
            .filter(Filter::eq("device_name", "a b&c").and(Filter::ne("note", Literal::Null)))
            .expand("device_tag", Options::default().select(&["tag_key"]))
            .expand("belongs_to__application", Options::default())
    });
    assert_eq!(
        q.path(),
        "/v7/device(4)?$select=id,device_name&$filter=device_name%20eq%20'a%20b%26c'%20and%20note%20ne%20null&$expand=device_tag($select=tag_key),belongs_to__application"
    );
    assert_eq!(Query::new("user").path(), "/v7/user");
}

/// In German the errors come from the German catalogue, plurals included; the server's
/// English details give way to the catalogue's text.
#[wasm_bindgen_test]
fn errors_are_worded_in_the_chosen_language() {
    use account_console::i18n::{Language, Locale};
    use leptos::prelude::{provide_context, Owner};
    let owner = Owner::new();
    owner.with(|| {
        provide_context(Language::with(Locale::De));
        assert_eq!(
            too_many_attempts_text(Some(61)),
            "Zu viele Versuche. Versuchen Sie es in 2 Minuten erneut."
        );
        assert_eq!(
            too_many_attempts_text(Some(1)),
            "Zu viele Versuche. Versuchen Sie es in 1 Sekunde erneut."
        );
        let detailed = error_from_response(400, Some("weak-password"), r#""Too common""#, None);
        assert_eq!(detailed.to_string(), "Wählen Sie ein sichereres Passwort.");
        assert_eq!(
            error_from_response(404, None, "", None).to_string(),
            "Nicht gefunden."
        );
        // A server text without a code is all there is: it is shown as sent.
        assert_eq!(
            error_from_response(400, None, r#""Invalid email""#, None).to_string(),
            "Invalid email"
        );
    });
}
