//! The pure rules of the Access tokens tab: expiry badges, "N days ago", expiry presets,
//! sorting. Times are milliseconds since the epoch from `js_sys::Date` (no chrono).
use crate::i18n::catalogue::Tokens;
use crate::i18n::{plural, t, time_ago, with_args};
use wire::ApiKeyRow;

pub const MINUTE_MS: f64 = 60_000.0;
pub const HOUR_MS: f64 = 60.0 * MINUTE_MS;
pub const DAY_MS: f64 = 24.0 * HOUR_MS;
/// The banner lists keys that expire within this many days.
pub const EXPIRING_SOON_DAYS: f64 = 7.0;
/// The expiry presets of the create and edit forms, in days.
pub const PRESET_DAYS: [u32; 4] = [1, 7, 30, 90];

/// An ISO 8601 date as milliseconds, or `None` if the browser can't parse it.
pub fn parse_iso_ms(iso: &str) -> Option<f64> {
    let ms = js_sys::Date::parse(iso);
    (!ms.is_nan()).then_some(ms)
}

/// `2026-11-22T12:00:00.000Z` for a time in milliseconds.
pub fn iso_from_ms(ms: f64) -> String {
    String::from(js_sys::Date::new(&ms.into()).to_iso_string())
}

/// The calendar day (UTC) of an ISO date in the language's form ("Nov 19, 2025",
/// "19.11.2025"), for compact "created" columns. An unparsable date is shown as it came.
pub fn date_part(iso: &str) -> String {
    match parse_iso_ms(iso) {
        Some(ms) => crate::i18n::date(ms),
        None => iso.to_string(),
    }
}

/// "in 6 days" / "in 5 hours" / "in 12 minutes" for a time still ahead. Days and hours are
/// rounded, so a key created for 7 days reads "in 7 days" (not 6) and one for 1 day "in
/// 1 day" (not 23 hours); under an hour, minutes are rounded up.
pub fn time_until_text(now_ms: f64, then_ms: f64) -> String {
    let left = (then_ms - now_ms).max(0.0);
    let hours = (left / HOUR_MS).round();
    if left < HOUR_MS {
        time_ago((left / MINUTE_MS).ceil().max(1.0), "minute")
    } else if hours < 24.0 {
        time_ago(hours, "hour")
    } else {
        time_ago((left / DAY_MS).round(), "day")
    }
}

/// "just now" / "12 minutes ago" / "5 hours ago" / "3 days ago" (rounded down).
pub fn time_ago_text(now_ms: f64, then_ms: f64) -> String {
    let past = (now_ms - then_ms).max(0.0);
    if past < MINUTE_MS {
        t(Tokens::JustNow).to_string()
    } else if past < HOUR_MS {
        time_ago(-(past / MINUTE_MS).floor(), "minute")
    } else if past < DAY_MS {
        time_ago(-(past / HOUR_MS).floor(), "hour")
    } else {
        time_ago(-(past / DAY_MS).floor(), "day")
    }
}

/// "Last used 3 days ago" / "Never used".
pub fn last_used_text(now_ms: f64, last_used_at: Option<&str>) -> String {
    match last_used_at.and_then(parse_iso_ms) {
        Some(ms) => with_args(
            t(Tokens::LastUsedWhen),
            &[("when", &time_ago_text(now_ms, ms))],
        ),
        None => t(Tokens::NeverUsed).to_string(),
    }
}

/// "Expires in 6 days": `when` from [`time_until_text`] (or a date as it came).
pub fn expires_text(when: &str) -> String {
    with_args(t(Tokens::ExpiresWhen), &[("when", when)])
}

/// How an expiry looks in the table: the badge's colour class follows from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpiryKind {
    Never,
    /// Within [`EXPIRING_SOON_DAYS`].
    Soon,
    Later,
    Expired,
}

impl ExpiryKind {
    pub fn class(self) -> &'static str {
        match self {
            ExpiryKind::Never => "badge",
            ExpiryKind::Later => "badge badge-ok",
            ExpiryKind::Soon => "badge badge-warning",
            ExpiryKind::Expired => "badge badge-danger",
        }
    }
}

/// The badge of an expiry date: "Never expires", "Expires in 6 days", "Expired". An
/// unparsable date is shown as it came, rather than guessed.
pub fn expiry_badge(now_ms: f64, expiry: Option<&str>) -> (ExpiryKind, String) {
    let Some(iso) = expiry else {
        return (ExpiryKind::Never, t(Tokens::NeverExpires).to_string());
    };
    let Some(ms) = parse_iso_ms(iso) else {
        return (ExpiryKind::Later, expires_text(iso));
    };
    if ms <= now_ms {
        return (ExpiryKind::Expired, t(Tokens::Expired).to_string());
    }
    let kind = if ms - now_ms <= EXPIRING_SOON_DAYS * DAY_MS {
        ExpiryKind::Soon
    } else {
        ExpiryKind::Later
    };
    (kind, expires_text(&time_until_text(now_ms, ms)))
}

/// The expiry an API key gets from a preset: `now + days`, as ISO 8601.
pub fn preset_expiry_iso(now_ms: f64, days: u32) -> String {
    iso_from_ms(now_ms + f64::from(days) * DAY_MS)
}

/// A custom date from `<input type="date">` (`YYYY-MM-DD`): the end of that day in the
/// user's time zone, which must be in the future.
pub fn custom_expiry_iso(now_ms: f64, date: &str) -> Result<String, &'static str> {
    let date = date.trim();
    if date.is_empty() {
        return Err(t(Tokens::DateRequired));
    }
    let mut parts = date.split('-').map(|p| p.parse::<u32>().ok());
    let (Some(Some(y)), Some(Some(m)), Some(Some(d)), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(t(Tokens::DateRequired));
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Err(t(Tokens::DateRequired));
    }
    let end_of_day =
        js_sys::Date::new_with_year_month_day_hr_min_sec(y, m as i32 - 1, d as i32, 23, 59, 59);
    let ms = end_of_day.get_time();
    if ms.is_nan() {
        return Err(t(Tokens::DateRequired));
    }
    if ms <= now_ms {
        return Err(t(Tokens::DatePast));
    }
    Ok(iso_from_ms(ms))
}

/// The expiry field of the create and edit forms (`<select>` values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpiryChoice {
    /// Edit only: leave the expiry as it is.
    Keep,
    Days(u32),
    Custom,
    Never,
}

impl ExpiryChoice {
    pub fn value(self) -> String {
        match self {
            ExpiryChoice::Keep => "keep".into(),
            ExpiryChoice::Days(d) => d.to_string(),
            ExpiryChoice::Custom => "custom".into(),
            ExpiryChoice::Never => "never".into(),
        }
    }

    pub fn from_value(value: &str) -> ExpiryChoice {
        match value {
            "keep" => ExpiryChoice::Keep,
            "custom" => ExpiryChoice::Custom,
            "never" => ExpiryChoice::Never,
            v => v
                .parse()
                .map(ExpiryChoice::Days)
                .unwrap_or(ExpiryChoice::Never),
        }
    }

    pub fn label(self) -> String {
        match self {
            ExpiryChoice::Keep => t(Tokens::KeepExpiry).into(),
            ExpiryChoice::Days(d) => plural(d.into(), Tokens::DaysOne, Tokens::DaysOther),
            ExpiryChoice::Custom => t(Tokens::CustomDate).into(),
            ExpiryChoice::Never => t(Tokens::Never).into(),
        }
    }

    /// What to send: `None` = leave alone (PATCH: field absent), `Some(None)` = never
    /// expires, `Some(Some(iso))` = that date.
    pub fn resolve(
        self,
        now_ms: f64,
        custom_date: &str,
    ) -> Result<Option<Option<String>>, &'static str> {
        match self {
            ExpiryChoice::Keep => Ok(None),
            ExpiryChoice::Never => Ok(Some(None)),
            ExpiryChoice::Days(d) => Ok(Some(Some(preset_expiry_iso(now_ms, d)))),
            ExpiryChoice::Custom => {
                custom_expiry_iso(now_ms, custom_date).map(|iso| Some(Some(iso)))
            }
        }
    }
}

/// Name order, ignoring case; ties (same name) by id so the order is stable.
pub fn sort_by_name(rows: &mut [ApiKeyRow]) {
    rows.sort_by_cached_key(|r| (r.name.clone().unwrap_or_default().to_lowercase(), r.id));
}

/// The keys that are still valid but expire within [`EXPIRING_SOON_DAYS`], soonest first.
pub fn expiring_soon(now_ms: f64, rows: &[ApiKeyRow]) -> Vec<(ApiKeyRow, f64)> {
    let mut soon: Vec<_> = rows
        .iter()
        .filter_map(|r| {
            let ms = parse_iso_ms(r.expiry_date.as_deref()?)?;
            (ms > now_ms && ms - now_ms <= EXPIRING_SOON_DAYS * DAY_MS).then(|| (r.clone(), ms))
        })
        .collect();
    soon.sort_by(|a, b| a.1.total_cmp(&b.1));
    soon
}

/// "Delete 1 API key?" / "Delete 3 API keys?".
pub fn delete_title(count: usize) -> String {
    plural(
        count as u64,
        Tokens::DeleteTitleOne,
        Tokens::DeleteTitleOther,
    )
}

/// A key's display name (unnamed keys are filtered out, but be safe).
pub fn key_name(row: &ApiKeyRow) -> String {
    row.name
        .clone()
        .unwrap_or_else(|| with_args(t(Tokens::UnnamedKey), &[("id", &row.id.to_string())]))
}

/// The session token as shown until revealed: never its characters.
pub fn masked_token(token: &str) -> String {
    "•".repeat(token.chars().count().clamp(8, 24))
}

/// One piece of a catalogue text: plain text, or the name of a `{placeholder}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    Arg(&'a str),
}

/// A catalogue text split at its `{placeholder}`s, for texts that wrap values in markup
/// (a `<time>`, a styled name): the view puts each value where the translation has it.
pub fn pieces(template: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        if start > 0 {
            out.push(Piece::Text(&rest[..start]));
        }
        out.push(Piece::Arg(&rest[start + 1..start + len]));
        rest = &rest[start + len + 1..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    out
}
