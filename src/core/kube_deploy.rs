//! Kubernetes Deployments as a list (`:deploy`), like `kubectl get
//! deployments`: the rows, their filter and sort, and the view's state.
//! The view's watcher runs only while the view is open.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::filter::Fields;
use super::ids::StreamId;
use super::kube::PodKey;
use super::list::{ListState, RowSpec, SortColumn};

/// A deployment's identity: context, namespace, name (a pod's key shape).
pub type DeployKey = PodKey;

/// One deployment as `kubectl get deployments` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeployRow {
    pub key: DeployKey,
    /// `spec.replicas` (kubectl's READY denominator).
    pub desired: u32,
    /// `status.readyReplicas`.
    pub ready: u32,
    /// `status.updatedReplicas` (UP-TO-DATE).
    pub updated: u32,
    /// `status.availableReplicas` (AVAILABLE).
    pub available: u32,
    pub created: Option<DateTime<Utc>>,
}

impl DeployRow {
    /// READY as kubectl prints it: `2/3`.
    pub fn ready_text(&self) -> String {
        format!("{}/{}", self.ready, self.desired)
    }

    /// Fewer ready pods than wanted: a rollout or an outage.
    pub fn short(&self) -> bool {
        self.ready < self.desired
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DeploySort {
    /// Context, namespace, name.
    #[default]
    Name,
    /// Most missing ready pods first.
    Ready,
    /// Newest first.
    Age,
}

impl SortColumn for DeploySort {
    fn next(self) -> Self {
        match self {
            Self::Name => Self::Ready,
            Self::Ready => Self::Age,
            Self::Age => Self::Name,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Ready => "ready",
            Self::Age => "age",
        }
    }
}

pub struct DeployRows;

impl RowSpec<DeployRow> for DeployRows {
    type Key = DeployKey;
    type Sort = DeploySort;

    fn key(&self, d: &DeployRow) -> DeployKey {
        d.key.clone()
    }

    fn fields(&self, d: &DeployRow, out: &mut Fields) {
        out.name(&d.key.name);
        out.field(&["namespace", "ns"], &d.key.namespace);
        out.field(&["context", "ctx"], &d.key.context);
    }

    fn compare(&self, a: &DeployRow, b: &DeployRow, sort: DeploySort) -> Ordering {
        let by_key = || a.key.cmp(&b.key);
        let missing = |d: &DeployRow| d.desired.saturating_sub(d.ready);
        match sort {
            DeploySort::Name => by_key(),
            DeploySort::Ready => missing(b).cmp(&missing(a)).then_with(by_key),
            DeploySort::Age => b.created.cmp(&a.created).then_with(by_key),
        }
    }
}

/// What the deployments' watcher tells `update` (inside `KubeEvent::Deployments`).
#[derive(Debug, Clone, PartialEq)]
pub enum DeployEvent {
    /// A (re)list of one context, or of one namespace of a set: replaces
    /// those rows.
    Snapshot {
        context: String,
        namespace: Option<String>,
        rows: Vec<DeployRow>,
    },
    Changes {
        upserts: Vec<DeployRow>,
        deleted: Vec<DeployKey>,
    },
    /// The watch failed (it retries by itself); shown in the footer.
    Failed { context: String, error: String },
}

/// The open Deployments view.
#[derive(Debug, Clone, Default)]
pub struct DeployView {
    /// The watch this view started; messages of older ones are dropped.
    pub request: StreamId,
    pub rows: BTreeMap<DeployKey, DeployRow>,
    pub list: ListState<DeployKey, DeploySort>,
    /// Contexts whose first list arrived.
    pub loaded: Vec<String>,
    pub error: Option<String>,
    /// `Enter` on a deployment: the pods list shows its pods; `Esc` comes back.
    pub pods_of: Option<DeployKey>,
}

impl DeployView {
    pub fn new(request: StreamId) -> DeployView {
        DeployView {
            request,
            ..DeployView::default()
        }
    }

    pub fn selected(&self) -> Option<&DeployRow> {
        self.list.selected().and_then(|k| self.rows.get(k))
    }

    /// Shows the list (not a deployment's pods).
    pub fn listing(&self) -> bool {
        self.pods_of.is_none()
    }

    pub fn apply(&mut self, ev: DeployEvent) {
        match ev {
            DeployEvent::Snapshot {
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
            DeployEvent::Changes { upserts, deleted } => {
                for k in &deleted {
                    self.rows.remove(k);
                }
                self.rows
                    .extend(upserts.into_iter().map(|r| (r.key.clone(), r)));
                self.error = None;
            }
            DeployEvent::Failed { context, error } => {
                self.error = Some(format!("{context}: {error}"));
            }
        }
        self.rebuild_order();
    }

    pub fn rebuild_order(&mut self) {
        self.list.rebuild(self.rows.values(), &DeployRows);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, desired: u32, ready: u32) -> DeployRow {
        DeployRow {
            key: PodKey::new("c", "ns", name),
            desired,
            ready,
            updated: ready,
            available: ready,
            created: None,
        }
    }

    #[test]
    fn changes_update_rows_and_ready_sort_puts_the_shortest_first() {
        let mut v = DeployView::new(1);
        v.apply(DeployEvent::Snapshot {
            context: "c".into(),
            namespace: None,
            rows: vec![row("a", 2, 2), row("b", 3, 1)],
        });
        assert_eq!(v.list.len(), 2);
        v.list.set_sort(DeploySort::Ready, Default::default());
        v.apply(DeployEvent::Changes {
            upserts: vec![row("a", 5, 1)],
            deleted: vec![],
        });
        let names: Vec<&str> = v.list.order().iter().map(|k| &*k.name).collect();
        assert_eq!(names, ["a", "b"]);
        assert_eq!(v.rows[&PodKey::new("c", "ns", "a")].ready_text(), "1/5");
        v.list.set_filter("b");
        v.rebuild_order();
        assert_eq!(v.list.order().len(), 1);
    }
}
