//! The console: trunk's built files served under `--console-path`, with client-side routes
//! falling back to index.html so a reload on `/account/settings` still works.
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::ServeDir;

use super::csp;
use crate::config::Config;

/// First path segments that belong to the API (balena's paths and ours). They never fall back
/// to the console, so an unknown API route is a plain 404, whatever the console path.
const API_SEGMENTS: &[&str] = &[
    "actor", "api-key", "auth", "config", "login_", "resin", "user", "v6", "v7",
];

/// Files whose names change with their content; everything else must be revalidated.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

/// Extensions of files the console references itself: a missing one is a 404, not the
/// index page (which would only confuse the browser's module loader).
const ASSET_EXTENSIONS: &[&str] = &[
    "js",
    "mjs",
    "wasm",
    "css",
    "map",
    "json",
    "png",
    "jpg",
    "jpeg",
    "gif",
    "svg",
    "ico",
    "webp",
    "woff",
    "woff2",
    "ttf",
    "txt",
    "webmanifest",
    "xml",
];

pub struct Console {
    /// Always starts and ends with `/`.
    prefix: String,
    files: ServeDir,
    index_html: Vec<u8>,
    csp: HeaderValue,
}

impl Console {
    /// Reads index.html and computes its CSP once. `None` (API only) when there is no build.
    /// The console must be rebuilt before the server is restarted, never while it runs: the CSP
    /// hashes belong to the index.html read here.
    pub fn load(config: &Config) -> anyhow::Result<Option<Self>> {
        let index_path = config.static_dir.join("index.html");
        let index_html = match std::fs::read(&index_path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                tracing::warn!(
                    path = %index_path.display(),
                    "no console build found; serving the API only"
                );
                return Ok(None);
            }
            Err(e) => {
                return Err(
                    anyhow::Error::new(e).context(format!("reading {}", index_path.display()))
                )
            }
        };
        // An operator may point the console at another API host in config.json; the policy
        // must then let the page connect there.
        let api_origin = std::fs::read_to_string(config.static_dir.join("config.json"))
            .ok()
            .and_then(|json| csp::api_origin(&json));
        let policy = csp::console_policy(
            &String::from_utf8_lossy(&index_html),
            &config.frame_ancestors,
            api_origin.as_deref(),
        );
        Ok(Some(Self {
            prefix: config.console_prefix()?,
            // The build writes `x.br` and `x.gz` beside each asset; a file without them is
            // sent as is (and compressed on the fly by the console router's layer).
            files: ServeDir::new(&config.static_dir)
                .append_index_html_on_directories(false)
                .precompressed_br()
                .precompressed_gzip(),
            index_html,
            csp: HeaderValue::from_str(&policy)?,
        }))
    }

    fn index_response(&self) -> Response {
        (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static(REVALIDATE)),
                (header::CONTENT_SECURITY_POLICY, self.csp.clone()),
            ],
            self.index_html.clone(),
        )
            .into_response()
    }
}

/// The router's fallback: console files for GET/HEAD under the console path, else 404.
pub async fn fallback(State(console): State<Option<Arc<Console>>>, req: Request) -> Response {
    let not_found = || StatusCode::NOT_FOUND.into_response();
    let Some(console) = console else {
        return not_found();
    };
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return not_found();
    }
    let path = req.uri().path().to_owned();
    let first_segment = path
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or_default();
    if API_SEGMENTS.contains(&first_segment) {
        return not_found();
    }
    // `/account` (no slash) is the console's root too.
    let relative =
        if path.len() + 1 == console.prefix.len() && console.prefix.starts_with(path.as_str()) {
            ""
        } else if let Some(rest) = path.strip_prefix(console.prefix.as_str()) {
            rest
        } else {
            return not_found();
        };
    // ServeDir refuses to leave the directory anyway; such a path is nobody's client route.
    if relative.split('/').any(|segment| segment == "..") {
        return not_found();
    }
    if relative.is_empty() || relative == "index.html" {
        return console.index_response();
    }

    let mut file_req = Request::new(Body::empty());
    *file_req.method_mut() = req.method().clone();
    *file_req.headers_mut() = req.headers().clone();
    match format!("/{relative}").parse() {
        Ok(uri) => *file_req.uri_mut() = uri,
        Err(_) => return not_found(),
    }
    let Ok(res) = console.files.clone().oneshot(file_req).await;
    if res.status() == StatusCode::NOT_FOUND {
        return if looks_like_asset(relative) {
            not_found()
        } else {
            console.index_response()
        };
    }
    let mut res = res.map(Body::new);
    let name = relative.rsplit('/').next().unwrap_or_default();
    let cache = if is_content_hashed(name) {
        IMMUTABLE
    } else {
        REVALIDATE
    };
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    // Every console file, not only the page: an SVG or JSON opened on its own is a document
    // too.
    res.headers_mut()
        .insert(header::CONTENT_SECURITY_POLICY, console.csp.clone());
    res
}

fn looks_like_asset(relative: &str) -> bool {
    let name = relative.rsplit('/').next().unwrap_or_default();
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| ASSET_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
}

/// trunk names bundles `<name>-<16 hex digits>[_bg].<ext>`.
fn is_content_hashed(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() >= 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names() {
        assert!(is_content_hashed("account-console-0123456789abcdef.js"));
        assert!(is_content_hashed(
            "account-console-0123456789abcdef_bg.wasm"
        ));
        assert!(is_content_hashed("style-ffeeddccbbaa9988.css"));
        assert!(!is_content_hashed("config.json"));
        assert!(!is_content_hashed("index.html"));
        assert!(!is_content_hashed("my-logo.svg"));
    }

    #[test]
    fn assets_versus_client_routes() {
        assert!(looks_like_asset("missing-0123.js"));
        assert!(looks_like_asset("img/logo.PNG"));
        assert!(!looks_like_asset("settings/api-keys"));
        assert!(!looks_like_asset("users/alice.smith"));
    }
}
