use account_console::{state::config::Config, App};
use leptos::prelude::*;

fn main() {
    console_error_panic_hook::set_once();
    // The API location is decided by the operator at deploy time (config.json next to
    // index.html), so it must be known before the first request: load it, then mount.
    wasm_bindgen_futures::spawn_local(async {
        let config = Config::load().await;
        leptos::mount::mount_to_body(move || view! { <App config /> });
    });
}
