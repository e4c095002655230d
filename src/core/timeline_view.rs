//! The timeline's state in the app: the entries, the view over them (one
//! `ListState` and a `RowSpec`, as every list), its filters, and what the
//! feed remembers between messages to tell a change from a repeat.

use std::cmp::Ordering;
use std::collections::HashMap;

use super::filter::Fields;
use super::list::{ListState, RowSpec};
use super::timeline::{Entry, Seq, SourceFilter, Timeline};

/// Context, namespace, ReplicaSet name.
pub type ReplicaSetKey = (String, String, String);

/// The Overview's timeline view (`T`, `:timeline`).
#[derive(Debug, Clone, Default)]
pub struct TimelineState {
    pub entries: Timeline,
    /// The view is on screen (in the Overview tab, instead of the triage list).
    pub open: bool,
    pub list: ListState<Seq>,
    pub sources: SourceFilter,
    /// Only what someone changed (rollouts, scale, deploy runs, pulls).
    pub changes_only: bool,
    /// Entries came since the list was last rebuilt.
    pub dirty: bool,
    /// Each ReplicaSet's last known replica count and revision, to tell a
    /// scale from a rollout.
    pub(crate) replica_sets: HashMap<ReplicaSetKey, (Option<u64>, Option<u32>)>,
    /// Each workload's images by revision, to say what a rollout changed.
    pub(crate) images: HashMap<String, std::collections::BTreeMap<u64, Vec<String>>>,
    /// Entries of pods whose Deployment was not known when they came (the
    /// pods, or their Warning events, listed before the ReplicaSets):
    /// given it once it is, oldest dropped past a bound.
    pub(crate) unowned: std::collections::VecDeque<Seq>,
}

impl TimelineState {
    pub fn with_capacity(max: usize) -> TimelineState {
        TimelineState {
            entries: Timeline::new(max),
            ..TimelineState::default()
        }
    }

    /// Rebuilds the shown order from the entries through the filters.
    pub fn rebuild(&mut self) {
        self.entries.clear_news();
        let (sources, changes_only) = (self.sources, self.changes_only);
        let rows: Vec<(Seq, &Entry)> = self
            .entries
            .newest_first()
            .filter(|(_, e)| sources.admits(e.source) && (!changes_only || e.is_change()))
            .collect();
        self.list.rebuild(&rows, &TimelineRows);
        self.dirty = false;
    }

    /// After a batch: the new entries go on top and evicted ones leave,
    /// without sorting 100,000 rows again; a full rebuild when a text
    /// filter ranks rows or an entry older than the newest came.
    pub fn follow(&mut self) {
        let entries = &self.entries;
        let Some(news) = entries.news().filter(|_| self.list.filter().is_empty()) else {
            return self.rebuild();
        };
        let (sources, changes_only) = (self.sources, self.changes_only);
        let newest: Vec<Seq> = news
            .added
            .iter()
            .rev()
            .filter(|s| {
                entries
                    .get(**s)
                    .is_some_and(|e| sources.admits(e.source) && (!changes_only || e.is_change()))
            })
            .copied()
            .collect();
        self.list.follow(newest, |s| news.evicted.contains(s));
        self.entries.clear_news();
        self.dirty = false;
    }

    /// The selected entry.
    pub fn selected(&self) -> Option<&Entry> {
        self.list.selected().and_then(|s| self.entries.get(*s))
    }

    /// The title's words for the filters in force.
    pub fn filter_words(&self) -> String {
        let mut words = self.sources.word().to_string();
        words.push_str(if self.changes_only {
            ", only changes"
        } else {
            ", everything"
        });
        words
    }
}

/// The timeline's rows for the shared list: newest first, the `/` fields.
pub struct TimelineRows;

impl<'e> RowSpec<(Seq, &'e Entry)> for TimelineRows {
    type Key = Seq;
    type Sort = ();

    fn key(&self, row: &(Seq, &'e Entry)) -> Seq {
        row.0
    }

    fn fields(&self, row: &(Seq, &'e Entry), out: &mut Fields) {
        let e = row.1;
        out.name(&e.what);
        out.field(&["source"], e.source.label());
        out.field(&["where", "repo", "ns", "ctx", "engine"], &e.place);
        out.field(&["kind"], e.change.word());
        out.field(&["reason"], &e.reason);
        if let Some(commit) = &e.commit {
            out.field(&["sha", "commit"], commit);
        }
    }

    fn compare(&self, a: &(Seq, &'e Entry), b: &(Seq, &'e Entry), _: ()) -> Ordering {
        (b.1.at, b.0).cmp(&(a.1.at, a.0))
    }
}
