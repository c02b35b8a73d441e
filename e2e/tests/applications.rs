//! Applications, members and roles, in headless Chromium against the real server and
//! the release build of the console. Controls are found by role and accessible name.
//!
//! alice creates an application and adds bob as Developer by email → bob sees the shared
//! application with its owner and his type → bob has no "Add member" control and the server
//! refuses his attempt → alice switches her organization to the paid plan and makes bob an
//! Operator → bob sees Operator → bob leaves with "Remove member access" → the application is
//! gone from his list. One browser, switching users by logging out and in.
use e2e::steps::{log_in, log_out, sign_up, submit_sign_up};
use e2e::{http, with_browser, Browser, Stack, StackOptions, WAIT};
use fantoccini::Locator;
use std::time::{Duration, Instant};

/// The session token the console keeps.
async fn session(b: &Browser) -> String {
    b.stored_tokens().await.remove(0).2
}

/// The text of the first element matching `css` (empty when there is none).
async fn text_of(b: &Browser, css: &str) -> String {
    let script = format!(
        "const e = document.querySelector({}); return e ? e.textContent : ''",
        serde_json::to_string(css).unwrap()
    );
    b.js(&script).await.as_str().unwrap_or_default().to_string()
}

/// Waits until the element matching `css` contains `text`.
async fn wait_text(b: &Browser, css: &str, text: &str) -> String {
    let deadline = Instant::now() + WAIT;
    loop {
        let now = text_of(b, css).await;
        if now.contains(text) {
            return now;
        }
        assert!(
            Instant::now() < deadline,
            "{css} never contained {text:?}; it reads {now:?} on {}",
            b.path().await
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A toast (the polite live region) with `text`.
async fn toast(b: &Browser, text: &str) {
    wait_text(b, ".toasts", text).await;
}

/// Clicks the button named `name` inside the open dialog (the page behind may have a button
/// with the same name: the one that opened it).
async fn press_in_dialog(b: &Browser, name: &str) {
    let xpath = format!("//*[@role='dialog']//button[normalize-space()='{name}']");
    let el = b
        .client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::XPath(&xpath))
        .await
        .unwrap_or_else(|e| panic!("no {name:?} button in the dialog: {e}"));
    let deadline = Instant::now() + WAIT;
    while !el.is_enabled().await.unwrap_or(false) {
        assert!(Instant::now() < deadline, "{name:?} stayed disabled");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    el.click().await.unwrap();
}

/// The text of the applications table row of `app` (empty when it is not listed).
async fn app_row(b: &Browser, app: &str) -> String {
    let script = format!(
        "const rows = [...document.querySelectorAll('.applications-table tbody tr')];
         const r = rows.find(r => r.querySelector('th').textContent.trim() === {});
         return r ? r.textContent : ''",
        serde_json::to_string(app).unwrap()
    );
    b.js(&script).await.as_str().unwrap_or_default().to_string()
}

async fn open_applications(b: &Browser) {
    b.click("link", "Applications").await;
    b.wait_path("/applications").await;
    b.role("heading", "Applications").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn share_an_application_change_the_member_type_and_leave() {
    let stack = Stack::start(StackOptions::default()).await;
    let (base, addr) = (stack.url(""), stack.addr);
    with_browser(move |b| async move {
        // bob has an account (members must exist before they are added).
        sign_up(&b, &base, "bob@example.com", "bob").await;
        log_out(&b).await;

        // alice signs up: her personal organization "alice" (free plan), she administers it.
        b.goto(&format!("{base}/signup")).await;
        submit_sign_up(&b, "alice@example.com", "alice").await;
        open_applications(&b).await;
        wait_text(&b, ".empty-state", "No applications yet").await;
        b.audit("the applications page, none yet").await;

        // Create an application.
        b.click("button", "Create application").await;
        b.role("dialog", "Create application").await;
        b.fill("Application name", "Fleet1").await;
        b.audit("the create application dialog").await;
        press_in_dialog(&b, "Create application").await;
        toast(&b, "Created Fleet1.").await;
        b.role("heading", "Fleet1").await;
        let path = b.path().await;
        let app_id: i64 = path
            .strip_prefix("/applications/")
            .and_then(|id| id.parse().ok())
            .unwrap_or_else(|| panic!("on the new application's page: {path}"));
        b.role("navigation", "Application sections").await;
        b.role("link", "Members").await;
        b.role("link", "Actions").await;
        assert_eq!(text_of(&b, ".shared-line").await, "", "alice owns it");
        b.audit("an application's members").await;

        // Add bob by email as Developer (the free plan allows only Developer).
        b.click("button", "Add member").await;
        b.role("dialog", "Add member").await;
        b.fill("Username or email", "bob@example.com").await;
        let select = b.role("combobox", "Member type").await;
        let disabled = b
            .js("return [...document.querySelectorAll('#add-member-type option')].map(o => [o.value, o.disabled, o.textContent])")
            .await;
        assert_eq!(disabled[0][1], false, "{disabled}");
        assert_eq!(disabled[1][1], true, "Operator needs the paid plan: {disabled}");
        assert!(disabled[2][2].as_str().unwrap().ends_with("(paid plan)"));
        select.select_by_value("developer").await.unwrap();
        b.audit("the add member dialog").await;
        press_in_dialog(&b, "Add member").await;
        toast(&b, "Added bob@example.com as Developer.").await;
        b.role("combobox", "Member type for bob").await;
        b.role("button", "Remove bob").await;
        wait_text(&b, "table.permissions-table caption", "What each member type can do").await;
        log_out(&b).await;

        // bob sees the shared application, its owner and his type.
        log_in(&b, "bob", false).await;
        open_applications(&b).await;
        wait_text(&b, ".applications-table", "Fleet1").await;
        let row = app_row(&b, "Fleet1").await;
        assert!(row.contains("Shared"), "{row}");
        assert!(row.contains("Owned by alice"), "{row}");
        assert!(row.contains("Developer"), "{row}");
        b.click("link", "Fleet1").await;
        b.role("heading", "Fleet1").await;
        wait_text(&b, ".shared-line", "Shared by alice — you are Developer").await;
        // Members are listed, but bob is offered no member controls...
        wait_text(&b, ".members-table", "bob").await;
        assert!(!b.has_role("button", "Add member").await);
        assert!(!b.has_role("combobox", "Member type for bob").await);
        assert!(!b.has_role("button", "Remove bob").await);
        // ...and the server refuses him when he tries anyway (with his live session, which
        // can read the application).
        let bob_token = session(&b).await;
        let read = http(
            addr,
            "GET",
            &format!("/v7/application({app_id})?$select=id"),
            Some(&bob_token),
            None,
        );
        assert_eq!(read.status, 200, "{read:?}");
        assert!(read.body.contains(&format!(r#""id":{app_id}"#)), "{read:?}");
        let body = format!(
            r#"{{"username":"alice","is_member_of__application":{app_id},"application_membership_role":1}}"#
        );
        let reply = http(
            addr,
            "POST",
            "/v7/user_application_membership",
            Some(&bob_token),
            Some(&body),
        );
        assert!(
            reply.status == 401 || reply.status == 403,
            "a developer may not add members: {reply:?}"
        );
        log_out(&b).await;

        // alice switches to the paid plan (the stand-in for billing) and makes bob an Operator.
        log_in(&b, "alice", false).await;
        open_applications(&b).await;
        wait_text(&b, ".applications-table", "Fleet1").await;
        b.click("link", "alice").await;
        b.wait_path("/organizations/alice").await;
        b.role("heading", "Plan").await;
        b.audit("the organization page").await;
        wait_text(&b, ".plan-current", "Free").await;
        b.press("Switch to paid plan").await;
        toast(&b, "alice is now on the paid plan.").await;
        wait_text(&b, ".plan-current", "Paid").await;
        b.role("button", "Switch to free plan").await;
        b.goto(&format!("{base}/applications/{app_id}")).await;
        b.role("combobox", "Member type for bob")
            .await
            .select_by_value("operator")
            .await
            .unwrap();
        toast(&b, "bob is now Operator.").await;
        log_out(&b).await;

        // bob is an Operator now; he leaves.
        log_in(&b, "bob", false).await;
        open_applications(&b).await;
        wait_text(&b, ".applications-table", "Fleet1").await;
        let row = app_row(&b, "Fleet1").await;
        assert!(row.contains("Operator"), "{row}");
        b.click("link", "Fleet1").await;
        wait_text(&b, ".shared-line", "Shared by alice — you are Operator").await;
        b.click("link", "Actions").await;
        b.wait_path(&format!("/applications/{app_id}/actions")).await;
        assert!(!b.has_role("button", "Delete application").await);
        b.click("button", "Remove member access").await;
        b.role("dialog", "Remove your access to Fleet1?").await;
        b.audit("the leave application dialog").await;
        let warning = wait_text(&b, "#leave-warning", "cannot be undone").await;
        assert!(
            warning.contains("only an administrator of alice can give you access"),
            "{warning}"
        );
        press_in_dialog(&b, "Remove my access").await;
        toast(&b, "You no longer have access to Fleet1.").await;
        b.wait_path("/applications").await;
        wait_text(&b, ".empty-state", "No applications yet").await;
        assert_eq!(app_row(&b, "Fleet1").await, "");
        // The server agrees: bob can no longer see it.
        let bob_token = session(&b).await;
        let reply = http(
            addr,
            "GET",
            &format!("/v7/application({app_id})?$select=id"),
            Some(&bob_token),
            None,
        );
        assert_eq!(reply.status, 200);
        assert!(reply.body.contains(r#""d":[]"#), "{}", reply.body);
    })
    .await;
}

/// An administrator removes a member after the confirmation naming them, and deletes the
/// application after typing its name. Screenshots of the pages go to `$E2E_SCREENSHOTS` when
/// set (for reviewing the layout).
#[tokio::test(flavor = "multi_thread")]
async fn administrator_removes_a_member_and_deletes_the_application() {
    let stack = Stack::start(StackOptions::default()).await;
    let base = stack.url("");
    let shots = std::env::var("E2E_SCREENSHOTS").ok();
    with_browser(move |b| async move {
        let shot = |name: &'static str| {
            let dir = shots.clone();
            let b = &b;
            async move {
                if let Some(dir) = dir {
                    b.screenshot(&format!("{dir}/{name}.png")).await;
                }
            }
        };
        sign_up(&b, &base, "carol@example.com", "carol").await;
        log_out(&b).await;
        b.goto(&format!("{base}/signup")).await;
        submit_sign_up(&b, "dave@example.com", "dave").await;
        open_applications(&b).await;

        // The name rules are explained, and a refused name says why.
        b.click("button", "Create application").await;
        b.role("dialog", "Create application").await;
        b.fill("Application name", "my fleet").await;
        press_in_dialog(&b, "Create application").await;
        wait_text(&b, "#create-app-name-error", "letters, digits").await;
        b.fill("Application name", "Depot").await;
        press_in_dialog(&b, "Create application").await;
        toast(&b, "Created Depot.").await;
        b.role("heading", "Depot").await;

        // Add carol by username.
        b.click("button", "Add member").await;
        b.role("dialog", "Add member").await;
        b.fill("Username or email", "carol").await;
        shot("add-member").await;
        press_in_dialog(&b, "Add member").await;
        toast(&b, "Added carol as Developer.").await;
        b.role("combobox", "Member type for carol").await;
        shot("members").await;

        // Remove her, after a confirmation that names her and the application.
        b.click("button", "Remove carol").await;
        b.role("dialog", "Remove carol from Depot?").await;
        press_in_dialog(&b, "Remove member").await;
        toast(&b, "Removed carol from Depot.").await;
        wait_text(&b, ".members-panel", "No members yet").await;
        assert!(!b.has_role("button", "Remove carol").await);

        open_applications(&b).await;
        wait_text(&b, ".applications-table", "Depot").await;
        shot("applications").await;
        b.click("link", "Depot").await;
        b.role("heading", "Depot").await;

        // Delete the application: only once its name is typed.
        b.click("link", "Actions").await;
        assert!(!b.has_role("button", "Remove member access").await);
        b.click("button", "Delete application").await;
        b.role("dialog", "Delete Depot?").await;
        let confirm = b
            .client
            .find(Locator::XPath(
                "//*[@role='dialog']//button[normalize-space()='Delete this application']",
            ))
            .await
            .unwrap();
        assert!(
            !confirm.is_enabled().await.unwrap(),
            "disabled until the name is typed"
        );
        b.fill("Type Depot to confirm", "depot").await;
        assert!(
            !confirm.is_enabled().await.unwrap(),
            "the exact name is needed"
        );
        b.fill("Type Depot to confirm", "Depot").await;
        shot("delete").await;
        press_in_dialog(&b, "Delete this application").await;
        toast(&b, "Deleted Depot.").await;
        b.wait_path("/applications").await;
        wait_text(&b, ".empty-state", "Create one").await;
        b.goto(&format!("{base}/organizations/dave")).await;
        b.role("heading", "Plan").await;
        wait_text(&b, ".data-table", "Administrator").await;
        shot("organization").await;
    })
    .await;
}
