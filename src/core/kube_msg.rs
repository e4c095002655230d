//! What the Kubernetes source tells `update` (`Msg::Kube`) and what
//! `update` asks of it (`Effect::Kube`).

use super::ids::StreamId;
use super::kube::{ContextInfo, KubeOp, KubeScope, LogOptions, LogTarget, OwnerRef, PodEvent};
use super::kube::{PodKey, PodRow};

#[derive(Debug, Clone)]
pub enum KubeEvent {
    /// The kubeconfig was read: every context in it, and those watched now.
    Contexts {
        known: Vec<String>,
        watching: Vec<ContextInfo>,
    },
    /// A watcher's full (re)list: replaces that context's pods in one step.
    Snapshot { context: String, pods: Vec<PodRow> },
    /// A full (re)list of one namespace of a context watched namespace by
    /// namespace: replaces that namespace's pods only.
    NamespaceSnapshot {
        context: String,
        namespace: String,
        pods: Vec<PodRow>,
    },
    /// Listing every namespace is forbidden to this user: the context is
    /// watched in `namespaces` instead; `reason` is the server's refusal.
    ScopeNarrowed {
        context: String,
        namespaces: Vec<String>,
        reason: String,
    },
    /// The label selector was refused by the API server (400): `error`
    /// names it and says why, in plain words. Nothing is retried.
    SelectorRejected { context: String, error: String },
    /// Watch events that arrived together.
    Changes {
        upserts: Vec<PodRow>,
        deleted: Vec<PodKey>,
    },
    /// ReplicaSets and their owners; `full` replaces what was known of the context.
    ReplicaSets {
        context: String,
        full: bool,
        sets: Vec<(String, String, Option<OwnerRef>)>,
        deleted: Vec<(String, String)>,
    },
    /// ReplicaSets' revisions, creation times, images and replica counts
    /// (sent beside `ReplicaSets`), for the timeline's rollouts.
    Rollouts {
        context: String,
        sets: Vec<super::timeline_feed::RolloutFacts>,
    },
    /// Warning events, watched always beside the pods (for the Overview);
    /// `full` replaces what was known of the context.
    Warnings {
        context: String,
        full: bool,
        upserts: Vec<super::kube_warnings::WarningEvent>,
        deleted: Vec<(String, String)>,
    },
    /// A kind view's watch (`request` from `WatchKind`).
    Kind {
        request: StreamId,
        event: super::kube_kind::KindEvent,
    },
    /// CPU and memory polled for `request` (from `PollMetrics`).
    Metrics {
        request: StreamId,
        event: super::kube_metrics::MetricsEvent,
    },
    /// The log asked for was gone and the other one (current or previous)
    /// is shown instead.
    LogSwitched { stream: StreamId, previous: bool },
    /// The text of `ShowObject` (YAML or describe, Secret values masked
    /// already), or why the object could not be had.
    Object {
        stream: StreamId,
        result: Result<String, String>,
    },
    /// The answer to `PlanDrain`: the node's pods, sorted as kubectl
    /// drain sorts them, or why they could not be listed.
    DrainPlan {
        request: StreamId,
        result: Result<super::kube_node::DrainPlan, String>,
    },
    /// A drain under way: what it has done so far, in words.
    DrainProgress {
        context: String,
        node: String,
        text: String,
    },
    /// The events of the pod in the detail view (all of them, newest last).
    PodEvents {
        request: StreamId,
        result: Result<Vec<PodEvent>, String>,
    },
    /// Port-forwards: the dialog's ports, listeners and their figures.
    PortForward(super::port_forwards::ForwardEvent),
}

#[derive(Debug, Clone, PartialEq)]
pub enum KubeCommand {
    /// Watch these contexts and namespaces instead (restarts the watchers).
    SetScope(KubeScope),
    OpenLogs {
        stream: StreamId,
        target: LogTarget,
        options: LogOptions,
    },
    CloseLogs {
        stream: StreamId,
    },
    /// Keep the pod's events coming (detail view); replaces any earlier watch.
    WatchEvents {
        request: StreamId,
        pod: PodKey,
    },
    StopEvents,
    /// Watch the kind `plural` (a `kube_kind` table entry) in these
    /// targets while its view is open; replaces any earlier kind's watch.
    WatchKind {
        request: StreamId,
        plural: &'static str,
        targets: Vec<(String, Option<String>)>,
    },
    StopKind,
    /// Poll the metrics API for `of` in these targets every `every`
    /// while that list is on screen; replaces any earlier poll.
    PollMetrics {
        request: StreamId,
        of: super::kube_metrics::MetricsOf,
        targets: Vec<(String, Option<String>)>,
        every: std::time::Duration,
    },
    StopMetrics,
    /// List the pods a drain of `node` would evict (a read, no change);
    /// answered by `KubeEvent::DrainPlan`.
    PlanDrain {
        request: StreamId,
        context: String,
        node: String,
    },
    /// A mutation; answered by `Msg::ActionDone` with the ticket.
    Op {
        ticket: super::ticket::Ticket,
        context: String,
        namespace: String,
        op: KubeOp,
    },
    /// Get one object once (not a watch); answered by `KubeEvent::Object`.
    ShowObject {
        stream: StreamId,
        object: ObjectRef,
        view: ObjectView,
    },
    /// Port-forwards: read ports, start or stop a forward.
    PortForward(super::port_forwards::ForwardCommand),
    /// Fetch the pod's events and last log lines and write the incident
    /// bundle; answered by `Msg::FileWritten`.
    IncidentBundle {
        path: std::path::PathBuf,
        item: Box<crate::core::triage::item::TriageItem>,
        pod: Box<PodRow>,
        /// The timeline of the 30 minutes before, as Markdown.
        timeline: String,
    },
}

/// One object of the API, as `Enter`, `y` and `d` name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectRef {
    pub context: String,
    /// The API's kind (`Pod`, `Secret`).
    pub kind: String,
    /// Empty for cluster kinds (nodes).
    pub namespace: String,
    pub name: String,
}

impl std::fmt::Display for ObjectRef {
    /// kubectl's `kind/name`, with the namespace when it has one.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.kind.to_lowercase(), self.name)?;
        if !self.namespace.is_empty() {
            write!(f, " -n {}", self.namespace)?;
        }
        Ok(())
    }
}

/// How an object is shown: as `kubectl get -o yaml` or `kubectl describe`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectView {
    Yaml,
    Describe,
}

impl ObjectView {
    pub fn word(self) -> &'static str {
        match self {
            ObjectView::Yaml => "yaml",
            ObjectView::Describe => "describe",
        }
    }
}
