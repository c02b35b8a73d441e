//! Paths inside the console, which may be hosted under a sub-path (`--public-url /account/`).
//!
//! The router is given the base path, and resolves the paths we hand to `navigate` and
//! `<Redirect>` against it. `<A href>` does not (a leading `/` is taken as-is), so links go
//! through [`href`].
use std::sync::OnceLock;

/// The path part of a base URI without its trailing slash or file name:
/// `https://h/account/` → `/account`, `https://h/` → `` (empty = served at the root).
pub fn base_path_from_uri(uri: &str) -> String {
    let after_scheme = uri.split_once("://").map_or(uri, |(_, rest)| rest);
    let path = after_scheme
        .find('/')
        .map_or("", |i| &after_scheme[i..])
        .split(['?', '#'])
        .next()
        .unwrap_or_default();
    // Anything after the last slash is a file name (e.g. `index.html`), not a directory.
    let dir = path.rfind('/').map_or("", |i| &path[..i]);
    dir.trim_end_matches('/').to_string()
}

/// The console's base path, read once from `document.baseURI` (which trunk's
/// `<base data-trunk-public-url>` sets).
pub fn base_path() -> &'static str {
    static BASE: OnceLock<String> = OnceLock::new();
    BASE.get_or_init(|| {
        let uri = leptos::prelude::document()
            .base_uri()
            .ok()
            .flatten()
            .unwrap_or_default();
        base_path_from_uri(&uri)
    })
}

/// An `href` for a console path (`/login` → `/account/login` under a sub-path).
pub fn href(path: &str) -> String {
    format!("{}{}", base_path(), path)
}

/// The console path of a full browser path (the reverse of [`href`]).
pub fn strip_base<'a>(base: &str, full_path: &'a str) -> &'a str {
    match full_path.strip_prefix(base) {
        Some("") => "/",
        Some(rest) if rest.starts_with('/') => rest,
        _ => full_path,
    }
}

/// Open-redirect guard for `?next=`: only a path on this site is accepted. `//host` and `/\host`
/// are protocol-relative URLs to browsers, so they are refused too.
pub fn safe_next(next: Option<&str>) -> Option<&str> {
    let next = next?;
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control());
    ok.then_some(next)
}

/// `/login?next=<path>` so the visitor comes back to `path` after logging in.
pub fn login_with_next(path: &str) -> String {
    with_next(crate::routes::login(), Some(path))
}

/// `route?next=<path>`, or just `route` when `path` is the start page or absent.
pub fn with_next(route: String, next: Option<&str>) -> String {
    match next {
        Some(path) if path != "/" && !path.is_empty() => {
            let encoded = String::from(js_sys::encode_uri_component(path));
            format!("{route}?next={encoded}")
        }
        _ => route,
    }
}
