//! A headless Chromium session with role-and-name queries.
use crate::WAIT;
use fantoccini::elements::{Element, ElementRef};
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use std::future::Future;
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// chromedriver, killed when the last handle goes away.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[derive(Clone)]
pub struct Browser {
    pub client: Client,
    _driver: Arc<Driver>,
    _profile: Arc<tempfile::TempDir>,
}

/// Runs `journey` in a fresh browser and always closes it afterwards. The journey runs in its
/// own task so that a failed assertion cannot unwind past `close()`: killing chromedriver
/// alone leaves Chromium running. The panic is re-raised once the browser is gone.
pub async fn with_browser<F, Fut>(journey: F)
where
    F: FnOnce(Browser) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let browser = Browser::launch().await;
    let outcome = tokio::spawn(journey(browser.clone())).await;
    if outcome.is_err() {
        if let Ok(dir) = std::env::var("E2E_FAILURE_SCREENSHOT_DIR") {
            if let Ok(png) = browser.client.screenshot().await {
                let file = format!("{dir}/failure-{}.png", std::process::id());
                match std::fs::write(&file, png) {
                    Ok(()) => eprintln!("screenshot of the failure: {file}"),
                    Err(e) => eprintln!("could not write {file}: {e}"),
                }
            }
        }
    }
    let _ = browser.client.clone().close().await;
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

impl Browser {
    pub async fn launch() -> Browser {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let bin = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let driver = Command::new(&bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {bin}: {e} (run scripts/bootstrap)"));
        let driver = Driver(driver);
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let profile = tempfile::tempdir().unwrap();
        // The quiet-network flags keep Chromium off the (closed) outside network.
        let caps = serde_json::json!({
            "goog:chromeOptions": {
                "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--disable-quic", "--no-first-run",
                    "--window-size=1280,900",
                    // The journeys find controls by their English names, whatever the machine's
                    // locale; the German journey chooses German in the console itself.
                    "--lang=en-US",
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            },
            "goog:loggingPrefs": { "browser": "ALL" }
        });
        let caps = serde_json::from_value(caps).unwrap();
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("WebDriver session");
        Browser {
            client,
            _driver: Arc::new(driver),
            _profile: Arc::new(profile),
        }
    }

    pub async fn goto(&self, url: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("goto {url}: {e}"));
    }

    pub async fn refresh(&self) {
        self.client.refresh().await.expect("reload");
    }

    pub async fn path(&self) -> String {
        self.client
            .current_url()
            .await
            .expect("current url")
            .path()
            .to_string()
    }

    /// Waits until the page's path is `path`.
    pub async fn wait_path(&self, path: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let now = self.path().await;
            if now == path {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "expected to be at {path}, still at {now}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The element with ARIA `role` whose accessible name is exactly `name`, waiting for it
    /// to appear. Panics with what *was* found, which makes naming mistakes obvious.
    pub async fn role(&self, role: &str, name: &str) -> Element {
        self.role_where(role, name, |label| label == name).await
    }

    /// Waits for an element with `role` whose accessible name satisfies `matches` (for names
    /// that carry data, like the account menu's "alice, account menu"); `wanted` says what
    /// was looked for if it never appears.
    pub async fn role_where(
        &self,
        role: &str,
        wanted: &str,
        matches: impl Fn(&str) -> bool,
    ) -> Element {
        let deadline = Instant::now() + WAIT;
        loop {
            let mut seen = Vec::new();
            for el in self.candidates(role).await {
                let Some((r, label)) = self.role_and_label(&el).await else {
                    continue;
                };
                if r == role && matches(&label) {
                    return el;
                }
                if r == role {
                    seen.push(label);
                }
            }
            if Instant::now() > deadline {
                panic!(
                    "no {role} named {wanted:?} on {}; {role}s seen: {seen:?}",
                    self.path().await
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until an element with `role` (e.g. `alert`, `status`) contains `text`, and
    /// returns its full text.
    pub async fn role_with_text(&self, role: &str, text: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let mut seen = Vec::new();
            for el in self.candidates(role).await {
                let Some((r, _)) = self.role_and_label(&el).await else {
                    continue;
                };
                let Ok(t) = el.text().await else { continue };
                if r == role && t.contains(text) {
                    return t;
                }
                if r == role {
                    seen.push(t);
                }
            }
            if Instant::now() > deadline {
                panic!(
                    "no {role} containing {text:?} on {}; {role}s seen: {seen:?}",
                    self.path().await
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Whether an element with this role and name is present right now (no waiting).
    pub async fn has_role(&self, role: &str, name: &str) -> bool {
        for el in self.candidates(role).await {
            if let Some((r, label)) = self.role_and_label(&el).await {
                if r == role && label == name {
                    return true;
                }
            }
        }
        false
    }

    /// Waits until the element with `role` and `name` has `attr` equal to `value`. Re-finds the
    /// element on each try: a re-render may replace it (a stale handle is not a failure).
    pub async fn wait_attr(&self, role: &str, name: &str, attr: &str, value: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let now = self.role(role, name).await.attr(attr).await.ok().flatten();
            if now.as_deref() == Some(value) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{role} {name:?}: {attr} is {now:?}, expected {value:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Types into the textbox named `name` (replacing what it held).
    pub async fn fill(&self, name: &str, text: &str) {
        let el = self.role("textbox", name).await;
        el.clear().await.expect("clear");
        el.send_keys(text).await.expect("type");
    }

    pub async fn click(&self, role: &str, name: &str) {
        let el = self.role(role, name).await;
        el.click()
            .await
            .unwrap_or_else(|e| panic!("click {role} {name:?}: {e}"));
    }

    /// Waits until the button `name` is enabled, then clicks it.
    pub async fn press(&self, name: &str) {
        let el = self.role("button", name).await;
        let deadline = Instant::now() + WAIT;
        while !el.is_enabled().await.unwrap_or(false) {
            assert!(Instant::now() < deadline, "button {name:?} stayed disabled");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        el.click()
            .await
            .unwrap_or_else(|e| panic!("click {name:?}: {e}"));
    }

    /// Runs a script in the page and returns its JSON result.
    pub async fn js(&self, script: &str) -> serde_json::Value {
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}"))
    }

    /// Every JWT-shaped value in sessionStorage and localStorage, as (storage, key, value).
    pub async fn stored_tokens(&self) -> Vec<(String, String, String)> {
        let v = self
            .js("const out = [];
                 for (const [name, s] of [['session', sessionStorage], ['local', localStorage]]) {
                   for (let i = 0; i < s.length; i++) {
                     const k = s.key(i), v = s.getItem(k);
                     if (/^[\\w-]+\\.[\\w-]+\\.[\\w-]+$/.test(v)) out.push([name, k, v]);
                   }
                 }
                 return out;")
            .await;
        serde_json::from_value(v).expect("token list")
    }

    /// Console messages Chromium logged at SEVERE level (CSP violations land here).
    pub async fn severe_logs(&self) -> Vec<String> {
        let v = self
            .client
            .issue_cmd(BrowserLog)
            .await
            .expect("browser log");
        v.as_array()
            .into_iter()
            .flatten()
            .filter(|e| e["level"] == "SEVERE")
            .map(|e| e["message"].as_str().unwrap_or_default().to_string())
            .collect()
    }

    pub async fn screenshot(&self, path: &str) {
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::write(path, png).expect("write screenshot");
    }

    async fn candidates(&self, role: &str) -> Vec<Element> {
        self.client
            .find_all(Locator::Css(css_for_role(role)))
            .await
            .unwrap_or_default()
    }

    async fn role_and_label(&self, el: &Element) -> Option<(String, String)> {
        let id = el.element_id();
        let role = self
            .client
            .issue_cmd(Computed::new(&id, "computedrole"))
            .await
            .ok()?;
        let label = self
            .client
            .issue_cmd(Computed::new(&id, "computedlabel"))
            .await
            .ok()?;
        Some((
            role.as_str()?.to_string(),
            label.as_str()?.trim().to_string(),
        ))
    }
}

/// Elements that may carry `role` (implicitly or explicitly); the browser's computed role then
/// decides, so a `div` styled as a button is not mistaken for one.
fn css_for_role(role: &str) -> &'static str {
    match role {
        "button" => "button, [role=button], input[type=submit], input[type=button]",
        "link" => "a[href], [role=link]",
        "textbox" => "input:not([type=checkbox]):not([type=radio]):not([type=submit]):not([type=button]):not([type=hidden]), textarea, [role=textbox]",
        "checkbox" => "input[type=checkbox], [role=checkbox]",
        "combobox" => "select, [role=combobox]",
        "heading" => "h1, h2, h3, h4, h5, h6, [role=heading]",
        "navigation" => "nav, [role=navigation]",
        "status" => "[role=status], output",
        "dialog" => "dialog, [role=dialog], [role=alertdialog]",
        "alert" => "[role=alert]",
        "menu" => "[role=menu]",
        "menuitem" => "[role=menuitem]",
        "listitem" => "li, [role=listitem]",
        "tab" => "[role=tab]",
        _ => "[role]",
    }
}

/// WebDriver's "Get Computed Role" / "Get Computed Label" for one element.
#[derive(Debug)]
struct Computed {
    element: String,
    what: &'static str,
}

impl Computed {
    fn new(element: &ElementRef, what: &'static str) -> Self {
        Self {
            element: element.to_string(),
            what,
        }
    }
}

impl WebDriverCompatibleCommand for Computed {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        let session = session.unwrap_or_default();
        base.join(&format!(
            "session/{session}/element/{}/{}",
            self.element, self.what
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::GET, None)
    }
}

/// chromedriver's browser-log endpoint (needs `goog:loggingPrefs`).
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.into()))
    }
}
