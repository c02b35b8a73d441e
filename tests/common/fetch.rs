//! A `fetch` stub for component tests whose components call the API, and a wait for what the
//! answer renders.
use leptos::prelude::window;

/// `(method, path, answers)`: see [`stub_fetch`].
pub type Route<'a> = (&'a str, &'a str, Vec<(u16, String)>);

/// Replaces `window.fetch`. `routes` are `(method, path, [(status, body)])`: each request to
/// a path takes the next answer (the last repeats); other requests get a 404. An answer with
/// status 0 waits until `release()`, then answers 200 with its body. Requests are recorded.
pub fn stub_fetch(routes: &[Route]) {
    let routes = serde_json::to_string(routes).unwrap();
    js_sys::eval(&format!(
        "window.__realFetch = window.__realFetch || window.fetch;
         window.__requests = [];
         window.__routes = {routes};
         window.fetch = async (req) => {{
           const path = new URL(req.url).pathname;
           window.__requests.push(req.method + ' ' + path);
           const route = window.__routes.find(r => r[0] === req.method && r[1] === path);
           if (!route) return new Response('', {{ status: 404 }});
           const a = route[2].length > 1 ? route[2].shift() : route[2][0];
           if (a[0] === 0) {{
             await new Promise(resolve => {{ window.__release = resolve; }});
             return new Response(a[1], {{ status: 200 }});
           }}
           return new Response(a[1], {{ status: a[0] }});
         }};"
    ))
    .unwrap();
}

pub fn release() {
    js_sys::eval("window.__release && window.__release()").unwrap();
}

pub fn unstub_fetch() {
    js_sys::eval("if (window.__realFetch) { window.fetch = window.__realFetch; }").unwrap();
}

pub fn requests() -> Vec<String> {
    let list = js_sys::eval("window.__requests || []").unwrap();
    js_sys::Array::from(&list)
        .iter()
        .filter_map(|r| r.as_string())
        .collect()
}

/// Waits `ms` milliseconds of real time (timers, debounces, pending requests).
pub async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

pub async fn until(what: &str, check: impl Fn() -> bool) {
    for _ in 0..200 {
        if check() {
            return;
        }
        sleep_ms(10).await;
    }
    panic!("timed out waiting for {what}");
}
