//! The console's entry point: loads the runtime configuration and mounts the app.
use account_console::{state::config::Config, App};
use leptos::prelude::*;

fn main() {
    // Panic messages in the browser console help while developing; in release the hook and
    // the message formatting it pulls in would be shipped to every user, who cannot read them.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    // The API location is decided by the operator at deploy time (config.json next to
    // index.html), so it must be known before the first request: load it, then mount.
    wasm_bindgen_futures::spawn_local(async {
        let config = Config::load().await;
        leptos::mount::mount_to_body(move || view! { <App config /> });
    });
}
