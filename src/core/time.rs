use chrono::{DateTime, Utc};

/// Short human age like kubectl prints it: `42s`, `5m`, `3h`, `2d`.
pub fn short_age(since: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (now - since).num_seconds().max(0);
    match secs {
        s if s < 120 => format!("{s}s"),
        s if s < 3600 => format!("{}m", s / 60),
        s if s < 48 * 3600 => format!("{}h", s / 3600),
        s => format!("{}d", s / 86400),
    }
}

/// kubectl's AGE and "(… ago)": k8s.io/apimachinery/pkg/util/duration
/// `HumanDuration`, which keeps two units while the first is small
/// (`2m8s` under 10 minutes, `3h20m` under 8 hours, `5d4h` under 8 days,
/// `3y40d` under 8 years) and one unit otherwise. Up to a second in the
/// future (clock skew) reads `0s`; further is `<invalid>`, as kubectl says.
pub fn kube_age(since: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (now - since).num_seconds();
    if secs < -1 {
        return "<invalid>".into();
    }
    let secs = secs.max(0);
    if secs < 120 {
        return format!("{secs}s");
    }
    let two = |big: i64, unit: &str, small: i64, small_unit: &str| {
        if small == 0 {
            format!("{big}{unit}")
        } else {
            format!("{big}{unit}{small}{small_unit}")
        }
    };
    let minutes = secs / 60;
    if minutes < 10 {
        return two(minutes, "m", secs % 60, "s");
    }
    if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = secs / 3600;
    if hours < 8 {
        return two(hours, "h", minutes % 60, "m");
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        return two(hours / 24, "d", hours % 24, "h");
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        return two(hours / 24 / 365, "y", (hours / 24) % 365, "d");
    }
    format!("{}y", hours / 24 / 365)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn ages_use_kubectl_units() {
        let now = DateTime::<Utc>::UNIX_EPOCH + Duration::days(20_000);
        assert_eq!(short_age(now - Duration::seconds(42), now), "42s");
        assert_eq!(short_age(now - Duration::minutes(5), now), "5m");
        assert_eq!(short_age(now - Duration::hours(3), now), "3h");
        assert_eq!(short_age(now - Duration::days(3), now), "3d");
        assert_eq!(short_age(now + Duration::seconds(5), now), "0s");
    }

    /// The cases follow HumanDuration's branches one by one (and its own
    /// table test in apimachinery's duration_test.go).
    #[test]
    fn kube_ages_match_kubectl_human_duration() {
        let now = DateTime::<Utc>::UNIX_EPOCH + Duration::days(20_000);
        let age = |d: Duration| kube_age(now - d, now);
        let s = Duration::seconds;
        let cases = [
            (s(1), "1s"),
            (s(70), "70s"),
            (s(119), "119s"),
            (s(120), "2m"),
            (s(128), "2m8s"),
            (s(9 * 60 + 59), "9m59s"),
            (s(10 * 60 + 30), "10m"),
            (Duration::minutes(179), "179m"),
            (Duration::minutes(180), "3h"),
            (Duration::minutes(3 * 60 + 20), "3h20m"),
            (Duration::minutes(8 * 60 + 5), "8h"),
            (Duration::hours(47), "47h"),
            (Duration::hours(48), "2d"),
            (Duration::hours(5 * 24 + 4), "5d4h"),
            (Duration::hours(8 * 24 + 4), "8d"),
            (Duration::days(729), "729d"),
            (Duration::days(365 * 3 + 40), "3y40d"),
            (Duration::days(365 * 9), "9y"),
        ];
        for (d, want) in cases {
            assert_eq!(age(d), want, "{d:?}");
        }
        assert_eq!(kube_age(now + s(1), now), "0s", "a second of skew");
        assert_eq!(kube_age(now + s(5), now), "<invalid>");
    }
}
