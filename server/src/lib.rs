//! Account Console's reference API server: balena-compatible sign-up, login, sessions and
//! identity endpoints, plus the console's static files, on one origin.
//!
//! `serve` is what the binary and the end-to-end tests run; `app` is the seam for router
//! tests (a fresh database and a settable clock per test, no socket).
mod account_deletion;
mod actors;
mod app;
pub mod auth;
pub mod background;
pub mod clock;
pub mod config;
pub mod db;
mod devices;
pub mod error;
mod http;
mod jwt;
mod mail;
mod memberships;
mod oauth;
mod odata;
mod openapi;
mod organizations;
mod password;
mod password_reset;
mod ratelimit;
pub mod read_cache;
mod routes;
mod secret_file;
pub mod state;
mod two_factor;
mod users;
mod verification;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

pub use app::app;
pub use config::Config;
pub use state::AppState;

/// Migrates the database, then serves API + console on `listener` until the future is dropped.
pub async fn serve(config: Config, listener: tokio::net::TcpListener) -> anyhow::Result<()> {
    serve_with_shutdown(config, listener, std::future::pending()).await
}

/// Like [`serve`], but stops accepting when `shutdown` completes and returns once the
/// requests in flight are answered.
pub async fn serve_with_shutdown(
    config: Config,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let (router, state) = app(config, Arc::new(clock::SystemClock)).await?;
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await?;
    // Reset mails already promised an answer: let them go out before the process ends.
    state.background.idle().await;
    Ok(())
}
