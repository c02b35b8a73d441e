//! The console's Content-Security-Policy. trunk writes an inline `<script type="module">` that
//! loads the wasm bundle; instead of `'unsafe-inline'` the policy allows exactly the inline
//! scripts of the built index.html by their SHA-256, computed once at startup.
use data_encoding::BASE64;
use sha2::{Digest, Sha256};

/// The policy for the console's HTML. `'wasm-unsafe-eval'` lets the page compile WebAssembly
/// without allowing JavaScript `eval`. `api_origin` is where the console's config.json points
/// its API calls, when that is not this origin.
pub fn console_policy(index_html: &str, frame_ancestors: &str, api_origin: Option<&str>) -> String {
    let connect_src = match api_origin {
        Some(origin) => format!("'self' {origin}"),
        None => "'self'".to_owned(),
    };
    let mut script_src = String::from("'self' 'wasm-unsafe-eval'");
    for hash in inline_script_hashes(index_html) {
        script_src.push(' ');
        script_src.push_str(&hash);
    }
    format!(
        "default-src 'self'; script-src {script_src}; style-src 'self'; img-src 'self' data:; \
         connect-src {connect_src}; object-src 'none'; base-uri 'self'; form-action 'self'; \
         frame-ancestors {frame_ancestors}"
    )
}

/// The origin of the console's `apiUrl` (from its config.json), when it names another host.
/// Only a plain `http(s)://host[:port]` is accepted, so the file cannot smuggle other policy
/// text into the header; anything else leaves the console on its own origin.
pub fn api_origin(config_json: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(config_json).ok()?;
    let url = value.get("apiUrl")?.as_str()?.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host = rest.split('/').next()?;
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    host_ok.then(|| format!("{}{host}", &url[..url.len() - rest.len()]))
}

/// `'sha256-…'` sources for every inline `<script>` (one without `src`), in document order,
/// without duplicates. The browser hashes the exact text between the tags, so do we.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    // ASCII lowercasing keeps byte offsets, so positions found in `lower` index `html` too.
    let lower = html.to_ascii_lowercase();
    let mut hashes = Vec::new();
    let mut pos = 0;
    while let Some(found) = lower[pos..].find("<script") {
        let tag_start = pos + found;
        let after_name = tag_start + "<script".len();
        // `<scripts>` or `<script-x>` is another element.
        if !lower[after_name..]
            .starts_with(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
        {
            pos = after_name;
            continue;
        }
        let Some(tag_end) = end_of_tag(&lower, after_name) else {
            break;
        };
        let attributes = &lower[after_name..tag_end];
        let content_start = tag_end + 1;
        let Some(close) = lower[content_start..].find("</script") else {
            break;
        };
        let content_end = content_start + close;
        if !has_src_attribute(attributes) {
            let digest = Sha256::digest(&html.as_bytes()[content_start..content_end]);
            let source = format!("'sha256-{}'", BASE64.encode(&digest));
            if !hashes.contains(&source) {
                hashes.push(source);
            }
        }
        pos = content_end;
    }
    hashes
}

/// Index of the `>` closing a start tag, skipping quoted attribute values.
fn end_of_tag(s: &str, from: usize) -> Option<usize> {
    let mut quote = None;
    for (i, c) in s[from..].char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(from + i),
            _ => {}
        }
    }
    None
}

/// Whether the (lowercased) attribute text has a `src` attribute, quoted values ignored.
fn has_src_attribute(attributes: &str) -> bool {
    let mut quote = None;
    let mut name = String::new();
    for c in attributes.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, c) if c.is_ascii_whitespace() || c == '=' || c == '/' => {
                if name == "src" {
                    return true;
                }
                name.clear();
            }
            (None, c) => name.push(c),
        }
    }
    name == "src"
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shape trunk 0.21 writes (module loader inline, wasm preloaded).
    const TRUNK_INDEX: &str = r#"<!DOCTYPE html><html><head>
<meta charset="utf-8"><title>Account Console</title>
<link rel="modulepreload" href="/account-console-0123456789abcdef.js" crossorigin="anonymous" integrity="sha384-x">
<link rel="preload" href="/account-console-0123456789abcdef_bg.wasm" crossorigin="anonymous" as="fetch" type="application/wasm">
<script src="/vendor.js"></script>
<SCRIPT type="module" data-note="a > b">
import init, * as bindings from '/account-console-0123456789abcdef.js';
const wasm = await init({ module_or_path: '/account-console-0123456789abcdef_bg.wasm' });
window.wasmBindings = bindings;
</SCRIPT></head><body></body></html>"#;

    fn sha256_b64(s: &str) -> String {
        format!("'sha256-{}'", BASE64.encode(&Sha256::digest(s.as_bytes())))
    }

    #[test]
    fn hashes_only_inline_scripts_exactly() {
        let inline = "\nimport init, * as bindings from '/account-console-0123456789abcdef.js';\n\
                      const wasm = await init({ module_or_path: '/account-console-0123456789abcdef_bg.wasm' });\n\
                      window.wasmBindings = bindings;\n";
        assert_eq!(inline_script_hashes(TRUNK_INDEX), vec![sha256_b64(inline)]);
    }

    #[test]
    fn several_scripts_and_tricky_attributes() {
        let html = r#"<script>a()</script><scripts>no</scripts><script data-src="x">b()</script>
<script type=module src=/m.js></script><script>a()</script><script async>c()</script>"#;
        assert_eq!(
            inline_script_hashes(html),
            vec![sha256_b64("a()"), sha256_b64("b()"), sha256_b64("c()")]
        );
        assert!(inline_script_hashes("<p>no scripts</p><script>unterminated").is_empty());
    }

    #[test]
    fn policy_lists_the_hash_and_never_unsafe_inline() {
        let p = console_policy(TRUNK_INDEX, "'none'", None);
        assert!(p.starts_with("default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-"));
        assert!(p.ends_with("frame-ancestors 'none'"));
        assert!(!p.contains("unsafe-inline") && !p.contains("'unsafe-eval'"));
    }

    #[test]
    fn api_origin_comes_only_from_a_plain_http_url() {
        assert_eq!(api_origin(r#"{"apiUrl": ""}"#), None);
        assert_eq!(api_origin("not json"), None);
        assert_eq!(
            api_origin(r#"{"apiUrl": "https://api.example.com/"}"#).as_deref(),
            Some("https://api.example.com")
        );
        assert_eq!(
            api_origin(r#"{"apiUrl": "http://127.0.0.1:8080"}"#).as_deref(),
            Some("http://127.0.0.1:8080")
        );
        for hostile in [
            r#"{"apiUrl": "https://a.example; script-src *"}"#,
            r#"{"apiUrl": "javascript:alert(1)"}"#,
            r#"{"apiUrl": "https://*"}"#,
        ] {
            assert_eq!(api_origin(hostile), None, "{hostile}");
        }
        let p = console_policy(TRUNK_INDEX, "'none'", Some("https://api.example.com"));
        assert!(
            p.contains("connect-src 'self' https://api.example.com;"),
            "{p}"
        );
    }
}
