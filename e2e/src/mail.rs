//! The server's outbox (`<data dir>/outbox/*.eml`, written when no SMTP server is configured):
//! waiting for a message and reading links out of it.
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The `.eml` files in `dir`, oldest first (the server names them by time).
pub fn messages(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// The subject of the verification mail every sign-up sends.
pub const VERIFY_SUBJECT: &str = "Subject: Verify your Account Console email address";

/// Waits until `dir` holds a message beyond the first `before` that is not a sign-up's
/// verification mail (those arrive at their own pace), and returns the newest such one's
/// headers and body, the body decoded if it was sent quoted-printable.
pub async fn wait_for_new_mail(dir: &Path, before: usize) -> String {
    wait_for(dir, before, |m| !m.contains(VERIFY_SUBJECT)).await
}

/// Waits for a verification mail to `to` beyond the first `before` messages.
pub async fn wait_for_verification_mail(dir: &Path, before: usize, to: &str) -> String {
    let to = format!("To: {to}");
    wait_for(dir, before, |m| {
        m.contains(VERIFY_SUBJECT) && m.contains(&to)
    })
    .await
}

async fn wait_for(dir: &Path, before: usize, wanted: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + crate::WAIT;
    loop {
        let found = messages(dir)
            .iter()
            .skip(before)
            .map(|p| decode(&std::fs::read_to_string(p).expect("read .eml")))
            .filter(|m| wanted(m))
            .last();
        if let Some(mail) = found {
            return mail;
        }
        assert!(
            Instant::now() < deadline,
            "no new mail in {} ({before} before)",
            dir.display()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Undoes a quoted-printable body (soft line breaks and `=XX`); other messages are returned
/// as they are.
pub fn decode(raw: &str) -> String {
    let raw = raw.replace("\r\n", "\n");
    let (head, body) = raw.split_once("\n\n").unwrap_or((&raw, ""));
    if !head
        .to_ascii_lowercase()
        .contains("content-transfer-encoding: quoted-printable")
    {
        return raw.to_string();
    }
    let body = body.replace("=\n", "");
    let bytes = body.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&body[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    format!("{head}\n\n{}", String::from_utf8_lossy(&out))
}

/// The first URL in `text` that starts with `prefix`, up to the next whitespace.
pub fn link_starting_with(text: &str, prefix: &str) -> Option<String> {
    let start = text.find(prefix)?;
    let link: String = text[start..]
        .chars()
        .take_while(|c| !c.is_whitespace() && !matches!(c, '<' | '>' | '"'))
        .collect();
    Some(link)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_printable_links_are_rejoined() {
        let raw = "Subject: x\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n\
                   Open http://h/reset-password#token=3Dab=\r\ncd now\r\n";
        let text = decode(raw);
        assert_eq!(
            link_starting_with(&text, "http://h/reset-password").as_deref(),
            Some("http://h/reset-password#token=abcd")
        );
        let plain = "Subject: x\n\nhttp://h/a#token=x=y\n";
        assert_eq!(decode(plain), plain);
    }
}
