//! What `update` asks the outside world to do. Source tasks carry these out
//! and answer with messages; the UI loop never awaits network I/O itself.

use std::path::PathBuf;

use super::docker::ContainerOp;
use super::github::RunOp;
use super::ticket::Ticket;

pub use super::ids::StreamId;

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Docker(DockerCommand),
    GitHub(GitHubCommand),
    Kube(super::kube_msg::KubeCommand),
    /// Write text to a file off the UI path; the result comes back as a toast.
    WriteFile {
        path: PathBuf,
        contents: String,
    },
    Bell,
    /// Append these new timeline entries to the on-disk store.
    SaveTimeline(Vec<std::sync::Arc<super::timeline::Entry>>),
    AppendJournal(super::journal::JournalEntry),
    /// Read the journal and show it (answered by `Msg::JournalLoaded`).
    ReadJournal,
    /// Put text on the user's clipboard through the terminal (OSC 52).
    Copy(String),
    /// Switch the colour theme (the look lives outside the state).
    SetTheme(String),
    /// Hand the terminal to an interactive shell in `target` until it
    /// ends; the app loop answers with `Msg::ActionDone` for the ticket.
    Shell {
        ticket: Ticket,
        target: ShellTarget,
    },
}

/// Where a shell runs; the loop asks the source's client to open it.
#[derive(Debug, Clone, PartialEq)]
pub enum ShellTarget {
    Docker {
        container_id: String,
        name: String,
    },
    Kube {
        context: String,
        namespace: String,
        pod: String,
        container: String,
    },
}

impl ShellTarget {
    /// `container web-1`, `pod shop/web-1 (container app)`: what the
    /// terminal says while the shell has it.
    pub fn describe(&self) -> String {
        match self {
            ShellTarget::Docker { name, .. } => format!("container {name}"),
            ShellTarget::Kube {
                context,
                namespace,
                pod,
                container,
            } => format!("pod {namespace}/{pod} (container {container}) in context {context}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
/// `container_id` and `ids` below are container keys (`Container::key`):
/// with several engines the source routes each to its engine by them.
pub enum DockerCommand {
    OpenLogs {
        stream: StreamId,
        container_id: String,
        tail: u64,
    },
    CloseLogs {
        stream: StreamId,
    },
    /// The full set of containers whose stats to stream (those on screen).
    WatchStats {
        ids: Vec<String>,
    },
    /// Fetch the container's last log lines and write the incident bundle.
    IncidentBundle {
        path: PathBuf,
        item: Box<super::triage::item::TriageItem>,
        container: Option<Box<super::docker::Container>>,
        tail: u64,
        /// The timeline of the 30 minutes before, as Markdown.
        timeline: String,
    },
    /// A mutation; answered by `Msg::ActionDone` with the ticket.
    Lifecycle {
        ticket: Ticket,
        container_id: String,
        op: ContainerOp,
    },
    /// Load this kind now and again when the engine's events change it;
    /// None when its view closed (nothing is loaded then).
    WatchObjects {
        kind: Option<super::docker_objects::ObjectKind>,
    },
    /// Remove or prune images, volumes or networks; answered by
    /// `Msg::ActionReported` (a prune says how much space came back).
    ObjectOp {
        ticket: Ticket,
        op: super::docker_objects::ObjectOp,
    },
    /// A compose project's containers, one step after another in the
    /// order given (stopping at the first failure); answered by
    /// `Msg::ActionReported` saying how many were done.
    ProjectAction {
        ticket: Ticket,
        steps: Vec<super::docker_compose::PlanStep>,
    },
    /// The logs of several containers merged into one stream, each line
    /// tagged (`(container id, tag)`).
    OpenMergedLogs {
        stream: StreamId,
        members: Vec<(String, String)>,
        tail: u64,
    },
    /// A container joining an open merged log (a project's container
    /// started after it opened), followed from `since`, its start.
    JoinMergedLogs {
        stream: StreamId,
        container_id: String,
        tag: String,
        since: chrono::DateTime<chrono::Utc>,
    },
    /// The engine's object written out (secret-looking env values masked)
    /// into a log stream, which then ends.
    Inspect {
        stream: StreamId,
        kind: super::docker_inspect::InspectKind,
        reference: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum GitHubCommand {
    /// Poll every repository now (after an action, so its result shows).
    PollNow,
    /// Read the next older page of every repository that has more runs
    /// than were read (the user scrolled past the end of the list).
    LoadOlderRuns,
    /// Fetch the jobs of one run, and re-poll them while the run is going;
    /// replaces any earlier watch.
    WatchJobs {
        request: StreamId,
        repo: String,
        run_id: u64,
        /// An older attempt's jobs (`/attempts/{n}/jobs`); None: the latest.
        attempt: Option<u32>,
    },
    /// Read attempts 1..=`count` of a run; answered by
    /// `GitHubEvent::Attempts`.
    ListAttempts {
        request: StreamId,
        repo: String,
        run_id: u64,
        count: u32,
    },
    StopJobs,
    /// Fetch a finished job's log (through GitHub's redirect).
    FetchLog {
        stream: StreamId,
        repo: String,
        job_id: u64,
    },
    /// Fetch the run's jobs and the first failed job's log, and write the
    /// incident bundle; answered by `Msg::FileWritten`.
    IncidentBundle {
        path: PathBuf,
        item: Box<super::triage::item::TriageItem>,
        run: Box<super::github::Run>,
        /// The timeline of the 30 minutes before, as Markdown.
        timeline: String,
    },
    /// Read the workflow file's `workflow_dispatch` inputs at `branch`;
    /// answered by `GitHubEvent::DispatchInputs`.
    ReadDispatchInputs {
        repo: String,
        workflow_id: u64,
        branch: String,
    },
    /// List a run's artifacts; answered by `GitHubEvent::Artifacts`.
    ListArtifacts {
        repo: String,
        run_id: u64,
    },
    /// Download an artifact into `dir`; answered by
    /// `GitHubEvent::ArtifactProgress` and `ArtifactSaved`.
    DownloadArtifact {
        repo: String,
        artifact: super::github_artifacts::Artifact,
        dir: PathBuf,
    },
    /// Read the environments a run waits on; answered by
    /// `GitHubEvent::PendingDeployments`.
    ReadPendingDeployments {
        repo: String,
        run_id: u64,
    },
    /// A mutation; answered by `Msg::ActionDone` with the ticket.
    Op {
        ticket: Ticket,
        repo: String,
        op: RunOp,
    },
}
