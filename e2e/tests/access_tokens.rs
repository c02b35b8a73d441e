//! Preferences → Access tokens, in headless Chromium against the real server and the
//! release build of the console. Controls are found by role and accessible name.
//!
//! * The journey: password confirmation (fresh authentication) → create a key → copy and
//!   download offered → the show-once dialog resists Esc until confirmed → reload → the secret
//!   is nowhere in the page → the key authenticates an API call → edit its expiry → select
//!   two keys and delete them in one request → the server refuses the revoked keys.
//! * A measurement with 1,000 keys: rendering the table, select-all and bulk revoke. The
//!   figures are printed (`--nocapture`), not asserted; only correctness is.
use e2e::steps::{sign_up, PASSWORD};
use e2e::{http, with_browser, Browser, Stack, StackOptions};
use fantoccini::key::Key;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread")]
async fn create_show_once_use_edit_and_bulk_revoke_api_keys() {
    let stack = Stack::start(StackOptions::default()).await;
    let (base, addr) = (stack.url(""), stack.addr);
    let db = stack.database_url.clone();
    with_browser(move |b| async move {
        sign_up(&b, &base, "dana@example.com", "dana").await;
        let stale = session(&b).await;

        // Make the password confirmation 30 minutes old (the server keeps it per session),
        // so creating a key needs a fresh one.
        age_password_confirmation(&db, 30 * 60 * 1000).await;
        b.refresh().await;

        b.click("link", "Access tokens").await;
        b.wait_path("/preferences/tokens").await;
        b.role("heading", "Session token").await;
        b.role("heading", "API keys").await;
        // The session token is masked until revealed.
        let page = page_html(&b).await;
        assert!(!page.contains(&stale), "the session token is masked");
        b.wait_attr("button", "Reveal session token", "aria-pressed", "false")
            .await;
        assert!(page.contains("Session tokens last 7 days and end when you log out"));
        assert!(page.contains("use an API key instead"));
        b.role("button", "Copy session token").await;
        b.role("button", "Refresh session token").await;
        let expiry = b.js("return document.querySelector('.token-expiry').textContent").await;
        assert!(
            expiry.as_str().unwrap().starts_with("Expires in 7 days"),
            "{expiry}"
        );
        // Empty state invites creating a key.
        b.role("button", "Create your first API key").await;
        b.audit("the access tokens page, no keys yet").await;

        // Create: the server wants a fresh password first; the console asks and retries.
        b.click("button", "Create API key").await;
        b.role("dialog", "Create API key").await;
        b.fill("Name", "ci deploy").await;
        b.fill("Description (optional)", "deploys from CI").await;
        b.audit("the create API key dialog").await;
        b.role("combobox", "Expiry")
            .await
            .select_by_value("30")
            .await
            .unwrap();
        b.press("Create key").await;
        b.role("dialog", "Confirm your password").await;
        b.audit("the confirm password dialog").await;
        b.fill("Password", PASSWORD).await;
        b.press("Confirm").await;

        // Shown once.
        b.role("dialog", "Your new API key").await;
        let key = b
            .js("return document.getElementById('new-key-value').value")
            .await
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(key.len(), 32, "a 32-character key: {key:?}");
        assert!(key.chars().all(|c| c.is_ascii_alphanumeric()));
        b.role_with_text("status", "Password confirmed — ").await;
        let warning = wait_text(&b, ".dialog .warning").await;
        assert!(warning.starts_with("This is the only time this key will be shown"));
        b.audit("the new API key dialog").await;

        // Copy: headless Chromium may or may not grant the clipboard; either way the result
        // is visible.
        b.click("button", "Copy API key").await;
        let copied = wait_text(&b, ".dialog .copy-feedback").await;
        assert!(
            copied == "Copied" || copied.starts_with("Copy failed"),
            "{copied:?}"
        );
        println!("copy feedback in headless Chromium: {copied:?}");
        // Download: the file the console offers holds exactly the key.
        intercept_downloads(&b).await;
        b.click("button", "Download API key").await;
        let (file, text) = downloaded(&b).await;
        assert_eq!(file, "api-key-ci-deploy.txt");
        assert_eq!(text.trim_end(), key);

        // Esc does nothing until the user confirms; Done is disabled.
        press_escape(&b).await;
        assert!(b.has_role("dialog", "Your new API key").await);
        let done = b.role("button", "Done").await;
        assert!(!done.is_enabled().await.unwrap());
        b.click("checkbox", "I have stored this key somewhere safe")
            .await;
        b.press("Done").await;
        wait_gone(&b, "dialog", "Your new API key").await;
        assert!(
            !page_html(&b).await.contains(&key),
            "gone from the page after Done"
        );

        // The table: name, description, expiry badge, never used.
        b.role("checkbox", "Select ci deploy").await;
        let row = row_text(&b, "ci deploy").await;
        assert!(row.contains("deploys from CI"), "{row}");
        assert!(row.contains("Expires in 30 days"), "{row}");
        assert!(row.contains("Never used"), "{row}");
        b.audit("the access tokens page with a key").await;

        // Reload: the secret is nowhere (page, storage).
        b.refresh().await;
        b.role("checkbox", "Select ci deploy").await;
        assert!(!page_html(&b).await.contains(&key), "not in the page");
        assert!(!b.client.source().await.unwrap().contains(&key));
        let storage = b
            .js("return JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])")
            .await;
        assert!(!storage.as_str().unwrap().contains(&key), "not in storage");

        // The key authenticates an API call as dana; the table then shows it was used.
        let me = http(addr, "GET", "/actor/v1/whoami", Some(&key), None);
        assert_eq!(me.status, 200, "{me:?}");
        assert!(me.body.contains("dana"), "{}", me.body);
        b.refresh().await;
        b.role("checkbox", "Select ci deploy").await;
        let row = row_text(&b, "ci deploy").await;
        assert!(row.contains("Last used just now"), "{row}");

        // Edit in place: a 1-day expiry, then never.
        b.click("button", "Edit ci deploy").await;
        b.role("combobox", "Expiry")
            .await
            .select_by_value("1")
            .await
            .unwrap();
        b.press("Save").await;
        wait_row_contains(&b, "ci deploy", "Expires in 1 day").await;
        // The banner lists it as expiring soon, with a way to extend it.
        b.role("heading", "1 API key expires soon").await;
        b.audit("the access tokens page with an expiring key").await;
        b.click("link", "Extend ci deploy").await;
        b.role("combobox", "Expiry")
            .await
            .select_by_value("never")
            .await
            .unwrap();
        b.press("Save").await;
        wait_row_contains(&b, "ci deploy", "Never expires").await;
        let list = http(addr, "GET", "/v7/api_key", Some(&session(&b).await), None);
        assert!(list.body.contains(r#""expiry_date":null"#), "{}", list.body);

        // Two more keys (behind the browser's back, with the fresh session token).
        let fresh = session(&b).await;
        let staging = create_key(addr, &fresh, "staging");
        let spare = create_key(addr, &fresh, "spare");
        b.refresh().await;
        b.role("checkbox", "Select staging").await;

        // Select two, delete them in one request after a confirmation naming them.
        b.click("checkbox", "Select ci deploy").await;
        b.click("checkbox", "Select staging").await;
        b.role_with_text("status", "2 API keys selected").await;
        b.press("Delete selected").await;
        b.role("dialog", "Delete 2 API keys?").await;
        b.audit("the delete API keys dialog").await;
        let names = b
            .js("return [...document.querySelectorAll('.delete-list li')].map(l => l.textContent)")
            .await;
        assert_eq!(names, serde_json::json!(["ci deploy", "staging"]));
        // Record the requests the page makes, to see the revocation is one request.
        b.js("window.__requests = [];
              const fetch = window.fetch;
              window.fetch = function (input, init) {
                  const method = (input && input.method) || (init && init.method) || 'GET';
                  window.__requests.push([method, String(input && input.url || input)]);
                  return fetch.apply(this, arguments);
              };
              return null;")
            .await;
        b.press("Delete 2 API keys").await;
        wait_gone(&b, "dialog", "Delete 2 API keys?").await;
        let deletes = b
            .js("return window.__requests.filter(r => r[0] === 'DELETE').map(r => r[1])")
            .await;
        let deletes: Vec<String> = serde_json::from_value(deletes).unwrap();
        assert_eq!(deletes.len(), 1, "one request: {deletes:?}");
        assert!(
            deletes[0].contains("/v7/api_key?$filter=id%20in%20("),
            "{deletes:?}"
        );
        wait_gone(&b, "checkbox", "Select staging").await;
        assert!(!b.has_role("checkbox", "Select ci deploy").await);
        b.role("checkbox", "Select spare").await;

        // The server refuses the revoked keys on the very next request.
        for revoked in [&key, &staging] {
            let r = http(addr, "GET", "/actor/v1/whoami", Some(revoked), None);
            assert_eq!(r.status, 401, "a revoked key is refused: {r:?}");
        }
        assert_eq!(
            http(addr, "GET", "/actor/v1/whoami", Some(&spare), None).status,
            200,
            "the key that was not selected still works"
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
}

/// 1,000 keys: how long the table takes to render, select-all and bulk revoke. Printed, not
/// asserted (2 shared cores make timings noisy); the outcome of each step is asserted.
#[tokio::test(flavor = "multi_thread")]
async fn thousand_keys_render_select_all_and_bulk_revoke() {
    const KEYS: usize = 1000;
    let stack = Stack::start(StackOptions::default()).await;
    let (base, addr) = (stack.url(""), stack.addr);
    with_browser(move |b| async move {
        sign_up(&b, &base, "erin@example.com", "erin").await;
        let token = session(&b).await;
        let started = Instant::now();
        let mut one = String::new();
        for i in 0..KEYS {
            let key = create_key(addr, &token, &format!("key-{i:04}"));
            if i == 0 {
                one = key;
            }
        }
        let create_secs = started.elapsed().as_secs_f64();

        // Full load: navigation start → 1,000 rows on screen (wasm start-up, the list request
        // and the render).
        b.goto(&format!("{base}/preferences/tokens")).await;
        let load_ms = b
            .client
            .execute_async(
                &format!(
                    "const done = arguments[arguments.length - 1];
                     const tick = () => document.querySelectorAll('.keys-table tbody tr').length >= {KEYS}
                         ? done(performance.now()) : requestAnimationFrame(tick);
                     tick();"
                ),
                vec![],
            )
            .await
            .unwrap()
            .as_f64()
            .unwrap();
        // Re-render from the loaded list: leave the tab and come back (client-side).
        let rerender_ms = timed(
            &b,
            &format!(
                "document.querySelector('nav[aria-label=\"Preferences sections\"] a[href$=\"/preferences/details\"]').click();
                 await until(() => !document.querySelector('.keys-table'));
                 const t0 = performance.now();
                 document.querySelector('nav[aria-label=\"Preferences sections\"] a[href$=\"/preferences/tokens\"]').click();
                 await until(() => document.querySelectorAll('.keys-table tbody tr').length >= {KEYS});
                 await frame();
                 return performance.now() - t0;"
            ),
        )
        .await;
        let rows = b
            .js("return document.querySelectorAll('.keys-table tbody tr').length")
            .await;
        assert_eq!(rows, KEYS);

        // Select all: click → every row checkbox checked and painted.
        let select_ms = timed(
            &b,
            "const all = document.querySelector('input[aria-label=\"Select all API keys\"]');
             const t0 = performance.now();
             all.click();
             await until(() => [...document.querySelectorAll('.keys-table tbody input[type=checkbox]')].every(c => c.checked));
             await frame();
             return performance.now() - t0;",
        )
        .await;
        b.role_with_text("status", "1000 API keys selected").await;

        // Bulk revoke: confirm → one DELETE → the list refetched → the empty state painted.
        b.press("Delete selected").await;
        b.role("dialog", "Delete 1000 API keys?").await;
        let revoke_ms = timed(
            &b,
            "const button = [...document.querySelectorAll('[role=dialog] button')].find(b => b.textContent === 'Delete 1000 API keys');
             const t0 = performance.now();
             button.click();
             await until(() => document.querySelector('.empty-state'));
             await frame();
             return performance.now() - t0;",
        )
        .await;
        b.role("button", "Create your first API key").await;
        assert_eq!(
            http(addr, "GET", "/actor/v1/whoami", Some(&one), None).status,
            401
        );
        let left = http(addr, "GET", "/v7/api_key", Some(&token), None);
        let left: serde_json::Value = serde_json::from_str(&left.body).unwrap();
        assert_eq!(left["d"], serde_json::json!([]), "every key revoked");

        println!(
            "1,000 API keys: created over HTTP in {create_secs:.1} s; page load to table {load_ms:.0} ms; \
             table re-render {rerender_ms:.0} ms; select-all {select_ms:.0} ms; \
             bulk revoke (1 request + refetch + render) {revoke_ms:.0} ms"
        );
    })
    .await;
}

/// After login, a key that expires within 7 days is announced on every Preferences tab; its
/// "Extend" link opens the key's editor on the Access tokens tab. Under a sub-path, as the
/// console may be hosted (`--public-url /account/`, `$CONSOLE_DIST_SUBPATH`).
#[tokio::test(flavor = "multi_thread")]
async fn expiring_key_banner_extends_a_key_under_a_sub_path() {
    let stack = Stack::start(StackOptions {
        dist: e2e::dist_from_env("CONSOLE_DIST_SUBPATH", "dist-subpath"),
        console_path: "/account/".into(),
        ..StackOptions::default()
    })
    .await;
    let (base, addr) = (stack.url(""), stack.addr);
    with_browser(move |b| async move {
        b.goto(&format!("{base}/signup")).await;
        e2e::steps::submit_sign_up(&b, "fay@example.com", "fay").await;
        let token = session(&b).await;
        let in_two_days = server::clock::iso_millis(
            i64::try_from(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_millis(),
            )
            .unwrap()
                + 2 * 24 * 3600 * 1000,
        );
        let body = serde_json::json!({ "name": "nightly", "expiryDate": in_two_days }).to_string();
        let r = http(
            addr,
            "POST",
            "/api-key/user/full",
            Some(&token),
            Some(&body),
        );
        assert_eq!(r.status, 200, "{r:?}");
        create_key(addr, &token, "forever");

        // The banner on the Account details tab, after a fresh page load.
        b.refresh().await;
        b.role("heading", "1 API key expires soon").await;
        b.wait_path("/account/preferences/details").await;
        b.click("link", "Extend nightly").await;
        b.wait_path("/account/preferences/tokens").await;
        b.role("combobox", "Expiry")
            .await
            .select_by_value("90")
            .await
            .unwrap();
        b.press("Save").await;
        wait_row_contains(&b, "nightly", "Expires in 90 days").await;
        wait_gone(&b, "heading", "1 API key expires soon").await;
        b.refresh().await;
        b.role("checkbox", "Select nightly").await;
        assert!(!b.has_role("heading", "1 API key expires soon").await);
    })
    .await;
}

// ---- helpers ----

/// Runs `body` (an async function body with `until` and `frame` helpers) in the page and
/// returns its number.
async fn timed(b: &Browser, body: &str) -> f64 {
    let script = format!(
        "const done = arguments[arguments.length - 1];
         const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
         const until = async (test) => {{
             const end = performance.now() + 60000;
             while (!test()) {{
                 if (performance.now() > end) throw new Error('timed out');
                 await new Promise(r => setTimeout(r, 5));
             }}
         }};
         (async () => {{ {body} }})().then(done, e => done('error: ' + e));"
    );
    let value = b.client.execute_async(&script, vec![]).await.unwrap();
    value
        .as_f64()
        .unwrap_or_else(|| panic!("script failed: {value}"))
}

fn create_key(addr: SocketAddr, token: &str, name: &str) -> String {
    let body = serde_json::json!({ "name": name, "expiryDate": null }).to_string();
    let r = http(addr, "POST", "/api-key/user/full", Some(token), Some(&body));
    assert_eq!(r.status, 200, "{r:?}");
    serde_json::from_str::<String>(&r.body).unwrap()
}

async fn session(b: &Browser) -> String {
    b.stored_tokens().await.remove(0).2
}

async fn page_html(b: &Browser) -> String {
    b.js("return document.documentElement.outerHTML")
        .await
        .as_str()
        .unwrap()
        .to_string()
}

/// The text of the table row whose name cell is `name`.
async fn row_text(b: &Browser, name: &str) -> String {
    let script = format!(
        "const th = [...document.querySelectorAll('.keys-table tbody th')].find(t => t.textContent === {name:?});
         return th ? th.closest('tr').textContent : null;"
    );
    b.js(&script).await.as_str().unwrap_or_default().to_string()
}

async fn wait_row_contains(b: &Browser, name: &str, text: &str) {
    let deadline = Instant::now() + e2e::WAIT;
    loop {
        let row = row_text(b, name).await;
        if row.contains(text) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "row {name:?} never showed {text:?}: {row:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn wait_text(b: &Browser, selector: &str) -> String {
    let deadline = Instant::now() + e2e::WAIT;
    loop {
        let t = b
            .js(&format!(
                "const e = document.querySelector({selector:?}); return e ? e.textContent : ''"
            ))
            .await;
        let t = t.as_str().unwrap_or_default().to_string();
        if !t.is_empty() {
            return t;
        }
        assert!(Instant::now() < deadline, "{selector} stayed empty");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn wait_gone(b: &Browser, role: &str, name: &str) {
    let deadline = Instant::now() + e2e::WAIT;
    while b.has_role(role, name).await {
        assert!(Instant::now() < deadline, "{role} {name:?} did not go away");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Esc on whatever has focus, as a keyboard user would press it.
async fn press_escape(b: &Browser) {
    let active = b.client.active_element().await.unwrap();
    active.send_keys(&Key::Escape.to_string()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
}

/// Records `<a download>` clicks (file name and the Blob's text) instead of saving files.
/// The Blob is caught where its object URL is made: the page's CSP (`connect-src 'self'`)
/// rightly forbids fetching a `blob:` URL back.
async fn intercept_downloads(b: &Browser) {
    b.js("window.__downloads = [];
          const create = URL.createObjectURL;
          URL.createObjectURL = function (blob) {
              window.__lastBlob = blob;
              return create.call(URL, blob);
          };
          const click = HTMLAnchorElement.prototype.click;
          HTMLAnchorElement.prototype.click = function () {
              if (this.download) {
                  const name = this.download;
                  window.__lastBlob.text().then(text => window.__downloads.push([name, text]));
                  return;
              }
              return click.call(this);
          };
          return null;")
        .await;
}

async fn downloaded(b: &Browser) -> (String, String) {
    let deadline = Instant::now() + e2e::WAIT;
    loop {
        let v = b.js("return window.__downloads[0] || null").await;
        if let Some(pair) = v.as_array() {
            return (
                pair[0].as_str().unwrap().to_string(),
                pair[1].as_str().unwrap().to_string(),
            );
        }
        assert!(Instant::now() < deadline, "no download was offered");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Moves every session's last password authentication `ms` into the past.
async fn age_password_confirmation(db: &str, ms: i64) {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(db)
        .await
        .expect("open the server's database");
    sqlx::query("UPDATE sessions SET auth_time = auth_time - $1")
        .bind(ms)
        .execute(&mut conn)
        .await
        .expect("age auth_time");
}
