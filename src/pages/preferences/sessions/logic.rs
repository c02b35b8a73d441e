//! The texts of the Active sessions tab, kept pure so they are unit-tested.
use wire::SessionRow;

/// "Firefox on Linux", "Firefox", "Unknown browser on Linux" or "Unknown browser".
pub fn session_label(row: &SessionRow) -> String {
    let browser = row.browser.as_deref().unwrap_or("Unknown browser");
    match row.os.as_deref() {
        Some(os) => format!("{browser} on {os}"),
        None => browser.to_string(),
    }
}

/// The accessible name of a row's Revoke button: the visible "Revoke" plus which session, so
/// a screen-reader list of buttons tells the rows apart.
pub fn revoke_name(row: &SessionRow) -> String {
    match &row.ip {
        Some(ip) => format!("Revoke {} ({ip})", session_label(row)),
        None => format!("Revoke {}", session_label(row)),
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
            Self::One { label, .. } => format!("Revoke {label}?"),
            Self::Others { .. } => "Revoke all other sessions?".to_string(),
        }
    }

    pub fn confirm_label(&self) -> String {
        match self {
            Self::One { .. } => "Revoke session".to_string(),
            Self::Others { count: 1 } => "Revoke 1 other session".to_string(),
            Self::Others { count } => format!("Revoke {count} other sessions"),
        }
    }
}

/// The toast after revoking the others.
pub fn revoked_others_text(count: u64) -> String {
    match count {
        0 => "There were no other sessions.".to_string(),
        1 => "Revoked 1 other session.".to_string(),
        n => format!("Revoked {n} other sessions."),
    }
}
