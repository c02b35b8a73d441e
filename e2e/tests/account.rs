//! Account journeys in headless Chromium against the real server: a password reset through
//! the outbox, deleting an account, and a social sign-in through a local OpenID Connect
//! provider followed by "Set a password". Controls are found by role and accessible name.
use e2e::mail::{link_starting_with, messages, wait_for_new_mail};
use e2e::steps::{detail, log_out, sign_up, PASSWORD};
use e2e::{http, with_browser, Browser, Stack, StackOptions};
use test_oidc_provider::{ProviderConfig, TestProvider};

const NEW_PASSWORD: &str = "teal-heron-dances-77";
const THIRD_PASSWORD: &str = "amber-lynx-whistles-31";

/// Logs in from the login page on screen with `password`; ends on Account details.
async fn log_in_with(b: &Browser, who: &str, password: &str) {
    b.role("heading", "Log in").await;
    b.fill("Username or email", who).await;
    b.fill("Password", password).await;
    b.press("Log in").await;
    b.role("heading", "Account details").await;
}

/// Tries to log in with `password` and expects the login page's refusal.
async fn log_in_fails(b: &Browser, who: &str, password: &str) {
    b.role("heading", "Log in").await;
    b.fill("Username or email", who).await;
    b.fill("Password", password).await;
    b.press("Log in").await;
    b.role_with_text("alert", "Wrong username, email or password.")
        .await;
}

fn login_status(stack: &Stack, who: &str, password: &str) -> u16 {
    let body = serde_json::json!({ "username": who, "password": password }).to_string();
    http(stack.addr, "POST", "/login_", None, Some(&body)).status
}

#[tokio::test(flavor = "multi_thread")]
async fn forgot_password_link_from_the_outbox_sets_a_new_password_once() {
    let stack = Stack::start(StackOptions::default()).await;
    let base = stack.url("");
    let outbox = stack.outbox_dir();
    let reset_prefix = stack.url("/reset-password");
    with_browser(move |b| async move {
        sign_up(&b, &base, "rita@example.com", "rita").await;
        log_out(&b).await;

        b.click("link", "Forgot password?").await;
        b.wait_path("/forgot-password").await;
        b.role("heading", "Reset your password").await;
        let before = messages(&outbox).len();
        b.fill("Email", "rita@example.com").await;
        b.press("Send reset link").await;
        b.role_with_text(
            "status",
            "If an account exists for that address, we have sent a link to reset its password. The link works once, for one hour.",
        )
        .await;
        b.audit("the forgot password page, link sent").await;

        let mail = wait_for_new_mail(&outbox, before).await;
        let link = link_starting_with(&mail, &reset_prefix)
            .unwrap_or_else(|| panic!("no {reset_prefix} link in:\n{mail}"));
        assert!(link.contains("#token="), "the token is in the fragment: {link}");

        b.goto(&link).await;
        b.role("heading", "Choose a new password").await;
        let url = b.client.current_url().await.unwrap();
        assert_eq!(url.fragment(), None, "the token left the address bar: {url}");
        assert_eq!(url.path(), "/reset-password");
        b.audit("the reset password page").await;
        b.fill("New password", NEW_PASSWORD).await;
        b.fill("Confirm new password", NEW_PASSWORD).await;
        b.press("Set new password").await;
        b.role_with_text(
            "status",
            "Your password has been changed. Log in with your new password.",
        )
        .await;
        assert!(
            b.stored_tokens().await.is_empty(),
            "a reset does not sign in"
        );

        // The same link a second time is refused and explained.
        b.goto(&link).await;
        b.role("heading", "Choose a new password").await;
        b.fill("New password", "another-fine-secret-9").await;
        b.fill("Confirm new password", "another-fine-secret-9").await;
        b.press("Set new password").await;
        b.role_with_text("alert", "invalid, has expired or was already used")
            .await;
        b.audit("the reset password page, link used").await;
        b.role("link", "Request a new link").await;

        b.goto(&format!("{base}/login")).await;
        log_in_fails(&b, "rita", PASSWORD).await;
        log_in_with(&b, "rita", NEW_PASSWORD).await;
        assert_eq!(detail(&b, "Username").await, "rita");

        // Changing it from Account details checks the current password.
        b.role("heading", "Change password").await;
        b.fill("Current password", "not-the-current-one").await;
        b.fill("New password", THIRD_PASSWORD).await;
        b.fill("Confirm new password", THIRD_PASSWORD).await;
        b.press("Save password").await;
        b.role_with_text("alert", "Current password is incorrect")
            .await;
        b.audit("the account details page, wrong current password").await;
        b.fill("Current password", NEW_PASSWORD).await;
        b.press("Save password").await;
        b.role_with_text(
            "status",
            "Password saved. Your other sessions have been signed out.",
        )
        .await;
        // The answer's token replaced the session: it survives a reload.
        b.refresh().await;
        assert_eq!(detail(&b, "Username").await, "rita");

        let csp: Vec<_> = b
            .severe_logs()
            .await
            .into_iter()
            .filter(|m| m.contains("Content Security Policy"))
            .collect();
        assert!(csp.is_empty(), "CSP violations: {csp:?}");
    })
    .await;
    assert_eq!(login_status(&stack, "rita", PASSWORD), 401);
    assert_eq!(login_status(&stack, "rita", NEW_PASSWORD), 401);
    assert_eq!(login_status(&stack, "rita", THIRD_PASSWORD), 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn deleting_the_account_signs_out_and_its_login_then_fails() {
    let stack = Stack::start(StackOptions::default()).await;
    let base = stack.url("");
    with_browser(move |b| async move {
        sign_up(&b, &base, "dora@example.com", "dora").await;
        b.role("heading", "Delete account").await;
        b.press("Delete account…").await;
        b.role("heading", "Delete your account?").await;
        let confirm = b.role("button", "Delete my account").await;
        assert!(!confirm.is_enabled().await.unwrap(), "empty form");
        b.fill("Type your username to confirm", "dora").await;
        b.fill("Password", "not-my-password").await;
        b.press("Delete my account").await;
        b.role_with_text("alert", "Wrong password.").await;
        b.audit("the delete account dialog, wrong password").await;

        b.fill("Password", PASSWORD).await;
        b.press("Delete my account").await;
        b.role("heading", "Your account has been deleted").await;
        b.wait_path("/goodbye").await;
        assert!(b.stored_tokens().await.is_empty(), "the session is gone");
        b.role("link", "Create a new account").await;
        b.audit("the goodbye page").await;

        // Reloading the goodbye page works signed out.
        b.refresh().await;
        b.role("heading", "Your account has been deleted").await;

        b.goto(&format!("{base}/login")).await;
        log_in_fails(&b, "dora", PASSWORD).await;
    })
    .await;
    assert_eq!(login_status(&stack, "dora", PASSWORD), 401);
}

#[tokio::test(flavor = "multi_thread")]
async fn social_sign_in_then_set_a_password_then_password_login() {
    let provider = TestProvider::start(ProviderConfig::default())
        .await
        .expect("test OIDC provider");
    let email = provider.config().user.email.clone();
    let stack = Stack::start(StackOptions {
        extra_args: provider.server_args("Test IdP"),
        ..StackOptions::default()
    })
    .await;
    let base = stack.url("");
    with_browser(move |b| async move {
        // Both pages offer the provider, and nothing else.
        b.goto(&format!("{base}/signup")).await;
        b.role("button", "Continue with Test IdP").await;
        b.goto(&format!("{base}/login")).await;
        assert!(!b.has_role("button", "Continue with GitHub").await);
        b.click("button", "Continue with Test IdP").await;

        b.role("heading", "Account details").await;
        b.wait_path("/preferences/details").await;
        assert_eq!(detail(&b, "Email").await, email);
        let url = b.client.current_url().await.unwrap();
        assert_eq!(url.fragment(), None, "no token left in the URL: {url}");
        let stored = b.stored_tokens().await;
        assert_eq!(stored.len(), 1, "{stored:?}");
        assert_eq!(stored[0].0, "session", "a social sign-in is not remembered");

        // No password yet: deleting is blocked, and the form sets a first one.
        b.role("heading", "Set a password").await;
        let delete = b.role("button", "Delete account…").await;
        assert!(!delete.is_enabled().await.unwrap());
        assert!(!b.has_role("textbox", "Current password").await);
        b.fill("New password", NEW_PASSWORD).await;
        b.fill("Confirm new password", NEW_PASSWORD).await;
        b.press("Save password").await;
        b.role_with_text(
            "status",
            "Password saved. Your other sessions have been signed out.",
        )
        .await;
        b.role("heading", "Change password").await;
        // With a password, deleting becomes possible (opened and cancelled here).
        b.press("Delete account…").await;
        b.role("heading", "Delete your account?").await;
        b.click("button", "Cancel").await;

        log_out(&b).await;
        log_in_with(&b, &email, NEW_PASSWORD).await;
        assert_eq!(detail(&b, "Email").await, email);
    })
    .await;
}
