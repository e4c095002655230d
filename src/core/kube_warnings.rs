//! Warning events of every watched context, kept for the Overview: a
//! FailedScheduling, FailedMount or a node's NotReady often says what is
//! wrong before any pod's STATUS does. The source watches only
//! `type=Warning` events, always (not only while `:ev` is open), beside
//! the pods; here they are kept for an hour at most and 2,000 at most,
//! newest kept, since a cluster in trouble writes many.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};

/// Warning events seen within this window are on the Overview.
pub const RECENT: Duration = Duration::from_secs(10 * 60);
/// Older ones are forgotten (a real API server keeps events for an hour).
const KEEP: Duration = Duration::from_secs(60 * 60);
/// The most kept at once.
const MAX_KEPT: usize = 2_000;

/// One Warning event, as much as the Overview needs of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarningEvent {
    /// The event object's own namespace and name (its identity).
    pub namespace: String,
    pub name: String,
    /// The object it is about: `Pod`, `Node`, `PersistentVolumeClaim`...
    pub object_kind: String,
    pub object_namespace: String,
    pub object_name: String,
    pub reason: String,
    pub message: String,
    pub count: u32,
    pub last_seen: Option<DateTime<Utc>>,
}

/// Context, the event's namespace, the event's name.
pub type WarningKey = (String, String, String);

#[derive(Debug, Default)]
pub struct Warnings {
    by_key: BTreeMap<WarningKey, WarningEvent>,
}

impl Warnings {
    /// A context's whole list (after a (re)list): its earlier ones go.
    pub fn replace_context(
        &mut self,
        context: &str,
        events: Vec<WarningEvent>,
        now: DateTime<Utc>,
    ) {
        self.by_key.retain(|k, _| k.0 != context);
        self.apply(context, events, Vec::new(), now);
    }

    pub fn apply(
        &mut self,
        context: &str,
        upserts: Vec<WarningEvent>,
        deleted: Vec<(String, String)>,
        now: DateTime<Utc>,
    ) {
        for (namespace, name) in deleted {
            self.by_key.remove(&(context.to_string(), namespace, name));
        }
        for e in upserts {
            let key = (context.to_string(), e.namespace.clone(), e.name.clone());
            self.by_key.insert(key, e);
        }
        self.forget_old(now);
    }

    /// Contexts no longer watched take their warnings with them.
    pub fn retain_contexts(&mut self, keep: impl Fn(&str) -> bool) {
        self.by_key.retain(|k, _| keep(&k.0));
    }

    /// Every kept warning with its context.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &WarningEvent)> {
        self.by_key.iter().map(|(k, e)| (k.0.as_str(), e))
    }

    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }

    fn forget_old(&mut self, now: DateTime<Utc>) {
        let keep = chrono::Duration::from_std(KEEP).unwrap_or(chrono::Duration::MAX);
        self.by_key
            .retain(|_, e| e.last_seen.is_none_or(|t| now - t <= keep));
        if self.by_key.len() > MAX_KEPT {
            let mut times: Vec<Option<DateTime<Utc>>> =
                self.by_key.values().map(|e| e.last_seen).collect();
            times.sort_unstable_by(|a, b| b.cmp(a));
            let cut = times[MAX_KEPT - 1];
            self.by_key.retain(|_, e| e.last_seen >= cut);
            // Ties at the cut may leave a few over; drop those arbitrarily.
            while self.by_key.len() > MAX_KEPT {
                let Some(k) = self
                    .by_key
                    .iter()
                    .find(|(_, e)| e.last_seen == cut)
                    .map(|(k, _)| k.clone())
                else {
                    break;
                };
                self.by_key.remove(&k);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(min: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 7, 12, 0, 0)
            .single()
            .unwrap_or_default()
            + chrono::Duration::minutes(min)
    }

    fn ev(name: &str, seen: i64) -> WarningEvent {
        WarningEvent {
            namespace: "shop".into(),
            name: name.into(),
            object_kind: "Pod".into(),
            object_namespace: "shop".into(),
            object_name: "web-1".into(),
            reason: "FailedMount".into(),
            message: "volume not found".into(),
            count: 1,
            last_seen: Some(at(seen)),
        }
    }

    #[test]
    fn a_relist_replaces_only_its_context() {
        let mut w = Warnings::default();
        w.apply("a", vec![ev("x", 0)], Vec::new(), at(0));
        w.apply("b", vec![ev("y", 0)], Vec::new(), at(0));
        w.replace_context("a", vec![ev("z", 1)], at(1));
        let names: Vec<(&str, &str)> = w.iter().map(|(c, e)| (c, e.name.as_str())).collect();
        assert_eq!(names, [("a", "z"), ("b", "y")]);
    }

    #[test]
    fn deleted_and_hour_old_events_go() {
        let mut w = Warnings::default();
        w.apply("a", vec![ev("old", 0), ev("new", 50)], Vec::new(), at(50));
        assert_eq!(w.len(), 2);
        w.apply("a", Vec::new(), Vec::new(), at(61));
        assert_eq!(
            w.iter().map(|(_, e)| e.name.as_str()).collect::<Vec<_>>(),
            ["new"]
        );
        w.apply("a", Vec::new(), vec![("shop".into(), "new".into())], at(61));
        assert!(w.is_empty());
    }

    #[test]
    fn a_flood_keeps_the_newest_two_thousand() {
        let mut w = Warnings::default();
        let flood: Vec<WarningEvent> = (0..2_500)
            .map(|i| {
                let mut e = ev(&format!("e{i:05}"), 0);
                e.last_seen = Some(at(0) + chrono::Duration::seconds(i));
                e
            })
            .collect();
        w.apply("a", flood, Vec::new(), at(59));
        assert_eq!(w.len(), MAX_KEPT);
        assert!(w.iter().all(|(_, e)| e.name.as_str() >= "e00500"));
    }
}
