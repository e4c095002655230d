//! Everything that can change the state: input, time, and source replies.

use std::path::PathBuf;

use super::key::KeyEvent;

use super::action::Action;
use super::docker::{Container, Usage};
use super::github::{Job, RateLimit, Run};
use super::ids::StreamId;
use super::source::{SourceHealth, SourceKind};
use crate::logview::LineSource;

#[derive(Debug, Clone)]
pub enum Msg {
    Key(KeyEvent),
    /// A click or a wheel turn (`[ui] mouse = true`).
    Mouse(super::key::MouseEvent),
    /// An action from elsewhere than a key press (tests, the palette).
    Action(Action),
    Resize {
        width: u16,
        height: u16,
    },
    /// How many lines a list got in the last frame; only the drawing
    /// code knows (see `update::view`).
    ListRows {
        list: super::list::ListId,
        rows: usize,
    },
    /// Housekeeping once a second: toast expiry, ages. The clock is passed
    /// in so `update` and rendering stay deterministic under test.
    Tick {
        now: chrono::DateTime<chrono::Utc>,
    },
    Docker(DockerEvent),
    GitHub(GitHubEvent),
    Kube(super::kube_msg::KubeEvent),
    /// The loop has applied a batch of source messages: work that only
    /// needs doing once per batch (what newly broke) happens now, not once
    /// per message of a 10,000-event burst.
    BatchDone,
    /// A toast from outside `update` (e.g. a theme switch's result).
    Notify {
        level: super::toast::ToastLevel,
        text: String,
    },
    JournalLoaded(Result<Vec<u8>, String>),
    /// A source's connection state: the one way any source reports it.
    /// `part` names a part of the source watched on its own (a Kubernetes
    /// context); `None` is the whole source.
    Health {
        source: SourceKind,
        part: Option<String>,
        health: SourceHealth,
    },
    /// A batch of log output of any source's stream, in arrival order;
    /// dropped when no open log view has that stream id.
    LogChunk {
        stream: StreamId,
        parts: Vec<LogPart>,
    },
    /// The stream ended (the container stopped, the connection failed).
    LogEnded {
        stream: StreamId,
        reason: String,
    },
    /// A source's answer to an action (any source): toast and journal.
    ActionDone {
        ticket: super::ticket::Ticket,
        result: Result<(), String>,
    },
    /// As `ActionDone`, with what the source has to say when it worked
    /// (e.g. how much space a prune gave back).
    ActionReported {
        ticket: super::ticket::Ticket,
        result: Result<String, String>,
    },
    FileWritten {
        path: PathBuf,
        result: Result<usize, String>,
    },
}

impl Msg {
    /// The health of a whole source.
    pub fn health(source: SourceKind, health: SourceHealth) -> Msg {
        Msg::Health {
            source,
            part: None,
            health,
        }
    }

    /// False for figures that change every second anyway (CPU, memory):
    /// they are drawn with the once-a-second tick instead of waking the
    /// loop for a frame each, which is most of the cost of an idle screen.
    pub fn redraws_at_once(&self) -> bool {
        !matches!(self, Msg::Docker(DockerEvent::Usage { .. }))
    }
}

/// A piece of log output: which output it came from and, in a merged
/// log, whose it is (the pod); every source's log streams speak this.
#[derive(Debug, Clone, PartialEq)]
pub struct LogPart {
    pub source: LineSource,
    pub bytes: Vec<u8>,
}

impl LogPart {
    pub fn new(source: LineSource, bytes: impl Into<Vec<u8>>) -> LogPart {
        LogPart {
            source,
            bytes: bytes.into(),
        }
    }
}

#[derive(Debug, Clone)]
pub enum DockerEvent {
    /// A full list, sent after each (re)connect; replaces what was known.
    Snapshot(Vec<Container>),
    /// One engine's full list when several are shown (`[docker] hosts`):
    /// replaces what was known of that engine only.
    EngineSnapshot {
        engine: String,
        containers: Vec<Container>,
    },
    Upsert(Container),
    /// `id` is the container's key (`Container::key`).
    Removed {
        id: String,
    },
    Usage {
        id: String,
        usage: Usage,
    },
    /// A fresh list for the open images, volumes or networks view.
    Objects(super::docker_objects::ObjectList),
    /// One engine's fresh list when several are shown: replaces that
    /// engine's rows only.
    EngineObjects {
        engine: String,
        list: super::docker_objects::ObjectList,
    },
    /// `engine` (empty with one) could not list the open view's kind.
    ObjectsFailed {
        engine: String,
        kind: super::docker_objects::ObjectKind,
        error: String,
    },
    /// A message of the engine's event stream the timeline keeps (a
    /// container's create, start, die, OOM or health change, an image pull).
    Engine(super::timeline_feed::EngineEvent),
}

#[derive(Debug, Clone)]
pub enum GitHubEvent {
    /// A workflow file's dispatch inputs, for the `W` form: `Ok((path,
    /// None))` when the file has no `workflow_dispatch` trigger.
    DispatchInputs {
        repo: String,
        workflow_id: u64,
        result: Result<(String, Option<Vec<super::github::DispatchInput>>), String>,
    },
    /// A run's artifacts, for the `b` dialog.
    Artifacts {
        repo: String,
        run_id: u64,
        result: Result<Vec<super::github_artifacts::Artifact>, String>,
    },
    /// Bytes of artifact `id` written so far.
    ArtifactProgress {
        id: u64,
        done: u64,
    },
    /// Where artifact `id` was saved, or why not.
    ArtifactSaved {
        id: u64,
        result: Result<String, String>,
    },
    /// The environments a waiting run needs approved, for the `A` dialog.
    PendingDeployments {
        repo: String,
        run_id: u64,
        result: Result<Vec<super::github_review::PendingEnv>, String>,
    },
    /// The repositories being watched (configured plus the current
    /// directory's remote), sent once they are known.
    Repos(Vec<String>),
    /// A fresh first page of one repository's runs; replaces what was known
    /// of that repository.
    Runs {
        repo: String,
        runs: Vec<Run>,
    },
    /// How many runs the repository has (`total_count`), whatever was read.
    RunCount {
        repo: String,
        total: u64,
    },
    /// One repository failed on its own (404, no access) or recovered (`None`).
    RepoError {
        repo: String,
        error: Option<String>,
    },
    RateLimit(RateLimit),
    /// Where the token came from ("gh CLI"), never the token.
    TokenFrom(String),
    /// The server refused the token (401): nothing will load until a new
    /// token is found (the source keeps probing and looking it up).
    TokenRejected,
    /// Totals so far: requests made and how many were answered 304.
    PollStats {
        requests: u64,
        not_modified: u64,
    },
    /// The jobs of the run opened with `WatchJobs { request, .. }`.
    Jobs {
        request: StreamId,
        result: Result<Vec<Job>, String>,
    },
    /// The attempts of a run, asked for with `ListAttempts { request, .. }`.
    Attempts {
        request: StreamId,
        result: Result<Vec<Run>, String>,
    },
    /// A job's whole plain-text log, or why it could not be fetched.
    Log {
        stream: StreamId,
        result: Result<Vec<u8>, String>,
    },
}
