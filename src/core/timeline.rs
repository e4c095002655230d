//! "What changed?": one list of time across every source. Entries are
//! plain data derived from what the sources already send (see
//! `timeline_feed`), kept in time order, bounded, and indexed so that the
//! links between them (`timeline_link`) are found by lookup, not by scan.
//! No clock and no I/O here: times come from the data or the message, and
//! the on-disk store lives outside the core.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::source::SourceKind;
use super::triage::item::Target;

/// How many entries are kept in memory unless `[timeline] max_entries` says otherwise.
pub const DEFAULT_MAX_ENTRIES: usize = 100_000;

/// What kind of change an entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    RunStarted,
    RunFinished,
    /// A Deployment's new ReplicaSet (revision), with its image.
    Rollout,
    /// A Deployment's replica count changed without a new revision.
    Scale,
    PodRestart,
    OomKill,
    Warning,
    ContainerCreate,
    ContainerStart,
    ContainerDie,
    ContainerOom,
    Health,
    ImagePull,
}

impl Change {
    /// The short word in the KIND column and the `kind:` filter.
    pub fn word(self) -> &'static str {
        match self {
            Change::RunStarted => "run started",
            Change::RunFinished => "run finished",
            Change::Rollout => "rollout",
            Change::Scale => "scale",
            Change::PodRestart => "restart",
            Change::OomKill => "OOM kill",
            Change::Warning => "warning",
            Change::ContainerCreate => "create",
            Change::ContainerStart => "start",
            Change::ContainerDie => "die",
            Change::ContainerOom => "OOM",
            Change::Health => "health",
            Change::ImagePull => "image pull",
        }
    }
}

/// One thing that changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub at: DateTime<Utc>,
    pub source: SourceKind,
    pub change: Change,
    /// Repository, context/namespace, or engine.
    #[serde(rename = "where")]
    pub place: String,
    pub what: String,
    pub reason: String,
    /// Stable identity: the same fact seen again (a re-list, a restart of
    /// opsdeck reading the same runs) is not a second entry.
    pub id: String,
    /// Something broke (a failed run, a crash, an OOM kill, a warning).
    #[serde(default)]
    pub bad: bool,
    /// A deploy or release workflow's run.
    #[serde(default)]
    pub deploy: bool,
    /// The commit: a run's head SHA, an image's revision label or SHA tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// `context/namespace/name` of the Deployment a Kubernetes entry is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workload: Option<String>,
    /// Where `Enter` and `l` go.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Target>,
}

impl Entry {
    /// A change in the narrow sense of the "only changes" filter: what
    /// someone did (rollouts, scale, deploy runs, image pulls), as opposed
    /// to what happened to the result.
    pub fn is_change(&self) -> bool {
        match self.change {
            Change::Rollout | Change::Scale | Change::ImagePull => true,
            Change::RunStarted | Change::RunFinished => self.deploy,
            _ => false,
        }
    }
}

impl Entry {
    /// WHAT naming where it happened, for a screen too narrow for the
    /// WHERE column: a run's repository (`acme/web CI #20`), a Kubernetes
    /// object's namespace (`pod shop/web-7c9f-x2x4q (app)`), and with
    /// several engines a Docker object's engine (`container web on prod`).
    /// A single engine is no news, so `engines` says whether to name it.
    pub fn what_with_place(&self, engines: bool) -> String {
        match self.source {
            SourceKind::GitHub => format!("{} {}", self.place, self.what),
            SourceKind::Kubernetes => {
                // `context/namespace`: a context may hold a '/' (an EKS
                // ARN), a namespace never does.
                let ns = self.place.rsplit('/').next().unwrap_or(&self.place);
                match self.what.split_once(' ') {
                    Some((kind, rest)) if !ns.is_empty() => format!("{kind} {ns}/{rest}"),
                    _ => self.what.clone(),
                }
            }
            SourceKind::Docker if engines => format!("{} on {}", self.what, self.place),
            SourceKind::Docker => self.what.clone(),
        }
    }
}

/// Which entries the view shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SourceFilter {
    #[default]
    All,
    Only(SourceKind),
}

impl SourceFilter {
    /// All → GitHub → Kubernetes → Docker → All.
    pub fn next(self) -> SourceFilter {
        match self {
            SourceFilter::All => SourceFilter::Only(SourceKind::GitHub),
            SourceFilter::Only(SourceKind::GitHub) => SourceFilter::Only(SourceKind::Kubernetes),
            SourceFilter::Only(SourceKind::Kubernetes) => SourceFilter::Only(SourceKind::Docker),
            SourceFilter::Only(SourceKind::Docker) => SourceFilter::All,
        }
    }

    pub fn admits(self, source: SourceKind) -> bool {
        match self {
            SourceFilter::All => true,
            SourceFilter::Only(s) => s == source,
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            SourceFilter::All => "all sources",
            SourceFilter::Only(s) => s.label(),
        }
    }
}

/// An entry's place in time order: its time, then the order it arrived in.
pub type Seq = u64;
type Slot = (DateTime<Utc>, Seq);

/// The entries, oldest evicted first past `max`.
#[derive(Debug, Clone)]
pub struct Timeline {
    /// Shared with the store's writer while it writes them: handing a
    /// burst's entries over costs no copy. Keyed by our own counter, so
    /// the quicker Fx hash is safe here (no outside input picks the keys).
    entries: FxHashMap<Seq, Arc<Entry>>,
    order: BTreeSet<Slot>,
    ids: HashMap<String, Seq>,
    /// Runs by the first 7 digits of their head SHA (a link's lookup).
    pub(super) runs_by_sha: HashMap<String, Vec<Seq>>,
    /// Rollouts of each workload, by time.
    pub(super) rollouts: HashMap<String, BTreeMap<Slot, ()>>,
    next_seq: Seq,
    max: usize,
    /// Entries added since the store last took them.
    unsaved: Vec<Seq>,
    /// What came and went since the view last followed; `news_tell`
    /// false when that no longer tells the view enough (an entry older
    /// than the newest came, or more than the bound while no view
    /// followed). Cleared, not replaced: its room is reused, so a burst
    /// does not grow it again in the middle of its frees (which makes
    /// the allocator sweep them all).
    news: News,
    news_tell: bool,
}

/// Entries added, in the order they came, each newer than all before
/// it; entries evicted meanwhile.
#[derive(Debug, Clone, Default)]
pub struct News {
    pub added: Vec<Seq>,
    pub evicted: FxHashSet<Seq>,
}

impl Default for Timeline {
    fn default() -> Self {
        Timeline::new(DEFAULT_MAX_ENTRIES)
    }
}

impl Timeline {
    pub fn new(max: usize) -> Timeline {
        Timeline {
            entries: FxHashMap::default(),
            order: BTreeSet::new(),
            ids: HashMap::new(),
            runs_by_sha: HashMap::new(),
            rollouts: HashMap::new(),
            next_seq: 1,
            max: max.max(1),
            unsaved: Vec::new(),
            news: News::default(),
            news_tell: true,
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn max(&self) -> usize {
        self.max
    }

    pub fn get(&self, seq: Seq) -> Option<&Entry> {
        self.entries.get(&seq).map(Arc::as_ref)
    }

    pub fn contains(&self, id: &str) -> bool {
        self.ids.contains_key(id)
    }

    /// Adds an entry unless one with its id is known; returns whether it was
    /// new. Past the bound the oldest entry goes (an entry older than all
    /// kept ones when full is not added at all).
    pub fn insert(&mut self, entry: Entry) -> bool {
        self.insert_as(entry, true)
    }

    /// `insert`, saying where the new entry went.
    pub fn insert_seq(&mut self, entry: Entry) -> Option<Seq> {
        let next = self.next_seq;
        self.insert_as(entry, true).then_some(next)
    }

    /// Entries read back from the store: known, not to be saved again.
    pub fn load(&mut self, entries: impl IntoIterator<Item = Entry>) -> usize {
        entries
            .into_iter()
            .filter(|e| self.insert_as(e.clone(), false))
            .count()
    }

    fn insert_as(&mut self, entry: Entry, unsaved: bool) -> bool {
        if let Some(&known) = self.ids.get(&entry.id) {
            // The same fact again; a later copy may know its workload
            // when the first did not (see `set_workload`).
            if let (Some(w), Some(e)) = (entry.workload, self.entries.get_mut(&known))
                && e.workload.is_none()
            {
                Arc::make_mut(e).workload = Some(w);
                if unsaved {
                    self.unsaved.push(known);
                }
            }
            return false;
        }
        if self.entries.len() >= self.max {
            match self.order.first() {
                Some(&(oldest, _)) if entry.at <= oldest => return false,
                Some(&slot) => self.evict(slot),
                None => {}
            }
        }
        let seq = self.next_seq;
        self.next_seq += 1;
        let slot = (entry.at, seq);
        let behind = self.order.last().is_some_and(|newest| slot < *newest);
        if behind || self.news.added.len() >= self.max {
            self.news_tell = false;
        } else if self.news_tell {
            self.news.added.push(seq);
        }
        if let (Change::RunStarted | Change::RunFinished, Some(sha)) =
            (entry.change, entry.commit.as_deref())
            && let Some(prefix) = sha.get(..7)
        {
            self.runs_by_sha
                .entry(prefix.to_ascii_lowercase())
                .or_default()
                .push(seq);
        }
        if let (Change::Rollout, Some(w)) = (entry.change, entry.workload.as_deref()) {
            self.rollouts
                .entry(w.to_string())
                .or_default()
                .insert(slot, ());
        }
        self.ids.insert(entry.id.clone(), seq);
        self.order.insert(slot);
        self.entries.insert(seq, Arc::new(entry));
        if unsaved {
            self.unsaved.push(seq);
        }
        true
    }

    fn evict(&mut self, slot: Slot) {
        self.order.remove(&slot);
        if self.news_tell {
            self.news.evicted.insert(slot.1);
        }
        let Some(entry) = self.entries.remove(&slot.1) else {
            return;
        };
        self.ids.remove(&entry.id);
        if let (Change::RunStarted | Change::RunFinished, Some(prefix)) = (
            entry.change,
            entry.commit.as_deref().and_then(|s| s.get(..7)),
        ) && let Some(runs) = self.runs_by_sha.get_mut(&prefix.to_ascii_lowercase())
        {
            runs.retain(|s| *s != slot.1);
            if runs.is_empty() {
                self.runs_by_sha.remove(&prefix.to_ascii_lowercase());
            }
        }
        if let Some(w) = entry.workload.as_deref()
            && let Some(r) = self.rollouts.get_mut(w)
        {
            r.remove(&slot);
            if r.is_empty() {
                self.rollouts.remove(w);
            }
        }
    }

    /// Newest first.
    pub fn newest_first(&self) -> impl Iterator<Item = (Seq, &Entry)> {
        self.order
            .iter()
            .rev()
            .filter_map(|(_, seq)| self.entries.get(seq).map(|e| (*seq, e.as_ref())))
    }

    /// Entries at or after `since`, newest first.
    pub fn since(&self, since: DateTime<Utc>) -> impl Iterator<Item = (Seq, &Entry)> {
        self.order
            .range((since, 0)..)
            .rev()
            .filter_map(|(_, seq)| self.entries.get(seq).map(|e| (*seq, e.as_ref())))
    }

    /// Entries from `from` up to and including `to`, newest first.
    pub fn between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> impl Iterator<Item = (Seq, &Entry)> {
        self.order
            .range((from, 0)..=(to, Seq::MAX))
            .rev()
            .filter_map(|(_, seq)| self.entries.get(seq).map(|e| (*seq, e.as_ref())))
    }

    /// The entries added since the last call, for the store, oldest first.
    pub fn take_unsaved(&mut self) -> Vec<Arc<Entry>> {
        let mut out: Vec<Arc<Entry>> = self
            .unsaved
            .drain(..)
            .filter_map(|s| self.entries.get(&s).cloned())
            .collect();
        out.sort_by_key(|e| e.at);
        out
    }

    /// Names the Deployment of an entry made before it was known (a pod
    /// listed before its ReplicaSets); the entry is saved again, and the
    /// store's later copy fills in the first when read back.
    pub fn set_workload(&mut self, seq: Seq, workload: String) {
        if let Some(e) = self.entries.get_mut(&seq)
            && e.workload.is_none()
        {
            Arc::make_mut(e).workload = Some(workload);
            self.unsaved.push(seq);
        }
    }

    /// What came and went since the last `clear_news` (see [`News`]).
    pub fn news(&self) -> Option<&News> {
        self.news_tell.then_some(&self.news)
    }

    pub fn clear_news(&mut self) {
        self.news.added.clear();
        self.news.evicted.clear();
        self.news_tell = true;
    }

    pub fn has_unsaved(&self) -> bool {
        !self.unsaved.is_empty()
    }
}

#[cfg(test)]
#[path = "timeline_tests.rs"]
mod tests;
