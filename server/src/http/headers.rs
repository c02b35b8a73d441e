//! Response headers every answer carries, and the optional CORS allowlist.
use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::response::Response;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// What the security-header middleware adds.
#[derive(Clone, Debug)]
pub struct HeaderPolicy {
    /// `X-Frame-Options: DENY`, unless the operator allows framing via `--frame-ancestors`
    /// (then the console's CSP `frame-ancestors` is the only, and more precise, rule).
    pub deny_framing: bool,
    /// `Strict-Transport-Security`, when the public URL is https (behind a TLS proxy): browsers
    /// then never try plain http again for a year.
    pub hsts: bool,
}

/// Adds the security headers to every response, and `Cache-Control: no-store` to every
/// response that did not choose its own caching (all API responses: they carry tokens or
/// personal data; the console's files set their own).
pub async fn security_headers<B>(
    State(policy): State<Arc<HeaderPolicy>>,
    mut res: Response<B>,
) -> Response<B> {
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    if policy.hsts {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    if policy.deny_framing {
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    res
}

/// CORS for a console hosted on another origin: exactly the configured origins, no
/// credentials (the API uses bearer tokens, never cookies), and `Retry-After` and the error
/// code header readable so the console can show when to retry after a 429 and why a request
/// was refused.
pub fn cors_layer(origins: &[String]) -> anyhow::Result<Option<CorsLayer>> {
    if origins.is_empty() {
        return Ok(None);
    }
    let origins = origins
        .iter()
        .map(|o| HeaderValue::from_str(o))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(origins))
            .allow_methods([
                Method::GET,
                Method::POST,
                Method::PATCH,
                Method::PUT,
                Method::DELETE,
                Method::OPTIONS,
            ])
            .allow_headers([
                header::CONTENT_TYPE,
                header::AUTHORIZATION,
                HeaderName::from_static("x-balena-client"),
            ])
            .expose_headers([
                header::RETRY_AFTER,
                HeaderName::from_static(wire::ERROR_CODE_HEADER),
            ])
            .max_age(Duration::from_secs(86_400)),
    ))
}
