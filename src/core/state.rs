//! The whole application state. Only the UI loop owns it and only `update`
//! changes it; rendering reads it.

use super::confirm::Confirm;
use super::docker_pane::DockerPane;
use super::github_pane::GithubPane;
use super::keymap::KeyMap;
use super::list::{ListId, ListState};
use super::log_session::LogSession;
use super::source::SourceHealth;
use super::toast::{ToastLevel, Toasts};

pub use super::tab::Tab;

/// A line of text being typed (filter or log search).
#[derive(Debug, Clone, PartialEq)]
pub struct TextInput {
    pub purpose: InputPurpose,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputPurpose {
    Filter,
    LogSearch,
    /// The log viewer's filter (`&`): `-C N`, `-v` or `!`, then the pattern.
    LogFilter,
    /// The branch to dispatch a workflow on (Actions tab).
    DispatchBranch,
    /// The replica count of a deployment to scale (Kubernetes tab).
    Replicas,
    /// The container of a pod to open a shell in (Kubernetes tab).
    ShellContainer,
    /// The ports to forward (`LOCAL:REMOTE` or `REMOTE`, Kubernetes tab).
    ForwardPorts,
}

/// Settings fixed at start-up that `update` consults.
#[derive(Debug, Clone)]
pub struct Settings {
    pub readonly: bool,
    pub log_line_cap: usize,
    pub log_tail: u64,
    /// Where `save log` writes files.
    pub save_dir: std::path::PathBuf,
    pub bell: bool,
    /// Where the action journal is appended; None turns it off.
    pub journal_path: Option<std::path::PathBuf>,
    /// The user's time zone offset, for clock times shown (read once at
    /// start by the app: the core reads no clock).
    pub utc_offset: chrono::FixedOffset,
    /// The timeline's store (`timeline.jsonl`) and its size cap in bytes;
    /// None keeps the timeline in memory only (`--demo`, no data dir).
    pub timeline_store: Option<(std::path::PathBuf, u64)>,
    /// How often the metrics API is polled while pods or nodes are on
    /// screen (`[kubernetes] metrics_interval_secs`, at least 15 s there).
    pub kube_metrics_every: std::time::Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            readonly: false,
            log_line_cap: 50_000,
            log_tail: 1_000,
            save_dir: std::env::temp_dir(),
            bell: false,
            journal_path: None,
            utc_offset: chrono::Offset::fix(&chrono::Utc),
            timeline_store: None,
            kube_metrics_every: std::time::Duration::from_secs(15),
        }
    }
}

#[derive(Debug)]
pub struct State {
    pub tab: Tab,
    pub settings: Settings,
    pub keymap: KeyMap,
    pub toasts: Toasts,
    pub confirm: Option<Confirm>,
    pub help_open: bool,
    pub input: Option<TextInput>,
    pub palette: Option<super::palette::Palette>,
    /// A log view over every tab (the action journal).
    pub overlay_log: Option<LogSession>,
    pub docker: DockerPane,
    pub github: GithubPane,
    pub kube: super::kube_pane::KubePane,
    /// The Overview's triage rows, by key, rebuilt as the sources change.
    pub overview: ListState<String, super::triage::rows::TriageSort>,
    pub notifier: super::triage::notifier::Notifier,
    /// What changed, across sources (`T` in the Overview, `:timeline`).
    pub timeline: super::timeline_view::TimelineState,
    /// Source data changed since breakage was last looked at (see `Msg::BatchDone`).
    pub breakage_dirty: bool,
    pub github_health: SourceHealth,
    pub kube_health: SourceHealth,
    pub width: u16,
    pub height: u16,
    pub quit: bool,
    /// The time as of the last tick; `update` and rendering use it instead
    /// of reading a clock, so both are deterministic under test. The loop
    /// sends a tick before anything else, so the epoch start is never seen.
    pub clock: chrono::DateTime<chrono::Utc>,
    next_stream: u64,
}

impl State {
    pub fn new(settings: Settings, keymap: KeyMap) -> State {
        State {
            // Triage first: what is broken, across every source.
            tab: Tab::Overview,
            settings,
            keymap,
            toasts: Toasts::default(),
            confirm: None,
            help_open: false,
            input: None,
            palette: None,
            overlay_log: None,
            docker: DockerPane::default(),
            github: GithubPane::default(),
            kube: Default::default(),
            overview: ListState::default(),
            notifier: Default::default(),
            timeline: Default::default(),
            breakage_dirty: false,
            github_health: SourceHealth::Disabled {
                how_to_enable: "add repositories to [github] repos in config.toml and set GH_TOKEN"
                    .into(),
            },
            kube_health: SourceHealth::Disabled {
                how_to_enable: "set KUBECONFIG or create ~/.kube/config".into(),
            },
            width: 80,
            height: 24,
            quit: false,
            clock: chrono::DateTime::<chrono::Utc>::UNIX_EPOCH,
            next_stream: 1,
        }
    }

    /// The log view the keys go to: the overlay, else the current tab's.
    pub fn active_log(&self) -> Option<&LogSession> {
        if self.overlay_log.is_some() {
            return self.overlay_log.as_ref();
        }
        match self.tab {
            Tab::Docker => self.docker.logs.as_ref(),
            Tab::Actions => self.github.logs.as_ref(),
            Tab::Kubernetes => self.kube.logs.as_ref(),
            _ => None,
        }
    }

    pub fn active_log_mut(&mut self) -> Option<&mut LogSession> {
        if self.overlay_log.is_some() {
            return self.overlay_log.as_mut();
        }
        match self.tab {
            Tab::Docker => self.docker.logs.as_mut(),
            Tab::Actions => self.github.logs.as_mut(),
            Tab::Kubernetes => self.kube.logs.as_mut(),
            _ => None,
        }
    }

    pub fn new_stream_id(&mut self) -> u64 {
        let id = self.next_stream;
        self.next_stream += 1;
        id
    }

    pub fn toast(&mut self, level: ToastLevel, text: impl Into<String>) {
        self.toasts.push(level, text, self.clock);
    }

    /// A toast about one thing (a triage key): its repeats coalesce even
    /// when the wording changes ("6 restarts", "7 restarts").
    pub fn toast_about(&mut self, level: ToastLevel, about: &str, text: impl Into<String>) {
        self.toasts.push_about(level, about, text, self.clock);
    }

    /// Lines `list` has on screen, as the UI last measured them (0 before
    /// it was drawn); the loop compares a new frame's figure with it.
    pub fn list_rows(&self, list: ListId) -> usize {
        match list {
            ListId::Overview => self.overview.viewport(),
            ListId::Timeline => self.timeline.list.viewport(),
            ListId::Containers => self.docker.list.viewport(),
            ListId::Runs => self.github.list.viewport(),
            ListId::Jobs => self.github.detail.as_ref().map_or(0, |d| d.list.viewport()),
            ListId::Attempts => self
                .github
                .detail
                .as_ref()
                .and_then(|d| d.attempts.as_ref())
                .map_or(0, |a| a.list.viewport()),
            ListId::Pods => self.kube.list.viewport(),
            ListId::Kind => self.kube.kind.as_ref().map_or(0, |k| k.list.viewport()),
            ListId::PortForwards => self.kube.forwards.list.viewport(),
            ListId::DockerObjects => self
                .docker
                .objects
                .as_ref()
                .map_or(0, |v| v.list_viewport()),
        }
    }
}
