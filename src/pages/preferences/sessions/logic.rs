//! The texts of the Active sessions tab, kept pure so they are unit-tested.
use crate::i18n::{catalogue::Account, plural, t, with_args};
use wire::SessionRow;

/// "Firefox on Linux", "Firefox", "Unknown browser on Linux" or "Unknown browser".
pub fn session_label(row: &SessionRow) -> String {
    let browser = row.browser.as_deref().unwrap_or(t(Account::UnknownBrowser));
    match row.os.as_deref() {
        Some(os) => with_args(t(Account::BrowserOnOs), &[("browser", browser), ("os", os)]),
        None => browser.to_string(),
    }
}

/// The accessible name of a row's Revoke button: the visible "Revoke" plus which session, so
/// a screen-reader list of buttons tells the rows apart.
pub fn revoke_name(row: &SessionRow) -> String {
    let session = session_label(row);
    match &row.ip {
        Some(ip) => with_args(
            t(Account::RevokeNamedAt),
            &[("session", &session), ("ip", ip)],
        ),
        None => with_args(t(Account::RevokeNamed), &[("session", &session)]),
    }
}

/// This session first, then the others in the server's order (most recently used first).
pub fn current_first(mut rows: Vec<SessionRow>) -> Vec<SessionRow> {
    rows.sort_by_key(|r| !r.current);
    rows
}

/// What the confirmation is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevokeTarget {
    One { id: i64, label: String },
    Others { count: usize },
}

impl RevokeTarget {
    pub fn title(&self) -> String {
        match self {
            Self::One { label, .. } => with_args(t(Account::RevokeOneTitle), &[("session", label)]),
            Self::Others { .. } => t(Account::RevokeOthersTitle).to_string(),
        }
    }

    pub fn confirm_label(&self) -> String {
        match self {
            Self::One { .. } => t(Account::RevokeSession).to_string(),
            Self::Others { count } => plural(
                *count as u64,
                Account::RevokeOthersOne,
                Account::RevokeOthersOther,
            ),
        }
    }
}

/// The toast after revoking the others.
pub fn revoked_others_text(count: u64) -> String {
    match count {
        0 => t(Account::NoOtherSessions).to_string(),
        n => plural(n, Account::RevokedOthersOne, Account::RevokedOthersOther),
    }
}
