//! The console's shell: hosting under a sub-path, the theme, the not-found page, a phone's
//! width. Headless Chromium against the real server and release builds of the console.
use e2e::{dist_from_env, with_browser, Stack, StackOptions};

const PASSWORD: &str = "purple-otter-sings-42";

/// Built with `--public-url /account/` by scripts/test (scripts/build-console).
#[tokio::test(flavor = "multi_thread")]
async fn works_under_a_sub_path() {
    let stack = Stack::start(StackOptions {
        dist: dist_from_env("CONSOLE_DIST_SUBPATH", "dist-subpath"),
        console_path: "/account/".into(),
    })
    .await;
    let base = stack.url("");
    with_browser(move |b| async move {
        b.goto(&format!("{base}/")).await;
        b.role("heading", "Log in").await;
        b.wait_path("/account/login").await;
        b.click("link", "Create an account").await;
        b.wait_path("/account/signup").await;
        b.fill("Email", "dave@example.com").await;
        b.fill("Username", "dave").await;
        b.fill("Password", PASSWORD).await;
        b.fill("Confirm password", PASSWORD).await;
        b.press("Create account").await;
        b.role("heading", "Account details").await;
        b.wait_path("/account/preferences/details").await;
        // A reload of a client route is answered by the server's fallback under the sub-path.
        b.refresh().await;
        b.role("heading", "Account details").await;
        b.goto(&format!("{base}/no/such/page")).await;
        b.role("heading", "Page not found").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn theme_toggle_persists_and_layout_fits_a_phone() {
    let stack = Stack::start(StackOptions::default()).await;
    let base = stack.url("");
    with_browser(move |b| async move {
        b.goto(&format!("{base}/login")).await;
        b.role("heading", "Log in").await;
        let theme = || async {
            b.js("return document.documentElement.dataset.theme || null")
                .await
        };
        let toggle = b.role("button", "Dark theme").await;
        let before = toggle.attr("aria-pressed").await.unwrap();
        assert!(
            matches!(before.as_deref(), Some("true" | "false")),
            "aria-pressed: {before:?}"
        );
        toggle.click().await.unwrap();
        let after = if before.as_deref() == Some("true") {
            "false"
        } else {
            "true"
        };
        b.wait_attr("button", "Dark theme", "aria-pressed", after)
            .await;
        let chosen = theme().await;
        assert_eq!(
            chosen,
            serde_json::json!(if after == "true" { "dark" } else { "light" })
        );
        b.refresh().await;
        b.role("heading", "Log in").await;
        assert_eq!(theme().await, chosen, "the choice survives a reload");

        // 360 px wide: nothing may overflow horizontally.
        b.client.set_window_size(360, 740).await.unwrap();
        for route in ["/login", "/signup"] {
            b.goto(&format!("{base}{route}")).await;
            b.role("button", "Dark theme").await;
            let fits = b
                .js("return document.documentElement.scrollWidth <= window.innerWidth")
                .await;
            assert_eq!(fits, serde_json::json!(true), "{route} overflows at 360 px");
        }
        if let Ok(dir) = std::env::var("E2E_SCREENSHOT_DIR") {
            b.screenshot(&format!("{dir}/signup-phone.png")).await;
        }
    })
    .await;
}
