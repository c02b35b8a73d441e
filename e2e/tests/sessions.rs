//! Active sessions, end to end in two headless Chromium browsers against the real server: the
//! same user signs in on both, the first revokes the second under Preferences → Active
//! sessions, and the second is sent to the login page, with a message, on its next reload.
use e2e::steps::{log_in, sign_up};
use e2e::{with_browser, Browser, Stack, StackOptions};

/// Both browsers are the same headless Chromium on this machine, so the other session's
/// Revoke button is the only one with this name.
const REVOKE_OTHER: &str = "Revoke Chrome on Linux (127.0.0.1)";

async fn open_sessions_tab(b: &Browser) {
    b.click("link", "Active sessions").await;
    b.wait_path("/preferences/sessions").await;
    b.role("heading", "Active sessions").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn one_browser_revokes_the_other() {
    let stack = Stack::start(StackOptions::default()).await;
    let base = stack.url("");
    with_browser(move |first| async move {
        sign_up(&first, &base, "sami@example.com", "sami").await;
        with_browser(move |second| async move {
            second.goto(&format!("{base}/login")).await;
            log_in(&second, "sami", false).await;
            open_sessions_tab(&second).await;
            second.role_with_text("listitem", "This session").await;
            assert!(second.has_role("button", REVOKE_OTHER).await);
            second.audit("the sessions tab").await;

            open_sessions_tab(&first).await;
            first.press(REVOKE_OTHER).await;
            first.role("dialog", "Revoke Chrome on Linux?").await;
            first.audit("the revoke session dialog").await;
            first.press("Revoke session").await;
            // Only this session is left: nothing else to revoke.
            first
                .wait_attr("button", "Revoke all other sessions", "disabled", "true")
                .await;
            assert!(!first.has_role("button", REVOKE_OTHER).await);

            second.refresh().await;
            second.wait_path("/login").await;
            second
                .role_with_text("status", "Your session has ended. Please log in again.")
                .await;
            assert!(
                second.stored_tokens().await.is_empty(),
                "the revoked token is dropped"
            );
            // The revoking browser is still signed in.
            first.refresh().await;
            first.role("heading", "Active sessions").await;
            first.role_with_text("listitem", "This session").await;
        })
        .await;
    })
    .await;
}
