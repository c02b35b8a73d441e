//! Two-factor authentication, end to end in headless Chromium against the real server: enable
//! it with a code computed from the key on the page, save the recovery codes, log in with the
//! challenge (a wrong code, then recovery codes, each usable once), disable it with the
//! password, and log in without a code again.
//!
//! A code's time step is accepted once, so the enabling code is never reused: the logins use a
//! wrong code and recovery codes instead, which keeps the journey free of 30-second waits.
use e2e::steps::{log_in, log_out, sign_up, PASSWORD};
use e2e::{with_browser, Browser, Stack, StackOptions};
use fantoccini::Locator;
use std::time::{SystemTime, UNIX_EPOCH};
use totp_rs::{Algorithm, Builder};

fn totp_at(key: &str, unix_secs: u64) -> String {
    let secret = data_encoding::BASE32_NOPAD
        .decode(key.as_bytes())
        .expect("the key is base32");
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(secret)
        .build()
        .expect("a valid TOTP key")
        .generate(unix_secs)
        .to_string()
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// Six digits that are not the code of the previous, current or next step.
fn wrong_code(key: &str) -> String {
    let now = now_secs();
    let valid: Vec<String> = [now - 30, now, now + 30, now + 60]
        .iter()
        .map(|t| totp_at(key, *t))
        .collect();
    (0u32..)
        .map(|i| format!("{:06}", (314_159 + i * 7_919) % 1_000_000))
        .find(|c| !valid.contains(c))
        .unwrap()
}

async fn texts(b: &Browser, xpath: &str) -> Vec<String> {
    let mut out = Vec::new();
    for el in b.client.find_all(Locator::XPath(xpath)).await.unwrap() {
        out.push(el.text().await.unwrap().trim().to_string());
    }
    out
}

/// Username and password on the login page; ends on the two-factor challenge.
async fn password_step(b: &Browser, who: &str) {
    b.role("heading", "Log in").await;
    b.fill("Username or email", who).await;
    b.fill("Password", PASSWORD).await;
    b.press("Log in").await;
    b.role("heading", "Two-factor authentication").await;
    b.wait_path("/login/two-factor").await;
}

async fn open_two_factor_tab(b: &Browser) {
    b.click("link", "Two-factor authentication").await;
    b.wait_path("/preferences/two-factor").await;
    b.role("heading", "Two-factor authentication").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn enable_log_in_with_recovery_codes_and_disable() {
    let stack = Stack::start(StackOptions::default()).await;
    let base = stack.url("");
    with_browser(move |b| async move {
        sign_up(&b, &base, "tina@example.com", "tina").await;
        open_two_factor_tab(&b).await;
        b.audit("the two-factor tab, off").await;
        b.press("Enable").await;

        // The QR code (an image with a name) and the key for manual entry, in blocks of four.
        b.role("heading", "Scan the QR code").await;
        b.role("image", "QR code for your authenticator app").await;
        let shown = texts(
            &b,
            "//p[normalize-space()='Key for manual entry:']/following-sibling::p[1]/code",
        )
        .await;
        assert_eq!(shown.len(), 1, "{shown:?}");
        assert!(shown[0].split(' ').all(|g| g.len() == 4), "{shown:?}");
        let key = shown[0].replace(' ', "");
        assert_eq!(key.len(), 32);

        // A wrong pairing code is refused with a clear message; 2FA stays off.
        b.fill("Authentication code", &wrong_code(&key)).await;
        b.press("Verify").await;
        b.role_with_text("alert", "That code is not valid. Try again.")
            .await;
        b.audit("the two-factor pairing step, wrong code").await;
        b.fill("Authentication code", &totp_at(&key, now_secs()))
            .await;
        b.press("Verify").await;

        // The recovery codes, shown once; "Done" waits for the confirmation.
        b.role("heading", "Save your recovery codes").await;
        let codes = texts(&b, "//ul[@aria-label='Recovery codes']/li").await;
        assert_eq!(codes.len(), 10, "{codes:?}");
        b.audit("the recovery codes").await;
        b.role("button", "Copy all recovery codes").await;
        b.role("button", "Download").await;
        b.role("button", "Print").await;
        let done = b.role("button", "Done").await;
        assert!(!done.is_enabled().await.unwrap(), "Done before confirming");
        b.click("checkbox", "I have saved my recovery codes").await;
        b.press("Done").await;
        b.role_with_text("status", "10 recovery codes left.").await;
        b.audit("the two-factor tab, on").await;
        log_out(&b).await;

        // Login now asks for the code; a wrong one is refused and the page stays.
        password_step(&b, "tina").await;
        assert!(
            b.stored_tokens().await.len() == 1,
            "the partial token is kept for the challenge"
        );
        b.fill("Authentication code", &wrong_code(&key)).await;
        b.press("Verify").await;
        b.role_with_text("alert", "That code is not valid. Try again.")
            .await;
        // A protected page is not reachable with the partial token.
        b.goto(&format!("{base}/preferences/details")).await;
        b.role("heading", "Two-factor authentication").await;
        b.wait_path("/login/two-factor").await;

        // A recovery code works once...
        b.click("button", "Use a recovery code instead").await;
        b.audit("the two-factor challenge, recovery code").await;
        b.fill("Recovery code", &codes[0]).await;
        b.press("Verify").await;
        b.wait_path("/preferences/details").await;
        b.role("heading", "Account details").await;
        open_two_factor_tab(&b).await;
        b.role_with_text("status", "9 recovery codes left.").await;
        log_out(&b).await;

        // ...and is refused the second time; another one works.
        password_step(&b, "tina@example.com").await;
        b.click("button", "Use a recovery code instead").await;
        b.fill("Recovery code", &codes[0]).await;
        b.press("Verify").await;
        b.role_with_text("alert", "That code is not valid. Try again.")
            .await;
        b.fill("Recovery code", &codes[1]).await;
        b.press("Verify").await;
        b.role("heading", "Account details").await;

        // Disabling asks for the password.
        open_two_factor_tab(&b).await;
        b.role_with_text("status", "8 recovery codes left.").await;
        b.press("Disable").await;
        b.role("dialog", "Disable two-factor authentication").await;
        b.audit("the disable two-factor dialog").await;
        b.fill("Password", PASSWORD).await;
        b.press("Disable two-factor authentication").await;
        // Off again: the tab offers to enable it.
        b.role("button", "Enable").await;
        log_out(&b).await;

        // Login no longer asks for a code.
        log_in(&b, "tina", false).await;
        b.wait_path("/preferences/details").await;

        let csp: Vec<_> = b
            .severe_logs()
            .await
            .into_iter()
            .filter(|m| m.contains("Content Security Policy"))
            .collect();
        assert!(csp.is_empty(), "CSP violations: {csp:?}");
    })
    .await;
}
