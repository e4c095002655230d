//! One list for every simple Kubernetes kind (`:sts`, `:svc`, `:ev`, ...):
//! a kind is described by a [`KindSpec`] (its words, palette names,
//! kubectl's columns) and its objects arrive as [`KindRow`]s of typed
//! cells, so the view, its sort, filter and drawing are written once.
//!
//! The specs are plain data in `core::kube_kinds`; each kind's converter
//! and watcher live in `sources::kube::kinds` (one file and one table line
//! there), which the core never imports.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::action::Action;
use super::docker::Severity;
use super::filter::Fields;
use super::ids::StreamId;
use super::kube::{OwnerRef, PodKey};
use super::list::{Direction, ListState, RowSpec, SortColumn};

/// One column after NAMESPACE and NAME, as `kubectl get` heads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColSpec {
    pub header: &'static str,
    /// Narrowest and widest it is drawn (equal for fixed widths).
    pub min: u16,
    pub max: u16,
    /// Higher stays longer on a narrow screen (the name is 255).
    pub priority: u8,
}

impl ColSpec {
    pub const fn new(header: &'static str, min: u16, max: u16, priority: u8) -> ColSpec {
        ColSpec {
            header,
            min,
            max,
            priority,
        }
    }
}

/// What a kind is: enough for the palette, the view and the source.
#[derive(Debug, PartialEq, Eq)]
pub struct KindSpec {
    /// The API's kind (`StatefulSet`), as owner references and events name it.
    pub kind: &'static str,
    /// Lower-case plural, the view's title and count word (`statefulsets`).
    pub plural: &'static str,
    /// What `:` accepts: kubectl's short name, singular and plural.
    pub aliases: &'static [&'static str],
    /// Namespaced kinds follow `:ns`; cluster kinds (nodes) do not.
    pub namespaced: bool,
    /// kubectl prints no NAME for events (their names are generated).
    pub shows_name: bool,
    pub columns: &'static [ColSpec],
    /// The sort it opens with: 0 by name, `n` by column `n - 1`.
    pub first_sort: u8,
    /// What its rows can be asked to do (kubectl's verbs for the kind);
    /// the keys and the footer's hints follow this list.
    pub actions: &'static [KindAction],
}

impl KindSpec {
    /// The action of this kind's rows that `key` asks for, if it offers one.
    pub fn action_for(&self, key: Action) -> Option<KindAction> {
        self.actions.iter().copied().find(|a| a.key().0 == key)
    }
}

/// A change a kind's row can be asked for, as kubectl offers it per kind
/// (`kubectl rollout restart` takes deployments, statefulsets and
/// daemonsets; `kubectl scale` deployments and statefulsets).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindAction {
    RolloutRestart,
    Scale,
}

impl KindAction {
    /// The key that asks for it and the footer's word for it.
    pub fn key(self) -> (Action, &'static str) {
        match self {
            KindAction::RolloutRestart => (Action::RolloutRestart, "rollout restart"),
            KindAction::Scale => (Action::Scale, "scale"),
        }
    }
}

/// A cell, typed so the sort reads numbers and times as such.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    /// Sorted largest first.
    Count(i64),
    /// `ready/wanted`, sorted by most missing first.
    Ratio(u32, u32),
    /// Drawn as kubectl's age at the frame's clock; newest first. `None`
    /// prints kubectl's `<unknown>`.
    Age(Option<DateTime<Utc>>),
    /// A finished span (a job's DURATION), in kubectl's age words; longest first.
    Span(DateTime<Utc>, DateTime<Utc>),
    /// CPU in millicores from the metrics API (`kube_metrics`), filled in
    /// by `update` as figures arrive; largest first, none last.
    Cpu(Option<u64>),
    /// Memory in bytes, the same way.
    Memory(Option<u64>),
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    /// `None` as kubectl's `<none>`.
    pub fn or_none(s: Option<String>) -> Cell {
        Cell::Text(
            s.filter(|s| !s.is_empty())
                .unwrap_or_else(|| "<none>".into()),
        )
    }

    fn order(&self, other: &Cell) -> Ordering {
        match (self, other) {
            (Cell::Text(a), Cell::Text(b)) => a.cmp(b),
            (Cell::Count(a), Cell::Count(b)) => b.cmp(a),
            (Cell::Ratio(ra, wa), Cell::Ratio(rb, wb)) => {
                let missing = |r: u32, w: u32| w.saturating_sub(r);
                missing(*rb, *wb).cmp(&missing(*ra, *wa))
            }
            // Unknown times last.
            (Cell::Age(a), Cell::Age(b)) => match (a, b) {
                (Some(a), Some(b)) => b.cmp(a),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            },
            (Cell::Span(a0, a1), Cell::Span(b0, b1)) => (*b1 - *b0).cmp(&(*a1 - *a0)),
            (Cell::Cpu(a), Cell::Cpu(b)) | (Cell::Memory(a), Cell::Memory(b)) => match (a, b) {
                (Some(a), Some(b)) => b.cmp(a),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            },
            _ => Ordering::Equal,
        }
    }
}

/// What `Enter` on a row opens.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Link {
    #[default]
    Nothing,
    /// The pods whose controller reference names this owner.
    Pods(OwnerRef),
    /// Switch to this namespace (a row of `:ns`).
    Namespace(String),
    /// The objects of kind `kind` this row's object controls (a
    /// CronJob's Jobs), in the view of that kind.
    Owned { kind: &'static str, owner: OwnerRef },
    /// An event's involved object: its kind, namespace and name.
    Object {
        kind: String,
        namespace: String,
        name: String,
    },
}

/// One object as `kubectl get` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindRow {
    /// Context, namespace (empty for cluster kinds) and name.
    pub key: PodKey,
    /// One per `KindSpec::columns`, in order.
    pub cells: Vec<Cell>,
    pub severity: Severity,
    pub link: Link,
    /// Only events: a `Warning` (the warnings-only toggle keeps these).
    pub warning: bool,
    /// Its controller (a Job's CronJob), for `Enter` on the owner.
    pub owner: Option<OwnerRef>,
}

impl KindRow {
    /// The replicas a workload wants: READY's denominator (`spec.replicas`
    /// for deployments and statefulsets), the count a scale starts from.
    pub fn wanted(&self) -> Option<u32> {
        self.cells.iter().find_map(|c| match c {
            Cell::Ratio(_, wanted) => Some(*wanted),
            _ => None,
        })
    }
}

/// The sort: 0 by name, `n` by the kind's column `n - 1`. The view cycles
/// it through its own columns ([`KindView::cycle_sort`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct KindSort(pub u8);

impl SortColumn for KindSort {
    fn next(self) -> Self {
        KindSort(self.0.wrapping_add(1))
    }

    /// The pane draws the column's own header instead.
    fn label(self) -> &'static str {
        "column"
    }
}

struct KindRows;

impl RowSpec<KindRow> for KindRows {
    type Key = PodKey;
    type Sort = KindSort;

    fn key(&self, r: &KindRow) -> PodKey {
        r.key.clone()
    }

    fn fields(&self, r: &KindRow, out: &mut Fields) {
        out.name(&r.key.name);
        out.field(&["namespace", "ns"], &r.key.namespace);
        out.field(&["context", "ctx"], &r.key.context);
        for c in &r.cells {
            if let Cell::Text(t) = c {
                out.field(&["text"], t);
            }
        }
    }

    fn compare(&self, a: &KindRow, b: &KindRow, sort: KindSort) -> Ordering {
        let by_key = || a.key.cmp(&b.key);
        let column = usize::from(sort.0).checked_sub(1);
        match column.and_then(|i| Some((a.cells.get(i)?, b.cells.get(i)?))) {
            Some((x, y)) => x.order(y).then_with(by_key),
            None => by_key(),
        }
    }
}

/// What a kind's watcher tells `update` (inside `KubeEvent::Kind`).
#[derive(Debug, Clone, PartialEq)]
pub enum KindEvent {
    /// A (re)list of one context, or of one namespace of it (a set of
    /// namespaces is watched one by one): replaces those rows.
    Snapshot {
        context: String,
        namespace: Option<String>,
        rows: Vec<KindRow>,
    },
    Changes {
        upserts: Vec<KindRow>,
        deleted: Vec<PodKey>,
    },
    /// The watch failed (it retries by itself); shown in the footer.
    Failed { context: String, error: String },
}

/// The open view of one kind.
#[derive(Debug, Clone)]
pub struct KindView {
    pub spec: &'static KindSpec,
    /// The watch this view started; messages of older ones are dropped.
    pub request: StreamId,
    pub rows: BTreeMap<PodKey, KindRow>,
    pub list: ListState<PodKey, KindSort>,
    /// Contexts whose first list arrived.
    pub loaded: Vec<String>,
    pub error: Option<String>,
    /// `Enter` on a workload: the pods list shows its pods; `Esc` comes back.
    pub pods_of: Option<(PodKey, OwnerRef)>,
    /// Events only: show warnings alone (`W`).
    pub warnings_only: bool,
    /// A row to select when it arrives (`Enter` on an event opened this view).
    pub select_when_listed: Option<PodKey>,
    /// Only the rows this owner controls (`Enter` on a CronJob: its Jobs),
    /// with the owner's row and kind to go back to on `Esc`.
    pub owned_by: Option<OwnedBy>,
}

/// The owner a view is narrowed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedBy {
    pub parent: PodKey,
    pub parent_spec: &'static KindSpec,
    pub owner: OwnerRef,
}

impl KindView {
    pub fn new(spec: &'static KindSpec, request: StreamId) -> KindView {
        let mut list = ListState::default();
        list.set_sort(KindSort(spec.first_sort), Direction::Natural);
        KindView {
            spec,
            request,
            rows: BTreeMap::new(),
            list,
            loaded: Vec::new(),
            error: None,
            pods_of: None,
            warnings_only: false,
            select_when_listed: None,
            owned_by: None,
        }
    }

    pub fn selected(&self) -> Option<&KindRow> {
        self.list.selected().and_then(|k| self.rows.get(k))
    }

    /// Shows the list (not a workload's pods).
    pub fn listing(&self) -> bool {
        self.pods_of.is_none()
    }

    /// The header of the sort column, for the title.
    pub fn sort_label(&self) -> String {
        let i = usize::from(self.list.sort().0);
        let name = match i.checked_sub(1) {
            Some(c) => self.spec.columns.get(c).map_or("name", |c| c.header),
            None => "name",
        };
        name.to_lowercase()
    }

    /// Name, then each column of the kind, then name again.
    pub fn cycle_sort(&mut self) {
        let next = (usize::from(self.list.sort().0) + 1) % (self.spec.columns.len() + 1);
        let next = u8::try_from(next).unwrap_or(0);
        self.list.set_sort(KindSort(next), Direction::Natural);
        self.rebuild_order();
    }

    pub fn apply(&mut self, ev: KindEvent) {
        match ev {
            KindEvent::Snapshot {
                context,
                namespace,
                rows,
            } => {
                self.rows.retain(|k, _| {
                    *k.context != *context
                        || namespace.as_deref().is_some_and(|ns| *k.namespace != *ns)
                });
                self.rows
                    .extend(rows.into_iter().map(|r| (r.key.clone(), r)));
                if !self.loaded.contains(&context) {
                    self.loaded.push(context);
                }
                self.error = None;
            }
            KindEvent::Changes { upserts, deleted } => {
                for k in &deleted {
                    self.rows.remove(k);
                }
                self.rows
                    .extend(upserts.into_iter().map(|r| (r.key.clone(), r)));
                self.error = None;
            }
            KindEvent::Failed { context, error } => {
                self.error = Some(format!("{context}: {error}"));
            }
        }
        self.rebuild_order();
    }

    pub fn rebuild_order(&mut self) {
        let spec = KindRows;
        let only_warnings = self.warnings_only;
        let owned_by = self.owned_by.as_ref();
        let shown = self
            .rows
            .values()
            .filter(|r| !only_warnings || r.warning)
            .filter(|r| {
                owned_by.is_none_or(|o| {
                    r.owner.as_ref() == Some(&o.owner)
                        && r.key.context == o.parent.context
                        && r.key.namespace == o.parent.namespace
                })
            });
        self.list.rebuild(shown, &spec);
        if let Some(key) = self.select_when_listed.take()
            && !self.list.select(&key)
        {
            self.select_when_listed = Some(key);
        }
    }
}

#[cfg(test)]
#[path = "kube_kind_tests.rs"]
mod tests;
