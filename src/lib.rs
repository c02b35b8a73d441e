//! Account Console: a Leptos (CSR) console for balena-compatible account management.
//!
//! The library holds everything; `main.rs` only loads the runtime configuration and mounts
//! [`app::App`]. Keeping components here lets the browser tests in `tests/` mount them one by
//! one.

pub mod api;
pub mod app;
pub mod components;
pub mod i18n;
pub mod nav;
pub mod pages;
pub mod routes;
pub mod state;

pub use app::{provide_app_contexts, App};

// Smaller in the bundle than the standard library's dlmalloc. The console runs on one thread
// (no atomics), which this allocator requires.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
