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
}
