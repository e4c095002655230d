//! The simulator's clock and the engine's time formats.
//!
//! Time is nanoseconds since the Unix epoch. A real clock follows the wall
//! clock; a manual clock only moves when a test advances it, so crash loops
//! and restarts can be tested without sleeping.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::{DateTime, SecondsFormat, Utc};

pub(crate) type Nanos = i64;
pub(crate) const SEC: Nanos = 1_000_000_000;

/// Go's zero `time.Time`, which the engine prints for "never".
pub(crate) const ZERO_TIME: &str = "0001-01-01T00:00:00Z";

pub(crate) struct Clock {
    base: Nanos,
    mode: Mode,
}

enum Mode {
    Real(tokio::time::Instant),
    Manual(AtomicI64),
}

fn wall_now() -> Nanos {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

pub(crate) fn dur_nanos(d: Duration) -> Nanos {
    i64::try_from(d.as_nanos()).unwrap_or(i64::MAX)
}

impl Clock {
    pub(crate) fn real() -> Self {
        Clock {
            base: wall_now(),
            mode: Mode::Real(tokio::time::Instant::now()),
        }
    }

    pub(crate) fn manual() -> Self {
        Clock {
            base: wall_now(),
            mode: Mode::Manual(AtomicI64::new(0)),
        }
    }

    pub(crate) fn now(&self) -> Nanos {
        match &self.mode {
            Mode::Real(start) => self.base.saturating_add(dur_nanos(start.elapsed())),
            Mode::Manual(offset) => self.base.saturating_add(offset.load(Ordering::SeqCst)),
        }
    }

    pub(crate) fn is_manual(&self) -> bool {
        matches!(self.mode, Mode::Manual(_))
    }

    /// Moves a manual clock forward; a real clock ignores it.
    pub(crate) fn advance(&self, by: Duration) -> Nanos {
        if let Mode::Manual(offset) = &self.mode {
            offset.fetch_add(dur_nanos(by), Ordering::SeqCst);
        }
        self.now()
    }
}

fn to_datetime(ns: Nanos) -> Option<DateTime<Utc>> {
    let secs = ns.div_euclid(SEC);
    let sub = u32::try_from(ns.rem_euclid(SEC)).ok()?;
    DateTime::from_timestamp(secs, sub)
}

/// `RFC3339NanoFixed` as `docker logs --timestamps` prints it: always nine
/// fractional digits so the prefix has a fixed width.
pub(crate) fn rfc3339_fixed(ns: Nanos) -> String {
    to_datetime(ns)
        .map(|d| d.to_rfc3339_opts(SecondsFormat::Nanos, true))
        .unwrap_or_else(|| ZERO_TIME.to_string())
}

/// RFC 3339 as Go marshals a `time.Time` into JSON.
pub(crate) fn rfc3339(ns: Nanos) -> String {
    to_datetime(ns)
        .map(|d| d.to_rfc3339_opts(SecondsFormat::AutoSi, true))
        .unwrap_or_else(|| ZERO_TIME.to_string())
}

pub(crate) fn rfc3339_opt(ns: Option<Nanos>) -> String {
    ns.map(rfc3339).unwrap_or_else(|| ZERO_TIME.to_string())
}

/// The engine's `since`/`until`: Unix seconds with an optional fraction
/// ("1700000000.123456789"); RFC 3339 is accepted too.
pub(crate) fn parse_timestamp(raw: &str) -> Option<Nanos> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(raw) {
        return d.timestamp_nanos_opt();
    }
    let (secs, frac) = match raw.split_once('.') {
        Some((s, f)) => (s, f),
        None => (raw, ""),
    };
    let secs: i64 = secs.parse().ok()?;
    let mut nanos: i64 = 0;
    if !frac.is_empty() {
        if frac.len() > 9 || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let padded = format!("{frac:0<9}");
        nanos = padded.parse().ok()?;
    }
    secs.checked_mul(SEC)?.checked_add(nanos)
}

/// go-units' `HumanDuration`, used in `docker ps` status strings.
pub(crate) fn human_duration(ns: Nanos) -> String {
    let seconds = ns / SEC;
    if seconds < 1 {
        return "Less than a second".into();
    }
    if seconds == 1 {
        return "1 second".into();
    }
    if seconds < 60 {
        return format!("{seconds} seconds");
    }
    let minutes = seconds / 60;
    if minutes == 1 {
        return "About a minute".into();
    }
    if minutes < 60 {
        return format!("{minutes} minutes");
    }
    let hours = (seconds as f64 / 3600.0).round() as i64;
    if hours == 1 {
        return "About an hour".into();
    }
    if hours < 48 {
        return format!("{hours} hours");
    }
    if hours < 24 * 7 * 2 {
        return format!("{} days", hours / 24);
    }
    if hours < 24 * 30 * 2 {
        return format!("{} weeks", hours / 24 / 7);
    }
    if hours < 24 * 365 * 2 {
        return format!("{} months", hours / 24 / 30);
    }
    format!("{} years", seconds / 3600 / 24 / 365)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_format_keeps_nine_digits() {
        let ns = 1_700_000_000 * SEC + 120_000_000;
        assert_eq!(rfc3339_fixed(ns), "2023-11-14T22:13:20.120000000Z");
        assert_eq!(rfc3339(ns), "2023-11-14T22:13:20.120Z");
    }

    #[test]
    fn timestamps_parse_like_the_engine() {
        assert_eq!(parse_timestamp("1700000000"), Some(1_700_000_000 * SEC));
        assert_eq!(
            parse_timestamp("1700000000.5"),
            Some(1_700_000_000 * SEC + 500_000_000)
        );
        assert_eq!(
            parse_timestamp("2023-11-14T22:13:20Z"),
            Some(1_700_000_000 * SEC)
        );
        assert_eq!(parse_timestamp("soon"), None);
        assert_eq!(parse_timestamp("1.1234567890"), None);
    }

    #[test]
    fn human_durations_match_docker_ps() {
        assert_eq!(human_duration(SEC / 2), "Less than a second");
        assert_eq!(human_duration(SEC), "1 second");
        assert_eq!(human_duration(42 * SEC), "42 seconds");
        assert_eq!(human_duration(90 * SEC), "About a minute");
        assert_eq!(human_duration(5 * 60 * SEC), "5 minutes");
        assert_eq!(human_duration(3 * 3600 * SEC), "3 hours");
        assert_eq!(human_duration(3 * 24 * 3600 * SEC), "3 days");
    }
}
