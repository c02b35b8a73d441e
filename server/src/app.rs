//! Assembles the application: state, API routes, the console fallback and the middleware
//! every response passes through.
use std::any::Any;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::sensitive_headers::SetSensitiveRequestHeadersLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::clock::Clock;
use crate::config::Config;
use crate::db;
use crate::http::headers::{self, HeaderPolicy};
use crate::http::json::BODY_LIMIT_BYTES;
use crate::http::static_files::{self, Console};
use crate::jwt::{self, JwtKeys};
use crate::password::Passwords;
use crate::routes;
use crate::state::AppState;
use crate::two_factor;

/// A request that takes longer than this is answered 408 (slow clients, stuck work).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Builds the application for `config` with `clock`: creates the data directories, loads or
/// creates the JWT key, opens and migrates the database, loads the console. Tests drive the
/// returned router directly and inspect the database through the state.
pub async fn app(config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<(Router, AppState)> {
    db::Backend::of_url(&config.database_url())?;
    create_private_dir(&config.data_dir)?;
    let outbox = config.outbox_dir();
    std::fs::create_dir_all(&outbox).with_context(|| format!("creating {}", outbox.display()))?;
    let secret = jwt::load_or_create_secret(&config)?;
    let db = db::connect(&config.database_url()).await?;
    let snapshots = db::snapshots(&config.database_url()).await?;
    let state = AppState {
        db,
        clock,
        jwt: Arc::new(JwtKeys::new(&secret)),
        passwords: Arc::new(Passwords::new().await?),
        totp: Arc::new(two_factor::key::load_or_create(&config)?),
        console: Console::load(&config)?.map(Arc::new),
        mailer: Arc::new(crate::mail::Mailer::from_config(&config.mail, outbox)?),
        oauth: Arc::new(crate::oauth::OAuth::from_config(&config.oauth)?),
        public_url: config.public_console_url()?.into(),
        proxies: Arc::new(config.proxies()?),
        background: Arc::default(),
        reads: Arc::new(crate::read_cache::Reads::new(snapshots)),
    };
    crate::background::spawn_sweeper(&state);
    let router = router(&config, state.clone())?;
    Ok((router, state))
}

fn router(config: &Config, state: AppState) -> anyhow::Result<Router> {
    // Compression only for the console's files: API responses are small, and compressing
    // secrets next to attacker-influenced data is how BREACH-style attacks work.
    let console = Router::new()
        .fallback(static_files::fallback)
        .layer(CompressionLayer::new())
        .with_state(state.clone());
    let policy = Arc::new(HeaderPolicy {
        deny_framing: config.frame_ancestors.trim() == "'none'",
        hsts: config.public_console_url()?.starts_with("https://"),
    });
    let middleware = ServiceBuilder::new()
        // First, so the Authorization header is redacted wherever it is printed.
        .layer(SetSensitiveRequestHeadersLayer::new([
            header::AUTHORIZATION,
            header::COOKIE,
            header::PROXY_AUTHORIZATION,
        ]))
        // Method, path, status and latency only: no headers, no bodies, and no query string
        // (OData filters name emails; OAuth callbacks carry codes and states).
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &axum::http::Request<axum::body::Body>| {
                    tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
                })
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(axum::middleware::map_response_with_state(
            policy,
            headers::security_headers,
        ))
        // Inside the two above, so a panic's 500 is traced and gets the usual headers.
        .layer(CatchPanicLayer::custom(panic_response))
        .option_layer(headers::cors_layer(&config.cors_origins()?)?)
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES));
    Ok(routes::router()
        .with_state(state)
        .fallback_service(console)
        .layer(middleware))
}

/// The data directory holds the database (password hashes) and the signing key: when we
/// create it, only the server's user may enter it.
fn create_private_dir(dir: &std::path::Path) -> anyhow::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .with_context(|| format!("creating {}", dir.display()))
}

/// A panic is a bug: log it, answer an empty 500, keep serving.
fn panic_response(_: Box<dyn Any + Send + 'static>) -> Response {
    tracing::error!("request handler panicked");
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}
