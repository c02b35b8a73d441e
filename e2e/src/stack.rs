//! The product under test: the API server with the console's `dist` directory.
use std::net::SocketAddr;
use std::path::PathBuf;

pub struct StackOptions {
    /// Directory of a `trunk build`; defaults to `$CONSOLE_DIST` or `<workspace>/dist`.
    pub dist: PathBuf,
    /// URL path the console is served under (`/` or e.g. `/account/`).
    pub console_path: String,
    /// Origins allowed to call this server's API cross-origin (`--allowed-origins`).
    pub allowed_origins: Vec<String>,
    /// More server flags, e.g. a test OIDC provider's `--oidc-*`.
    pub extra_args: Vec<String>,
}

impl Default for StackOptions {
    fn default() -> Self {
        Self {
            dist: dist_from_env("CONSOLE_DIST", "dist"),
            console_path: "/".into(),
            allowed_origins: Vec::new(),
            extra_args: Vec::new(),
        }
    }
}

/// A built console directory named by `var`, or `<workspace>/<default>`.
pub fn dist_from_env(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var).map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(default)
    })
}

/// Set (by `scripts/with-postgres`) to a PostgreSQL cluster's URL: each stack then runs on a
/// new database of its own there (the server creates it) instead of SQLite in its data dir.
pub const POSTGRES_ENV: &str = "ACCOUNT_CONSOLE_TEST_POSTGRES";
static NEXT_DATABASE: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// A running server on a free loopback port with its own temporary data directory.
pub struct Stack {
    pub addr: SocketAddr,
    /// The JWT signing secret, known to the test so it can forge an expired token.
    pub jwt_secret: String,
    /// The server's database, for tests that must change what no request can (age a
    /// session's password confirmation, for example).
    pub database_url: String,
    pub console_path: String,
    task: tokio::task::JoinHandle<()>,
    _data: tempfile::TempDir,
}

impl Stack {
    pub async fn start(opts: StackOptions) -> Stack {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        Self::start_on(listener, opts).await
    }

    /// Starts on a listener bound beforehand, for tests that must know addresses up front.
    pub async fn start_on(listener: tokio::net::TcpListener, opts: StackOptions) -> Stack {
        assert!(
            opts.dist.join("index.html").is_file(),
            "no built console at {} (run scripts/build-console first)",
            opts.dist.display()
        );
        let data = tempfile::tempdir().expect("temp data dir");
        let jwt_secret = format!("e2e-secret-{}", std::process::id()).repeat(4);
        let addr = listener.local_addr().unwrap();
        let mut args = vec![
            "server".to_string(),
            format!("--listen={addr}"),
            format!("--data-dir={}", data.path().display()),
            format!("--static-dir={}", opts.dist.display()),
            format!("--console-path={}", opts.console_path),
            format!("--jwt-secret={jwt_secret}"),
        ];
        if !opts.allowed_origins.is_empty() {
            args.push(format!(
                "--allowed-origins={}",
                opts.allowed_origins.join(",")
            ));
        }
        let database_url = match std::env::var(POSTGRES_ENV) {
            Ok(cluster) => {
                let n = NEXT_DATABASE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                format!("{cluster}/e2e_{}_{n}", std::process::id())
            }
            Err(_) => format!(
                "sqlite://{}",
                data.path().join("account-console.db").display()
            ),
        };
        args.push(format!("--database-url={database_url}"));
        args.extend(opts.extra_args);
        let config = <server::Config as clap::Parser>::try_parse_from(args).expect("server flags");
        let task = tokio::spawn(async move {
            if let Err(e) = server::serve(config, listener).await {
                panic!("server stopped: {e:#}");
            }
        });
        Stack {
            addr,
            jwt_secret,
            database_url,
            console_path: opts.console_path,
            task,
            _data: data,
        }
    }

    /// The server's data directory.
    pub fn data_dir(&self) -> &std::path::Path {
        self._data.path()
    }

    /// Where the server writes mail when no SMTP server is configured (`<data dir>/outbox`,
    /// one RFC 5322 `.eml` file per message).
    pub fn outbox_dir(&self) -> std::path::PathBuf {
        self.data_dir().join("outbox")
    }

    /// Absolute URL of a console route, e.g. `url("/login")`.
    pub fn url(&self, route: &str) -> String {
        let base = self.console_path.trim_end_matches('/');
        format!("http://{}{}{}", self.addr, base, route)
    }

    /// Absolute URL of an API path (always at the origin root, as balena's clients expect).
    pub fn api(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        self.task.abort();
    }
}
