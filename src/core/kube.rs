//! Kubernetes domain types: what the Kubernetes pane shows, free of the
//! kube and k8s-openapi types, plus the rules that judge a pod's health.
//! Health depends on the clock (a restart stops being "recent", a Pending
//! pod becomes "stuck"), so it is computed from stored facts and `now`.

use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

/// A restart this recent still deserves attention even if the pod is Ready.
pub const RECENT_RESTART: Duration = Duration::from_secs(10 * 60);
/// A pod still Pending after this long is treated as stuck, not starting.
pub const PENDING_TOO_LONG: Duration = Duration::from_secs(5 * 60);
/// A Running pod not Ready for this long is listed in triage; shorter is a
/// rollout or a slow readiness probe, not an incident.
pub const NOT_READY_GRACE: Duration = Duration::from_secs(60);

/// How a pod should be coloured and whether triage lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PodHealth {
    Healthy,
    Warning,
    Broken,
}

/// Words that mean the pod is failing and will not fix itself.
const BROKEN_WORDS: &[&str] = &[
    "CrashLoopBackOff",
    "ImagePullBackOff",
    "ErrImagePull",
    "ErrImageNeverPull",
    "InvalidImageName",
    "OOMKilled",
    "Error",
    "CreateContainerConfigError",
    "CreateContainerError",
    "RunContainerError",
    "ContainerCannotRun",
    "StartError",
    "ContainerStatusUnknown",
    "DeadlineExceeded",
    "Evicted",
    "NodeLost",
    "NodeAffinity",
    "OutOfcpu",
    "OutOfmemory",
    "Failed",
    "Unknown",
];

/// Judges kubectl's STATUS word plus the time-dependent facts.
pub fn classify(
    word: &str,
    all_ready: bool,
    stuck_pending: bool,
    recently_restarted: bool,
) -> PodHealth {
    let base = word.strip_prefix("Init:").unwrap_or(word);
    if BROKEN_WORDS.contains(&base) || base.starts_with("ExitCode:") || base.starts_with("Signal:")
    {
        return PodHealth::Broken;
    }
    if word == "Completed" || word == "Succeeded" {
        return PodHealth::Healthy;
    }
    if stuck_pending {
        return PodHealth::Broken;
    }
    if word == "Running" && all_ready && !recently_restarted {
        return PodHealth::Healthy;
    }
    PodHealth::Warning
}

/// Identity of a pod across contexts. The parts are shared `Arc<str>`, so
/// thousands of pods in a few namespaces cost one copy of each name.
#[derive(Debug, Clone)]
pub struct PodKey {
    pub context: Arc<str>,
    pub namespace: Arc<str>,
    pub name: Arc<str>,
}

/// Two parts that are the same shared string are equal without reading
/// them: a pods map's lookups compare keys whose context and namespace
/// come from one interner, and those comparisons were a watch burst's
/// largest cost after freeing.
fn same_then(a: &Arc<str>, b: &Arc<str>) -> Ordering {
    if Arc::ptr_eq(a, b) {
        Ordering::Equal
    } else {
        a.cmp(b)
    }
}

impl Ord for PodKey {
    fn cmp(&self, other: &PodKey) -> Ordering {
        same_then(&self.context, &other.context)
            .then_with(|| same_then(&self.namespace, &other.namespace))
            .then_with(|| same_then(&self.name, &other.name))
    }
}

impl PartialOrd for PodKey {
    fn partial_cmp(&self, other: &PodKey) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for PodKey {
    fn eq(&self, other: &PodKey) -> bool {
        let same = |a: &Arc<str>, b: &Arc<str>| Arc::ptr_eq(a, b) || a == b;
        same(&self.name, &other.name)
            && same(&self.namespace, &other.namespace)
            && same(&self.context, &other.context)
    }
}

impl Eq for PodKey {}

/// By content, as equality is.
impl std::hash::Hash for PodKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.context.hash(state);
        self.namespace.hash(state);
        self.name.hash(state);
    }
}

impl PodKey {
    pub fn new(context: &str, namespace: &str, name: &str) -> PodKey {
        PodKey {
            context: context.into(),
            namespace: namespace.into(),
            name: name.into(),
        }
    }
}

impl fmt::Display for PodKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.namespace, self.name)
    }
}

/// A controlling owner reference, e.g. `ReplicaSet web-7f9c`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OwnerRef {
    pub kind: String,
    pub name: String,
}

impl OwnerRef {
    /// Kinds whose pods can be rolled (rollout restart) and merged in logs.
    pub fn is_workload(&self) -> bool {
        matches!(
            self.kind.as_str(),
            "Deployment" | "StatefulSet" | "DaemonSet"
        )
    }
}

impl fmt::Display for OwnerRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind, self.name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContainerState {
    Running { since: Option<DateTime<Utc>> },
    Waiting { reason: String, message: String },
    Terminated(Termination),
    Unknown,
}

impl ContainerState {
    pub fn word(&self) -> &str {
        match self {
            ContainerState::Running { .. } => "Running",
            ContainerState::Waiting { reason, .. } if !reason.is_empty() => reason,
            ContainerState::Waiting { .. } => "Waiting",
            ContainerState::Terminated(t) if !t.reason.is_empty() => &t.reason,
            ContainerState::Terminated(_) => "Terminated",
            ContainerState::Unknown => "Unknown",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Termination {
    pub reason: String,
    pub exit_code: i32,
    pub finished_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerInfo {
    pub name: String,
    pub image: String,
    /// An init container (or sidecar); listed before the app containers.
    pub init: bool,
    pub ready: bool,
    pub restarts: u32,
    pub state: ContainerState,
    pub last_termination: Option<Termination>,
    /// e.g. `cpu=100m memory=128Mi`, empty when none.
    pub requests: String,
    pub limits: String,
}

/// One pod as the pane shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct PodRow {
    pub key: PodKey,
    /// kubectl's STATUS word, e.g. `Running`, `CrashLoopBackOff`, `Init:0/2`.
    pub status: String,
    pub phase: String,
    pub ready: u32,
    pub total: u32,
    pub restarts: u32,
    pub last_restart: Option<DateTime<Utc>>,
    pub created: Option<DateTime<Utc>>,
    /// When the Ready condition last turned False, if it is False now.
    pub not_ready_since: Option<DateTime<Utc>>,
    pub node: Option<String>,
    pub ip: Option<String>,
    /// The controlling owner as the pod names it (often a ReplicaSet).
    pub owner: Option<OwnerRef>,
    pub containers: Vec<ContainerInfo>,
}

impl PodRow {
    pub fn health(&self, now: DateTime<Utc>) -> PodHealth {
        classify(
            &self.status,
            self.ready == self.total,
            self.stuck_pending(now),
            self.recently_restarted(now),
        )
    }

    pub fn stuck_pending(&self, now: DateTime<Utc>) -> bool {
        self.phase == "Pending"
            && self
                .created
                .is_some_and(|c| elapsed(c, now) >= PENDING_TOO_LONG)
    }

    pub fn recently_restarted(&self, now: DateTime<Utc>) -> bool {
        self.restarts > 0
            && self
                .last_restart
                .is_some_and(|at| elapsed(at, now) < RECENT_RESTART)
    }

    pub fn ready_text(&self) -> String {
        format!("{}/{}", self.ready, self.total)
    }

    /// RESTARTS as kubectl prints it: `0`, or `5 (2m ago)`.
    pub fn restarts_text(&self, now: DateTime<Utc>) -> String {
        match self.last_restart {
            Some(at) if self.restarts != 0 => {
                format!("{} ({} ago)", self.restarts, super::time::kube_age(at, now))
            }
            _ => self.restarts.to_string(),
        }
    }

    /// True when a container waits to restart after a crash (CrashLoopBackOff),
    /// so the useful log is the previous one (`kubectl logs --previous`).
    /// Not while it shows Terminated (kubectl's `Error`): the crash output is
    /// then the *current* container's log, and the previous one has usually
    /// been garbage-collected already (the kubelet keeps one dead container
    /// per container: pkg/kubelet's validateContainerLogStatus reads the
    /// current container for a terminated state, lastState for previous).
    pub fn wants_previous_log(&self) -> bool {
        self.crashed_waiting().is_some()
    }

    /// The first app container waiting to restart after a crash.
    pub fn crashed_waiting(&self) -> Option<&ContainerInfo> {
        self.containers.iter().filter(|c| !c.init).find(|c| {
            c.last_termination.is_some() && matches!(c.state, ContainerState::Waiting { .. })
        })
    }

    /// The app containers' names, in spec order.
    pub fn container_names(&self) -> Vec<&str> {
        self.containers
            .iter()
            .filter(|c| !c.init)
            .map(|c| c.name.as_str())
            .collect()
    }
}

fn elapsed(since: DateTime<Utc>, now: DateTime<Utc>) -> Duration {
    (now - since).to_std().unwrap_or_default()
}

/// Which namespaces to show.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum NamespaceScope {
    /// Each context's own namespace (from the kubeconfig, else `default`).
    #[default]
    FromContext,
    One(String),
    /// A chosen set (`:ns a,b,c`): one watch per namespace, merged.
    Set(Vec<String>),
    All,
}

impl NamespaceScope {
    /// `*` or `all` means every namespace; empty means the context's own;
    /// names separated by commas a set of them.
    pub fn parse(text: &str) -> NamespaceScope {
        match text.trim() {
            "" => NamespaceScope::FromContext,
            "*" | "all" => NamespaceScope::All,
            ns if ns.contains(',') => NamespaceScope::of(ns.split(',')),
            ns => NamespaceScope::One(ns.to_string()),
        }
    }

    /// The set of `names` (trimmed, empty ones and repeats dropped); one
    /// name is `One`, none the context's own.
    pub fn of<'a>(names: impl IntoIterator<Item = &'a str>) -> NamespaceScope {
        let mut set: Vec<String> = Vec::new();
        for n in names.into_iter().map(str::trim).filter(|n| !n.is_empty()) {
            if !set.iter().any(|s| s == n) {
                set.push(n.to_string());
            }
        }
        match set.len() {
            0 => NamespaceScope::FromContext,
            1 => NamespaceScope::One(set.remove(0)),
            _ => NamespaceScope::Set(set),
        }
    }
}

/// What the source watches: contexts, namespaces and a label selector.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KubeScope {
    /// Empty: the kubeconfig's current context.
    pub contexts: Vec<String>,
    pub namespace: NamespaceScope,
    /// `-l app=web`: sent as `labelSelector` on every pods list and watch
    /// (and the kinds' views), so the server filters, not opsdeck.
    pub selector: Option<String>,
    /// Where to fall back when listing all namespaces is forbidden
    /// (`[kubernetes] namespaces`); empty: the context's own namespace.
    pub fallback: Vec<String>,
}

/// What a context is doing, as the pane shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ContextInfo {
    pub name: String,
    /// The namespace watched: a name, `a,b,c` for a set, or `*` for all.
    pub namespace: String,
    /// Matches a `[kubernetes] danger` pattern.
    pub danger: bool,
}

impl ContextInfo {
    /// The namespaces watched, None for all of them (a note after the
    /// names, such as why the scope was narrowed, is not one).
    pub fn namespaces(&self) -> Option<Vec<String>> {
        if self.namespace == "*" {
            return None;
        }
        let names = self.namespace.split(" (").next().unwrap_or_default();
        Some(
            names
                .split(',')
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_string)
                .collect(),
        )
    }

    /// Rows may come from more than one namespace (NAMESPACE is shown).
    pub fn many_namespaces(&self) -> bool {
        self.namespaces().is_none_or(|n| n.len() > 1)
    }
}

/// Whose logs to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogTarget {
    Pod(PodKey),
    /// Every pod of a Deployment/StatefulSet/DaemonSet, merged and tagged.
    Workload {
        context: String,
        namespace: String,
        owner: OwnerRef,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogOptions {
    /// None: the first app container (or every container, merged by pod).
    pub container: Option<String>,
    pub previous: bool,
    /// None: the whole log.
    pub tail: Option<u64>,
    pub follow: bool,
}

/// A mutation on the cluster; each is confirmed first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KubeOp {
    DeletePod {
        name: String,
    },
    RolloutRestart {
        owner: OwnerRef,
    },
    /// A Deployment or StatefulSet, through its `scale` subresource.
    Scale {
        owner: OwnerRef,
        replicas: u32,
    },
    /// `spec.unschedulable` set (cordon) or cleared (uncordon).
    Cordon {
        node: String,
        on: bool,
    },
    /// Cordon, then evict the node's pods (as `kubectl drain`), waiting out
    /// PodDisruptionBudgets for at most `timeout_secs`.
    Drain {
        node: String,
        timeout_secs: u64,
    },
}

impl KubeOp {
    pub fn verb(&self) -> &'static str {
        match self {
            KubeOp::DeletePod { .. } => "delete",
            KubeOp::RolloutRestart { .. } => "rollout restart",
            KubeOp::Scale { .. } => "scale",
            KubeOp::Cordon { on: true, .. } => "cordon",
            KubeOp::Cordon { on: false, .. } => "uncordon",
            KubeOp::Drain { .. } => "drain",
        }
    }

    /// The target as the dialog and journal name it, e.g. `pod web-1`.
    pub fn target(&self) -> String {
        match self {
            KubeOp::DeletePod { name } => format!("pod {name}"),
            KubeOp::RolloutRestart { owner } => {
                format!("{} {}", owner.kind.to_lowercase(), owner.name)
            }
            KubeOp::Scale { owner, replicas } => {
                format!("{} {} to {replicas}", owner.kind.to_lowercase(), owner.name)
            }
            KubeOp::Cordon { node, .. } | KubeOp::Drain { node, .. } => format!("node {node}"),
        }
    }
}

/// A recent event of a pod (detail view).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodEvent {
    pub kind: String,
    pub reason: String,
    pub message: String,
    pub count: u32,
    pub last_seen: Option<DateTime<Utc>>,
}

/// Glob match for `[kubernetes] danger` patterns: `*` any run, `?` one char.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(c) if *c == '?' || Some(c) == t.get(ti) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p.get(pi..)
        .is_some_and(|rest| rest.iter().all(|c| *c == '*'))
}

#[cfg(test)]
#[path = "kube_tests.rs"]
mod tests;
