//! Harness for the end-to-end journeys: starts the real API server in-process (serving the
//! built console), starts chromedriver + headless Chromium, and finds elements the way a
//! screen reader user does: by ARIA role and accessible name, as computed by the browser
//! itself (WebDriver's "computed role" and "computed label").
//!
//! Nothing is mocked: the journeys talk to the same server binary code, database engine
//! and wasm bundle that users get.

mod audit;
mod browser;
mod http;
pub mod mail;
mod stack;
pub mod steps;

pub use browser::{with_browser, Browser};
pub use http::{http, Reply};
pub use stack::{dist_from_env, Stack, StackOptions};

/// How long a journey waits for the page to reach an expected state.
pub const WAIT: std::time::Duration = std::time::Duration::from_secs(15);
