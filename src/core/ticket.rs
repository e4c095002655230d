//! The ticket an action carries from its dialog to the source and back
//! (see `core::act`, the only place that makes them for the app).

use super::journal::JournalEntry;
use super::source::SourceKind;

/// What an action is, carried from the dialog to the source and back, so
/// the toast and journal line name exactly what was asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Ticket {
    pub id: u64,
    /// `None` for opsdeck's own switches (read-only from the palette).
    pub source: Option<SourceKind>,
    /// Where: the engine, `context/namespace`, or the repository.
    pub location: String,
    /// The exact object, e.g. `container shop-api-1`, `pod payments/web-1`.
    pub target: String,
    /// e.g. `restart`, `delete`, `re-run failed jobs of`.
    pub verb: String,
}

impl Ticket {
    /// For tests that drive a source directly; the app makes tickets only
    /// through [`ask`].
    pub fn new(
        id: u64,
        source: Option<SourceKind>,
        location: impl Into<String>,
        target: impl Into<String>,
        verb: impl Into<String>,
    ) -> Ticket {
        Ticket {
            id,
            source,
            location: location.into(),
            target: target.into(),
            verb: verb.into(),
        }
    }

    /// `restart container web`, as toasts say it.
    pub fn describe(&self) -> String {
        format!("{} {}", self.verb, self.target)
    }

    pub fn journal(
        &self,
        time: chrono::DateTime<chrono::Utc>,
        result: Result<(), String>,
    ) -> JournalEntry {
        JournalEntry {
            time,
            source: self.source.map_or("opsdeck", SourceKind::journal_name),
            location: self.location.clone(),
            target: self.target.clone(),
            action: self.verb.clone(),
            result,
        }
    }
}
