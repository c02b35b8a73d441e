//! The server binary: parses the flags, sets up logging, and serves or copies a database.
use clap::Parser;
use tracing_subscriber::EnvFilter;

// `server [FLAGS]` serves; `server migrate-data --from URL --to URL` copies a database.
#[derive(Parser)]
#[command(
    name = "server",
    version,
    about = "Account Console reference API server (balena-compatible account endpoints + console)",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: server::Config,
}

#[derive(clap::Subcommand)]
enum Command {
    /// Copies every row of one database into another, empty one (for example from
    /// sqlite://data/account-console.db to postgres://…). Both are migrated first. Start the
    /// new server with the same --jwt-secret and TOTP key (flag or file) as the old one.
    MigrateData {
        /// The database to read, e.g. sqlite://data/account-console.db.
        #[arg(long)]
        from: String,
        /// The empty database to fill, e.g. postgres://user@host/accounts.
        #[arg(long)]
        to: String,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    return_large_blocks_to_the_os();
    let cli = Cli::parse();
    if let Some(Command::MigrateData { from, to }) = cli.command {
        for (table, rows) in server::db::copy::copy_database(&from, &to).await? {
            println!("{table}: {rows} rows");
        }
        return Ok(());
    }
    let config = cli.serve;
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    tracing::info!("listening on http://{}", listener.local_addr()?);
    server::serve_with_shutdown(config, listener, shutdown_signal()).await
}

/// Every password check allocates argon2id's 19 MiB block on a blocking-pool thread. glibc's
/// default raises its mmap threshold each time such a block is freed, so the next ones come
/// from per-thread arenas that are never given back: eight parallel logins left ~280 MiB
/// resident. A fixed threshold keeps every large block in its own mapping, unmapped on free.
fn return_large_blocks_to_the_os() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        const THRESHOLD_BYTES: libc::c_int = 1 << 20;
        // SAFETY: mallopt only changes allocator tuning under glibc's own lock, and a value it
        // does not support is refused (returns 0) rather than misapplied.
        let applied = unsafe { libc::mallopt(libc::M_MMAP_THRESHOLD, THRESHOLD_BYTES) };
        if applied == 0 {
            eprintln!("warning: could not fix the malloc mmap threshold");
        }
    }
}

/// Ctrl-C, or SIGTERM (what container runtimes and systemd send).
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutting down");
}
