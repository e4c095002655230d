//! State of the Kubernetes pane: pods keyed by (context, namespace, name),
//! the derived row order (filtered, sorted) and the selection, which follows
//! the pod's key across watch events and re-lists.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::filter::Fields;
use super::ids::StreamId;
use super::kube::{
    ContextInfo, KubeScope, LogOptions, LogTarget, OwnerRef, PodEvent, PodKey, PodRow,
};
use super::kube_metrics::{Metrics, Usage};
use super::list::{ListState, RowSpec, SortColumn};
use super::loadable::Loadable;
use super::log_session::LogSession;
use super::source::SourceHealth;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KubeSort {
    /// Context, namespace, name: the map's own order.
    #[default]
    Name,
    Status,
    Restarts,
    Age,
    /// From the metrics API, largest first; pods without a figure last.
    Cpu,
    Memory,
}

impl SortColumn for KubeSort {
    fn next(self) -> Self {
        match self {
            Self::Name => Self::Status,
            Self::Status => Self::Restarts,
            Self::Restarts => Self::Age,
            Self::Age => Self::Cpu,
            Self::Cpu => Self::Memory,
            Self::Memory => Self::Name,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Status => "status",
            Self::Restarts => "restarts",
            Self::Age => "age",
            Self::Cpu => "cpu",
            Self::Memory => "memory",
        }
    }
}

/// Pods as list rows; the filter also matches the pod's workload, which
/// needs the ReplicaSet owners the pane keeps.
struct PodRows<'a> {
    rs_owners: &'a HashMap<RsKey, Option<OwnerRef>>,
    usage: &'a HashMap<PodKey, Usage>,
}

impl RowSpec<PodRow> for PodRows<'_> {
    type Key = PodKey;
    type Sort = KubeSort;

    fn key(&self, p: &PodRow) -> PodKey {
        p.key.clone()
    }

    fn fields(&self, p: &PodRow, out: &mut Fields) {
        out.name(&p.key.name);
        out.field(&["namespace", "ns"], &p.key.namespace);
        out.field(&["context", "ctx"], &p.key.context);
        out.field(&["status", "state"], &p.status);
        out.field(&["node"], p.node.as_deref().unwrap_or(""));
        let workload = workload_of(self.rs_owners, p);
        out.field(
            &["workload", "owner", "deploy"],
            workload.as_ref().map_or("", |o| o.name.as_str()),
        );
        for c in &p.containers {
            out.field(&["image"], &c.image);
            out.field(&["container"], &c.name);
        }
    }

    fn compare(&self, a: &PodRow, b: &PodRow, sort: KubeSort) -> Ordering {
        let by_key = || a.key.cmp(&b.key);
        match sort {
            KubeSort::Name => by_key(),
            KubeSort::Status => status_rank(b).cmp(&status_rank(a)).then_with(by_key),
            KubeSort::Restarts => b.restarts.cmp(&a.restarts).then_with(by_key),
            KubeSort::Age => b.created.cmp(&a.created).then_with(by_key),
            KubeSort::Cpu => self.by_usage(a, b, |u| u.cpu_milli).then_with(by_key),
            KubeSort::Memory => self.by_usage(a, b, |u| u.memory_bytes).then_with(by_key),
        }
    }
}

impl PodRows<'_> {
    /// Largest first; a pod without a figure after every pod with one.
    fn by_usage(&self, a: &PodRow, b: &PodRow, figure: fn(&Usage) -> u64) -> Ordering {
        let of = |p: &PodRow| self.usage.get(&p.key).map(figure);
        match (of(a), of(b)) {
            (Some(x), Some(y)) => y.cmp(&x),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
    }
}

/// The workload a pod belongs to: a ReplicaSet's Deployment (from the
/// ReplicaSet's own owner reference), else the pod's direct owner.
fn workload_of(rs_owners: &HashMap<RsKey, Option<OwnerRef>>, pod: &PodRow) -> Option<OwnerRef> {
    let owner = pod.owner.as_ref()?;
    if owner.kind == "ReplicaSet" {
        let key = (
            pod.key.context.clone(),
            pod.key.namespace.clone(),
            owner.name.clone(),
        );
        if let Some(Some(parent)) = rs_owners.get(&key) {
            return Some(parent.clone());
        }
    }
    Some(owner.clone())
}

/// One watched context: what it shows and how its connection is.
#[derive(Debug, Clone, PartialEq)]
pub struct ContextState {
    pub info: ContextInfo,
    pub health: SourceHealth,
    /// Its first full list has arrived.
    pub loaded: bool,
}

/// The detail view of one pod (Enter).
#[derive(Debug, Clone, PartialEq)]
pub struct PodDetail {
    pub key: PodKey,
    /// Answers to other requests are dropped.
    pub request: StreamId,
    pub events: Loadable<Vec<PodEvent>>,
}

/// What the open log view asked for, so a key can re-open it with another
/// container, `previous` or tail size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogRequest {
    pub target: LogTarget,
    pub options: LogOptions,
    /// The pod's app containers, to cycle through (empty for workloads).
    pub containers: Vec<String>,
}

/// A scale waiting for its number (the replicas input is open).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScaleTarget {
    pub context: String,
    pub namespace: String,
    /// The Deployment or StatefulSet.
    pub owner: OwnerRef,
    /// Pods of it seen now, as a hint.
    pub pods_now: usize,
}

/// A shell waiting for its container (the picker is open).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellPick {
    pub context: String,
    pub namespace: String,
    pub pod: String,
    /// The pod's running containers, in its own order.
    pub containers: Vec<String>,
}

type RsKey = (Arc<str>, Arc<str>, String);

#[derive(Debug)]
pub struct KubePane {
    pub scope: KubeScope,
    /// Every context in the kubeconfig, for `:ctx`.
    pub known_contexts: Vec<String>,
    pub contexts: BTreeMap<String, ContextState>,
    pub pods: Loadable<BTreeMap<PodKey, PodRow>>,
    /// ReplicaSet -> its controlling owner (a Deployment), per context and namespace.
    pub rs_owners: HashMap<RsKey, Option<OwnerRef>>,
    /// Pod keys in display order, the filter, sort and selection.
    pub list: ListState<PodKey, KubeSort>,
    pub detail: Option<PodDetail>,
    pub logs: Option<LogSession>,
    pub log_request: Option<LogRequest>,
    pub scale: Option<ScaleTarget>,
    pub shell_pick: Option<ShellPick>,
    /// The open view of a simple kind (`:sts`, `:ev`...), one at a time.
    pub kind: Option<super::kube_kind::KindView>,
    /// Recent Warning events of every context, for the Overview.
    pub warnings: super::kube_warnings::Warnings,
    /// Port-forwards of the session and the `:pf` view.
    pub forwards: super::port_forwards::PortForwards,
    /// CPU and memory of pods and nodes while their list is on screen.
    pub metrics: Metrics,
    /// Cordon, uncordon and drain in flight (`:no`).
    pub nodes: super::kube_node::NodeActions,
}

impl Default for KubePane {
    fn default() -> Self {
        KubePane {
            scope: KubeScope::default(),
            known_contexts: Vec::new(),
            contexts: BTreeMap::new(),
            pods: Loadable::NotLoaded,
            rs_owners: HashMap::new(),
            list: ListState::default(),
            detail: None,
            logs: None,
            log_request: None,
            scale: None,
            shell_pick: None,
            kind: None,
            warnings: Default::default(),
            forwards: Default::default(),
            metrics: Metrics::default(),
            nodes: Default::default(),
        }
    }
}

impl KubePane {
    pub fn pod(&self, key: &PodKey) -> Option<&PodRow> {
        self.pods.data().and_then(|m| m.get(key))
    }

    pub fn selected_pod(&self) -> Option<&PodRow> {
        self.list.selected().and_then(|k| self.pod(k))
    }

    /// True when every watched context has listed its pods once.
    pub fn all_loaded(&self) -> bool {
        !self.contexts.is_empty() && self.contexts.values().all(|c| c.loaded)
    }

    /// Whether `context` matches a danger pattern.
    pub fn is_danger(&self, context: &str) -> bool {
        self.contexts.get(context).is_some_and(|c| c.info.danger)
    }

    /// The workload a pod belongs to: a ReplicaSet's Deployment, else the
    /// pod's direct owner.
    pub fn workload(&self, pod: &PodRow) -> Option<OwnerRef> {
        workload_of(&self.rs_owners, pod)
    }

    /// Pods whose workload is `owner` in that context and namespace.
    pub fn pods_of(&self, context: &str, namespace: &str, owner: &OwnerRef) -> usize {
        let Some(map) = self.pods.data() else {
            return 0;
        };
        map.values()
            .filter(|p| &*p.key.context == context && &*p.key.namespace == namespace)
            .filter(|p| self.workload(p).as_ref() == Some(owner))
            .count()
    }

    /// Replaces one context's pods atomically (a watcher's initial list or
    /// re-list), keeping the other contexts' pods and the selection.
    pub fn replace_context(&mut self, context: &str, pods: Vec<PodRow>) {
        let mut map = match std::mem::take(&mut self.pods) {
            Loadable::Loaded(m) => m,
            Loadable::Loading { stale } | Loadable::Failed { stale, .. } => {
                stale.unwrap_or_default()
            }
            Loadable::NotLoaded => BTreeMap::new(),
        };
        map.retain(|k, _| &*k.context != context);
        self.pods = Loadable::Loaded(with_listed(map, pods));
        if let Some(c) = self.contexts.get_mut(context) {
            c.loaded = true;
        }
        self.rebuild_order();
    }

    /// One namespace's full list, for a context watched namespace by
    /// namespace: the other namespaces' pods stay.
    pub fn replace_namespace(&mut self, context: &str, namespace: &str, pods: Vec<PodRow>) {
        let mut map = match std::mem::take(&mut self.pods) {
            Loadable::Loaded(m) => m,
            Loadable::Loading { stale } | Loadable::Failed { stale, .. } => {
                stale.unwrap_or_default()
            }
            Loadable::NotLoaded => BTreeMap::new(),
        };
        map.retain(|k, _| !(&*k.context == context && &*k.namespace == namespace));
        self.pods = Loadable::Loaded(with_listed(map, pods));
        if let Some(c) = self.contexts.get_mut(context) {
            c.loaded = true;
        }
        self.rebuild_order();
    }

    /// Applies a batch of watch changes; the order is rebuilt only when the
    /// set of rows or their place in it can have changed.
    pub fn apply_changes(&mut self, upserts: Vec<PodRow>, deleted: Vec<PodKey>) {
        let Some(map) = self.pods.data_mut() else {
            return;
        };
        let mut reorder = !deleted.is_empty();
        for key in &deleted {
            map.remove(key);
        }
        for pod in upserts {
            if map.insert(pod.key.clone(), pod).is_none() {
                reorder = true;
            }
        }
        if reorder || self.list.sort() != KubeSort::Name || !self.list.filter().is_empty() {
            self.rebuild_order();
        }
    }

    /// Recomputes the order and keeps the selection on the same pod; if
    /// that pod is gone, its nearest neighbour is selected.
    pub fn rebuild_order(&mut self) {
        let spec = PodRows {
            rs_owners: &self.rs_owners,
            usage: &self.metrics.pods,
        };
        // `Enter` on a workload: the pods it controls, directly (a
        // StatefulSet's, a ReplicaSet's) or through their ReplicaSet (a
        // Deployment's).
        let only = self.kind.as_ref().and_then(|k| k.pods_of.as_ref());
        let owned = |p: &&PodRow| {
            only.is_none_or(|(k, owner)| {
                p.key.context == k.context
                    && p.key.namespace == k.namespace
                    && (p.owner.as_ref() == Some(owner)
                        || workload_of(&self.rs_owners, p).as_ref() == Some(owner))
            })
        };
        match self.pods.data() {
            Some(map) => self.list.rebuild(map.values().filter(owned), &spec),
            None => self.list.replace_order(Vec::new()),
        }
    }

    /// The filter of the list on screen (pods or a kind's).
    pub fn active_filter(&self) -> &str {
        if self.forwards.open {
            return self.forwards.list.filter();
        }
        match self.kind.as_ref().filter(|k| k.listing()) {
            Some(k) => k.list.filter(),
            None => self.list.filter(),
        }
    }

    /// Every namespace seen in the pods, for `:ns`.
    pub fn namespaces(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .pods
            .data()
            .map(|m| m.keys().map(|k| k.namespace.to_string()).collect())
            .unwrap_or_default();
        out.dedup();
        out.sort();
        out.dedup();
        out
    }

    /// The contexts' combined health for the status bar: connected only
    /// when all are; otherwise the first trouble, named by its context.
    pub fn combined_health(&self) -> Option<SourceHealth> {
        super::source::combine(
            self.contexts
                .iter()
                .map(|(name, c)| (name.as_str(), &c.health)),
        )
    }
}

/// The kept rows and a fresh list as one map, built in one go: the API
/// lists pods in key order, so the sort inside `collect` finds two sorted
/// runs, where inserting 50,000 pods one by one searched the tree for each
/// (the longest update while 50,000 pods were listed).
fn with_listed(kept: BTreeMap<PodKey, PodRow>, listed: Vec<PodRow>) -> BTreeMap<PodKey, PodRow> {
    kept.into_iter()
        .chain(listed.into_iter().map(|p| (p.key.clone(), p)))
        .collect()
}

/// Broken first, then warnings, then healthy; judged without the clock so
/// the order does not shift by itself while the user reads it.
fn status_rank(p: &PodRow) -> u8 {
    match super::kube::classify(&p.status, p.ready == p.total, false, false) {
        super::kube::PodHealth::Broken => 2,
        super::kube::PodHealth::Warning => 1,
        super::kube::PodHealth::Healthy => 0,
    }
}

/// Age of a pod at `now`, for the AGE column.
pub fn pod_age(p: &PodRow, now: DateTime<Utc>) -> String {
    p.created
        .map(|c| super::time::kube_age(c, now))
        .unwrap_or_else(|| "-".into())
}
