//! Email verification in headless Chromium against the real server: the banner after
//! sign-up, "Resend email", and the mailed link from the outbox, which verifies without
//! signing anyone in. Controls are found by role and accessible name.
use e2e::mail::{link_starting_with, messages, wait_for_verification_mail};
use e2e::steps::{log_out, sign_up};
use e2e::{with_browser, Stack, StackOptions};

#[tokio::test(flavor = "multi_thread")]
async fn the_mailed_link_verifies_and_the_banner_goes() {
    let stack = Stack::start(StackOptions::default()).await;
    let base = stack.url("");
    let outbox = stack.outbox_dir();
    let prefix = stack.url("/verify-email");
    with_browser(move |b| async move {
        sign_up(&b, &base, "vera@example.com", "vera").await;
        b.role("heading", "Verify your email address").await;
        b.audit("the verify email banner").await;
        wait_for_verification_mail(&outbox, 0, "vera@example.com").await;

        let before = messages(&outbox).len();
        b.click("button", "Resend email").await;
        let mail = wait_for_verification_mail(&outbox, before, "vera@example.com").await;
        let link = link_starting_with(&mail, &prefix)
            .unwrap_or_else(|| panic!("no {prefix} link in:\n{mail}"));

        // Opened signed out (another browser, say): it verifies and signs nobody in.
        log_out(&b).await;
        b.goto(&link).await;
        b.role_with_text("status", "Your email address is verified.")
            .await;
        b.audit("the verify email page").await;
        let url = b.client.current_url().await.unwrap();
        assert_eq!(
            url.fragment(),
            None,
            "the token left the address bar: {url}"
        );
        assert!(
            b.stored_tokens().await.is_empty(),
            "verifying signs nobody in"
        );
        b.role("link", "Log in").await;

        // The same link again is explained.
        b.goto(&link).await;
        b.role_with_text("alert", "invalid, has expired or was already used")
            .await;

        // Signed in again, the banner is gone.
        b.goto(&format!("{base}/login")).await;
        e2e::steps::log_in(&b, "vera", false).await;
        assert!(!b.has_role("heading", "Verify your email address").await);
    })
    .await;
}
