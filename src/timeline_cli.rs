//! `opsdeck timeline [--since 2h] [--json]`: the stored history, newest
//! first, for scripts and for the incident channel. It reads the store
//! only; it connects to nothing.
//!
//! `--json` prints schema `opsdeck.timeline/v1`:
//! `{schema, store, since, entries: [{at, source, change, where, what,
//! reason, id, bad, deploy, commit?, workload?, target?, links: [{kind, to,
//! text, matched: [{field, value}]}]}]}`.

use std::io::Write;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::core::timeline::{Entry, Timeline};
use crate::core::timeline_link::{Link, row_text};
use crate::timeline_store::TimelineStore;

/// `90s`, `30m`, `2h`, `7d`: how far back to print.
pub fn parse_since(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let n: i64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a duration like 90s, 30m, 2h or 7d"))?;
    let secs = match unit {
        "s" => 1,
        "m" => 60,
        "h" | "" => 3600,
        "d" => 86_400,
        _ => {
            return Err(format!(
                "{text:?} is not a duration like 90s, 30m, 2h or 7d (the unit is s, m, h or d)"
            ));
        }
    };
    n.checked_mul(secs)
        .and_then(Duration::try_seconds)
        .ok_or_else(|| format!("{text:?} is too long a time"))
}

#[derive(Serialize)]
struct Row<'a> {
    #[serde(flatten)]
    entry: &'a Entry,
    links: Vec<Link>,
}

#[derive(Serialize)]
struct Report<'a> {
    schema: &'static str,
    store: String,
    since: DateTime<Utc>,
    entries: Vec<Row<'a>>,
}

/// Prints the entries since `now - since`.
pub fn print(
    store: &TimelineStore,
    since: Duration,
    json: bool,
    now: DateTime<Utc>,
) -> Result<(), String> {
    let loaded = store.load()?;
    let mut timeline = Timeline::new(loaded.entries.len().max(1));
    timeline.load(loaded.entries);
    let from = now - since;
    let rows: Vec<Row> = timeline
        .since(from)
        .map(|(_, e)| Row {
            entry: e,
            links: timeline.links(e),
        })
        .collect();
    let mut out = std::io::stdout().lock();
    let text = if json {
        let report = Report {
            schema: "opsdeck.timeline/v1",
            store: store.path.display().to_string(),
            since: from,
            entries: rows,
        };
        serde_json::to_string_pretty(&report).map_err(|e| e.to_string())? + "\n"
    } else if rows.is_empty() {
        format!(
            "nothing in the timeline since {} ({})\n",
            from.format("%Y-%m-%d %H:%M:%S UTC"),
            store.path.display()
        )
    } else {
        let mut text = String::new();
        for row in &rows {
            let e = row.entry;
            text.push_str(&format!(
                "{}  {:<10}  {:<12}  {}  [{}]  {}\n",
                e.at.format("%Y-%m-%d %H:%M:%S"),
                e.source.label(),
                e.change.word(),
                e.what,
                e.place,
                row_text(e, &row.links)
            ));
        }
        text
    };
    if loaded.unreadable > 0 {
        eprintln!(
            "opsdeck: {} unreadable lines skipped in {}",
            loaded.unreadable,
            store.path.display()
        );
    }
    out.write_all(text.as_bytes())
        .map_err(|e| format!("cannot write the timeline: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_people_write_them() {
        assert_eq!(parse_since("90s"), Ok(Duration::seconds(90)));
        assert_eq!(parse_since("30m"), Ok(Duration::minutes(30)));
        assert_eq!(parse_since("2h"), Ok(Duration::hours(2)));
        assert_eq!(parse_since("2"), Ok(Duration::hours(2)));
        assert_eq!(parse_since("7d"), Ok(Duration::days(7)));
        assert!(parse_since("2 weeks").is_err());
        assert!(parse_since("h").is_err());
        assert!(parse_since("99999999999999999d").is_err());
    }
}
