//! The action journal: one line per action taken, for the postmortem.
//! Lines are plain text so they paste into an incident document as they are.

use chrono::{DateTime, SecondsFormat, Utc};

#[derive(Debug, Clone, PartialEq)]
pub struct JournalEntry {
    pub time: DateTime<Utc>,
    /// `docker`, `kubernetes`, `github`.
    pub source: &'static str,
    /// Where: engine, context/namespace, or repo.
    pub location: String,
    /// The exact target, e.g. `container shop-api-1`.
    pub target: String,
    pub action: String,
    pub result: Result<(), String>,
}

impl JournalEntry {
    /// `2026-11-22T08:00:00Z  docker  unix:///run/docker.sock  container web  restart  ok`
    pub fn line(&self) -> String {
        let outcome = match &self.result {
            Ok(()) => "ok".to_string(),
            Err(e) => format!("FAILED: {}", e.replace(['\n', '\r'], " ")),
        };
        format!(
            "{}  {}  {}  {}  {}  {}\n",
            self.time.to_rfc3339_opts(SecondsFormat::Secs, true),
            self.source,
            self.location,
            self.target,
            self.action,
            outcome
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_line_names_time_target_action_and_result_on_one_line() {
        let entry = JournalEntry {
            time: Utc
                .with_ymd_and_hms(2026, 11, 22, 8, 0, 0)
                .single()
                .expect("time"),
            source: "docker",
            location: "unix:///var/run/docker.sock".into(),
            target: "container web".into(),
            action: "restart".into(),
            result: Err("conflict\nsecond line".into()),
        };
        assert_eq!(
            entry.line(),
            "2026-11-22T08:00:00Z  docker  unix:///var/run/docker.sock  container web  restart  FAILED: conflict second line\n"
        );
    }
}
