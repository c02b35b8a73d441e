//! The console's shell: hosting under a sub-path, the theme, the not-found page, a phone's
//! width. Headless Chromium against the real server and release builds of the console.
use e2e::steps::{detail, log_in, log_out, submit_sign_up, PASSWORD};
use e2e::{dist_from_env, http, with_browser, Stack, StackOptions};

/// Built with `--public-url /account/` by scripts/test (scripts/build-console).
#[tokio::test(flavor = "multi_thread")]
async fn works_under_a_sub_path() {
    let stack = Stack::start(StackOptions {
        dist: dist_from_env("CONSOLE_DIST_SUBPATH", "dist-subpath"),
        console_path: "/account/".into(),
        ..StackOptions::default()
    })
    .await;
    let base = stack.url("");
    with_browser(move |b| async move {
        b.goto(&format!("{base}/")).await;
        b.role("heading", "Log in").await;
        b.wait_path("/account/login").await;
        b.click("link", "Create an account").await;
        b.wait_path("/account/signup").await;
        submit_sign_up(&b, "dave@example.com", "dave").await;
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
async fn theme_toggle_persists_and_signed_out_screens_pass_the_audit() {
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

        // The signed-out screens: axe in both themes, at the desktop and a phone's width
        // (where nothing may scroll sideways).
        for (route, heading) in [
            ("/login", "Log in"),
            ("/signup", "Create your account"),
            ("/forgot-password", "Reset your password"),
            ("/no/such/page", "Page not found"),
        ] {
            b.goto(&format!("{base}{route}")).await;
            b.role("heading", heading).await;
            b.audit(route).await;
        }
        b.client.set_window_size(360, 740).await.unwrap();
        b.goto(&format!("{base}/signup")).await;
        b.role("heading", "Create your account").await;
        if let Ok(dir) = std::env::var("E2E_SCREENSHOT_DIR") {
            b.screenshot(&format!("{dir}/signup-phone.png")).await;
        }
    })
    .await;
}

/// An operator hosts the static console on one origin and points its `config.json` at an API
/// on another: the API allows exactly that origin (CORS), and the console's CSP allows
/// connecting to it.
#[tokio::test(flavor = "multi_thread")]
async fn console_on_another_origin_uses_the_configured_api() {
    let api_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let host_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let (api_addr, host_addr) = (
        api_listener.local_addr().unwrap(),
        host_listener.local_addr().unwrap(),
    );

    let dist = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(StackOptions::default().dist).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dist.path().join(entry.file_name())).unwrap();
    }
    let config = format!(r#"{{"apiUrl": "http://{api_addr}"}}"#);
    std::fs::write(dist.path().join("config.json"), config).unwrap();

    let api = Stack::start_on(
        api_listener,
        StackOptions {
            allowed_origins: vec![format!("http://{host_addr}")],
            ..StackOptions::default()
        },
    )
    .await;
    let host = Stack::start_on(
        host_listener,
        StackOptions {
            dist: dist.path().into(),
            ..StackOptions::default()
        },
    )
    .await;
    let base = host.url("");
    with_browser(move |b| async move {
        b.goto(&format!("{base}/signup")).await;
        submit_sign_up(&b, "erin@example.com", "erin").await;
        assert_eq!(detail(&b, "Username").await, "erin");
        log_out(&b).await;
        log_in(&b, "erin", false).await;
        // The account lives on the API server, not on the server that hosts the files.
        let body = format!(r#"{{"username":"erin","password":"{PASSWORD}"}}"#);
        assert_eq!(
            http(api_addr, "POST", "/login_", None, Some(&body)).status,
            200
        );
        assert_eq!(
            http(host_addr, "POST", "/login_", None, Some(&body)).status,
            401
        );
        let csp: Vec<_> = b
            .severe_logs()
            .await
            .into_iter()
            .filter(|m| m.contains("Content Security Policy"))
            .collect();
        assert!(csp.is_empty(), "CSP violations: {csp:?}");
    })
    .await;
    drop((api, host, dist));
}
