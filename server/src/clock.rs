//! The one source of "now". Token lifetimes, session expiry and rate-limit windows all read
//! it, so tests move an injected clock instead of sleeping.
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub trait Clock: Send + Sync + 'static {
    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> i64;
}

/// The wall clock, for production.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        // A clock before 1970 is a broken host; treat it as the epoch rather than panicking.
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
    }
}

/// A clock that only moves when told to (tests).
#[derive(Debug)]
pub struct ManualClock(AtomicI64);

impl ManualClock {
    pub fn new(now_ms: i64) -> Self {
        Self(AtomicI64::new(now_ms))
    }

    pub fn set(&self, now_ms: i64) {
        self.0.store(now_ms, Ordering::SeqCst);
    }

    pub fn advance(&self, by: Duration) {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        self.0.fetch_add(ms, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// balena's date format: ISO 8601 in UTC with milliseconds, e.g. `2024-01-01T00:00:00.000Z`.
pub fn iso_millis(ms: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

/// Parses the ISO 8601 dates clients send: `2024-01-01`, `2024-01-01T10:00`, with optional
/// seconds and fraction, and `Z`, `±hh:mm` or no zone (taken as UTC). Milliseconds since the
/// epoch; `None` for anything else (including impossible dates such as February 30).
pub fn parse_iso_ms(s: &str) -> Option<i64> {
    use time::{Date, Month, PrimitiveDateTime, Time, UtcOffset};
    let s = s.trim();
    let num = |t: &str| -> Option<u32> {
        (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())).then(|| t.parse().ok())?
    };
    let (date, rest) = s.split_at_checked(10)?;
    let mut d = date.split('-');
    let (y, m, day) = (d.next()?, d.next()?, d.next()?);
    if y.len() != 4 || m.len() != 2 || day.len() != 2 {
        return None;
    }
    let month = Month::try_from(u8::try_from(num(m)?).ok()?).ok()?;
    let date = Date::from_calendar_date(
        i32::try_from(num(y)?).ok()?,
        month,
        u8::try_from(num(day)?).ok()?,
    )
    .ok()?;
    let (time, offset) = if rest.is_empty() {
        (Time::MIDNIGHT, UtcOffset::UTC)
    } else {
        let rest = rest.strip_prefix('T').or_else(|| rest.strip_prefix(' '))?;
        let (clock, offset) = if let Some(c) = rest.strip_suffix('Z') {
            (c, UtcOffset::UTC)
        } else if let Some(i) = rest.rfind(['+', '-']) {
            let (c, o) = rest.split_at(i);
            let (oh, om) = o[1..].split_once(':')?;
            let secs = i32::try_from(num(oh)? * 3600 + num(om)? * 60).ok()?;
            let secs = if o.starts_with('-') { -secs } else { secs };
            (c, UtcOffset::from_whole_seconds(secs).ok()?)
        } else {
            (rest, UtcOffset::UTC)
        };
        let (hms, frac) = clock.split_once('.').unwrap_or((clock, ""));
        let mut parts = hms.split(':');
        let h = u8::try_from(num(parts.next()?)?).ok()?;
        let mi = u8::try_from(num(parts.next()?)?).ok()?;
        let sec = match parts.next() {
            Some(p) => u8::try_from(num(p)?).ok()?,
            None => 0,
        };
        if parts.next().is_some() || (clock.contains('.') && num(frac).is_none()) {
            return None;
        }
        let ms = frac
            .bytes()
            .chain(std::iter::repeat(b'0'))
            .take(3)
            .fold(0u16, |acc, b| acc * 10 + u16::from(b - b'0'));
        (Time::from_hms_milli(h, mi, sec, ms).ok()?, offset)
    };
    let t = PrimitiveDateTime::new(date, time).assume_offset(offset);
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_format_has_milliseconds_and_z() {
        assert_eq!(iso_millis(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso_millis(1_704_067_200_123), "2024-01-01T00:00:00.123Z");
    }

    #[test]
    fn iso_dates_parse_like_clients_send_them() {
        assert_eq!(
            parse_iso_ms("2024-01-01T00:00:00.123Z"),
            Some(1_704_067_200_123)
        );
        assert_eq!(parse_iso_ms("2024-01-01"), Some(1_704_067_200_000));
        assert_eq!(
            parse_iso_ms("2024-01-01T01:00+01:00"),
            Some(1_704_067_200_000)
        );
        assert_eq!(
            parse_iso_ms("2023-12-31T23:00:00-01:00"),
            Some(1_704_067_200_000)
        );
        assert_eq!(
            parse_iso_ms("2024-01-01T00:00:00.1Z"),
            Some(1_704_067_200_100)
        );
        for bad in [
            "",
            "x",
            "2024-02-30",
            "2024-1-01",
            "2024-01-01T25:00Z",
            "2024-01-01T00:00:00.Z",
            "tomorrow",
            "2024-01-01T00:00:00.x1Z",
        ] {
            assert_eq!(parse_iso_ms(bad), None, "{bad}");
        }
    }

    #[test]
    fn manual_clock_moves_only_when_told() {
        let c = ManualClock::new(1_000);
        assert_eq!(c.now_ms(), 1_000);
        c.advance(Duration::from_secs(2));
        assert_eq!(c.now_ms(), 3_000);
        c.set(5);
        assert_eq!(c.now_ms(), 5);
    }
}
