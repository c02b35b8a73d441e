//! Command-line flags, each also settable from the environment.
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{bail, Context};

#[derive(clap::Parser, Clone, Debug)]
#[command(
    name = "server",
    version,
    about = "Account Console reference API server (balena-compatible account endpoints + console)"
)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "LISTEN_ADDR", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// Directory for the database, the JWT secret and the mail outbox (created if missing).
    #[arg(long, env = "DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// Database URL [default: sqlite://<data-dir>/account-console.db].
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,

    /// The built console (trunk's `dist`). Without an index.html only the API is served.
    #[arg(long, env = "STATIC_DIR", default_value = "dist")]
    pub static_dir: PathBuf,

    /// URL path the console is served under, e.g. `/account/`.
    #[arg(long, env = "CONSOLE_PATH", default_value = "/")]
    pub console_path: String,

    /// HS256 key for session tokens (at least 32 bytes). Default: `<data-dir>/jwt-secret`,
    /// generated on first start.
    #[arg(long, env = "JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<Secret>,

    /// Key that encrypts TOTP secrets at rest (at least 32 bytes). Default:
    /// `<data-dir>/totp-key`, generated on first start.
    #[arg(long, env = "TOTP_KEY", hide_env_values = true)]
    pub totp_key: Option<Secret>,

    /// Comma-separated exact origins allowed to call the API cross-origin (CORS). Default: none.
    #[arg(long, env = "ALLOWED_ORIGINS", value_delimiter = ',')]
    pub allowed_origins: Vec<String>,

    /// Where outgoing mail is written as .eml files when no SMTP server is configured
    /// [default: <data-dir>/outbox].
    #[arg(long, env = "OUTBOX_DIR")]
    pub outbox_dir: Option<PathBuf>,

    /// CSP `frame-ancestors` sources for the console, for operators who embed it.
    #[arg(long, env = "FRAME_ANCESTORS", default_value = "'none'")]
    pub frame_ancestors: String,

    /// The console's public URL, used in emailed links and OAuth redirects (never the Host
    /// header) [default: http://<listen><console-path>].
    #[arg(long, env = "PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Comma-separated addresses or CIDRs of reverse proxies in front of the server. Only for a
    /// peer in this list is the client address taken from the proxy header (the right-most
    /// hop that is not a trusted proxy); nothing else can spoof it. Default: none.
    #[arg(long, env = "TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<String>,

    /// The header the trusted proxies write: `x-forwarded-for` or `forwarded` (RFC 7239).
    /// Only that one is read.
    #[arg(
        long,
        env = "TRUSTED_PROXY_HEADER",
        value_enum,
        default_value = "x-forwarded-for"
    )]
    pub trusted_proxy_header: crate::http::client_ip::ProxyHeader,

    #[command(flatten)]
    pub mail: crate::mail::MailConfig,

    #[command(flatten)]
    pub oauth: crate::oauth::OAuthConfig,
}

impl Config {
    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}",
                self.data_dir.join("account-console.db").display()
            )
        })
    }

    pub fn outbox_dir(&self) -> PathBuf {
        self.outbox_dir
            .clone()
            .unwrap_or_else(|| self.data_dir.join("outbox"))
    }

    /// The console path with exactly one leading and one trailing slash (`/`, `/account/`).
    pub fn console_prefix(&self) -> anyhow::Result<String> {
        let p = self.console_path.trim();
        if !p.starts_with('/') || p.contains(['?', '#', '\\']) || p.contains("//") {
            bail!("--console-path must be an absolute URL path like /account/, got {p:?}");
        }
        Ok(if p.ends_with('/') {
            p.to_owned()
        } else {
            format!("{p}/")
        })
    }

    /// The console's public URL with exactly one trailing slash, e.g.
    /// `https://example.com/account/`: emailed links and OAuth results point below it.
    pub fn public_console_url(&self) -> anyhow::Result<String> {
        let url = match &self.public_url {
            Some(u) => u.trim().to_owned(),
            None => format!("http://{}{}", self.listen, self.console_prefix()?),
        };
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .with_context(|| format!("--public-url {url:?} must start with http:// or https://"))?;
        if rest.is_empty() || rest.starts_with('/') || rest.contains(['?', '#', ' ', '@']) {
            bail!("--public-url must look like https://host[:port]/path/, got {url:?}");
        }
        Ok(if url.ends_with('/') {
            url
        } else {
            format!("{url}/")
        })
    }

    /// The CORS allowlist, checked: exact `scheme://host[:port]` origins only. `*` and `null`
    /// are refused because they would let any page (or any sandboxed frame) call the API.
    pub fn cors_origins(&self) -> anyhow::Result<Vec<String>> {
        let mut out = Vec::new();
        for o in self.allowed_origins.iter().map(|o| o.trim()) {
            if o.is_empty() {
                continue;
            }
            let rest = o
                .strip_prefix("https://")
                .or_else(|| o.strip_prefix("http://"))
                .with_context(|| {
                    format!("allowed origin {o:?} must start with http:// or https://")
                })?;
            if rest.is_empty() || rest.contains(['/', '?', '#', '*', ' ', '@']) {
                bail!("allowed origin {o:?} must be exactly scheme://host[:port], without a path");
            }
            out.push(o.to_owned());
        }
        Ok(out)
    }
}

impl Config {
    /// `--trusted-proxies`, parsed: a plain address is a /32 (or /128).
    pub fn proxies(&self) -> anyhow::Result<crate::http::client_ip::TrustedProxies> {
        let mut nets = Vec::new();
        for p in self
            .trusted_proxies
            .iter()
            .map(|p| p.trim())
            .filter(|p| !p.is_empty())
        {
            let net = p
                .parse::<ipnet::IpNet>()
                .or_else(|_| p.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .with_context(|| format!("--trusted-proxies: {p:?} is not an address or CIDR"))?;
            nets.push(net);
        }
        Ok(crate::http::client_ip::TrustedProxies::new(
            nets,
            self.trusted_proxy_header,
        ))
    }
}

/// A secret flag value: never shown by `Debug` (the config may be logged).
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Self(s)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn parse(args: &[&str]) -> Config {
        Config::try_parse_from(std::iter::once("server").chain(args.iter().copied())).unwrap()
    }

    #[test]
    fn defaults_follow_the_data_dir() {
        let c = parse(&["--data-dir", "/tmp/x"]);
        assert_eq!(c.database_url(), "sqlite:///tmp/x/account-console.db");
        assert_eq!(c.outbox_dir(), PathBuf::from("/tmp/x/outbox"));
        assert_eq!(c.console_prefix().unwrap(), "/");
        assert_eq!(c.frame_ancestors, "'none'");
    }

    #[test]
    fn console_path_is_normalised() {
        assert_eq!(
            parse(&["--console-path", "/account"])
                .console_prefix()
                .unwrap(),
            "/account/"
        );
        assert!(parse(&["--console-path", "account"])
            .console_prefix()
            .is_err());
    }

    #[test]
    fn origins_are_exact() {
        let c = parse(&[
            "--allowed-origins",
            "https://a.example,http://localhost:8081",
        ]);
        assert_eq!(
            c.cors_origins().unwrap(),
            ["https://a.example", "http://localhost:8081"]
        );
        for bad in ["*", "null", "https://a.example/", "a.example"] {
            assert!(
                parse(&["--allowed-origins", bad]).cors_origins().is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn public_url_defaults_to_the_listen_address_and_console_path() {
        let c = parse(&["--listen", "127.0.0.1:9000", "--console-path", "/account"]);
        assert_eq!(
            c.public_console_url().unwrap(),
            "http://127.0.0.1:9000/account/"
        );
        let c = parse(&["--public-url", "https://acme.example/console"]);
        assert_eq!(
            c.public_console_url().unwrap(),
            "https://acme.example/console/"
        );
        for bad in ["acme.example", "https:///x", "https://a.example/?q"] {
            assert!(
                parse(&["--public-url", bad]).public_console_url().is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn secret_is_not_debug_printed() {
        let c = parse(&["--jwt-secret", "super-secret-value-super-secret-value"]);
        assert!(!format!("{c:?}").contains("super-secret"));
    }
}
