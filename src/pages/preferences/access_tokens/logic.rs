//! The pure rules of the Access tokens tab: expiry badges, "N days ago", expiry presets,
//! sorting. Times are milliseconds since the epoch from `js_sys::Date` (no chrono).
use wire::ApiKeyRow;

pub const MINUTE_MS: f64 = 60_000.0;
pub const HOUR_MS: f64 = 60.0 * MINUTE_MS;
pub const DAY_MS: f64 = 24.0 * HOUR_MS;
/// The banner lists keys that expire within this many days.
pub const EXPIRING_SOON_DAYS: f64 = 7.0;
/// The expiry presets of the create and edit forms, in days.
pub const PRESET_DAYS: [u32; 4] = [1, 7, 30, 90];

pub const MSG_DATE_REQUIRED: &str = "Choose a date";
pub const MSG_DATE_PAST: &str = "Choose a date in the future";

/// An ISO 8601 date as milliseconds, or `None` if the browser can't parse it.
pub fn parse_iso_ms(iso: &str) -> Option<f64> {
    let ms = js_sys::Date::parse(iso);
    (!ms.is_nan()).then_some(ms)
}

/// `2026-11-22T12:00:00.000Z` for a time in milliseconds.
pub fn iso_from_ms(ms: f64) -> String {
    String::from(js_sys::Date::new(&ms.into()).to_iso_string())
}

/// The `YYYY-MM-DD` (UTC) part of an ISO date, for compact "created" columns.
pub fn date_part(iso: &str) -> String {
    match parse_iso_ms(iso) {
        Some(ms) => iso_from_ms(ms).chars().take(10).collect(),
        None => iso.to_string(),
    }
}

fn plural(n: u64, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

/// "in 6 days" / "in 5 hours" / "in 12 minutes" for a time still ahead. Days and hours are
/// rounded, so a key created for 7 days reads "in 7 days" (not 6) and one for 1 day "in
/// 1 day" (not 23 hours); under an hour, minutes are rounded up.
pub fn time_until_text(now_ms: f64, then_ms: f64) -> String {
    let left = (then_ms - now_ms).max(0.0);
    let hours = (left / HOUR_MS).round();
    if left < HOUR_MS {
        format!(
            "in {}",
            plural((left / MINUTE_MS).ceil().max(1.0) as u64, "minute")
        )
    } else if hours < 24.0 {
        format!("in {}", plural(hours as u64, "hour"))
    } else {
        format!("in {}", plural((left / DAY_MS).round() as u64, "day"))
    }
}

/// "just now" / "12 minutes ago" / "5 hours ago" / "3 days ago" (rounded down).
pub fn time_ago_text(now_ms: f64, then_ms: f64) -> String {
    let past = (now_ms - then_ms).max(0.0);
    if past < MINUTE_MS {
        "just now".to_string()
    } else if past < HOUR_MS {
        format!(
            "{} ago",
            plural((past / MINUTE_MS).floor() as u64, "minute")
        )
    } else if past < DAY_MS {
        format!("{} ago", plural((past / HOUR_MS).floor() as u64, "hour"))
    } else {
        format!("{} ago", plural((past / DAY_MS).floor() as u64, "day"))
    }
}

/// "Last used 3 days ago" / "Never used".
pub fn last_used_text(now_ms: f64, last_used_at: Option<&str>) -> String {
    match last_used_at.and_then(parse_iso_ms) {
        Some(ms) => format!("Last used {}", time_ago_text(now_ms, ms)),
        None => "Never used".to_string(),
    }
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
        return (ExpiryKind::Never, "Never expires".to_string());
    };
    let Some(ms) = parse_iso_ms(iso) else {
        return (ExpiryKind::Later, format!("Expires {iso}"));
    };
    if ms <= now_ms {
        (ExpiryKind::Expired, "Expired".to_string())
    } else if ms - now_ms <= EXPIRING_SOON_DAYS * DAY_MS {
        (
            ExpiryKind::Soon,
            format!("Expires {}", time_until_text(now_ms, ms)),
        )
    } else {
        (
            ExpiryKind::Later,
            format!("Expires {}", time_until_text(now_ms, ms)),
        )
    }
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
        return Err(MSG_DATE_REQUIRED);
    }
    let mut parts = date.split('-').map(|p| p.parse::<u32>().ok());
    let (Some(Some(y)), Some(Some(m)), Some(Some(d)), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(MSG_DATE_REQUIRED);
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Err(MSG_DATE_REQUIRED);
    }
    let end_of_day =
        js_sys::Date::new_with_year_month_day_hr_min_sec(y, m as i32 - 1, d as i32, 23, 59, 59);
    let ms = end_of_day.get_time();
    if ms.is_nan() {
        return Err(MSG_DATE_REQUIRED);
    }
    if ms <= now_ms {
        return Err(MSG_DATE_PAST);
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
            ExpiryChoice::Keep => "Keep the current expiry".into(),
            ExpiryChoice::Days(1) => "1 day".into(),
            ExpiryChoice::Days(d) => format!("{d} days"),
            ExpiryChoice::Custom => "Custom date…".into(),
            ExpiryChoice::Never => "Never".into(),
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
    if count == 1 {
        "Delete 1 API key?".to_string()
    } else {
        format!("Delete {count} API keys?")
    }
}

/// A key's display name (unnamed keys are filtered out, but be safe).
pub fn key_name(row: &ApiKeyRow) -> String {
    row.name
        .clone()
        .unwrap_or_else(|| format!("Key {}", row.id))
}

/// The session token as shown until revealed: never its characters.
pub fn masked_token(token: &str) -> String {
    "•".repeat(token.chars().count().clamp(8, 24))
}
