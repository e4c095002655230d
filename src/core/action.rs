//! Everything a key can do. Keys are resolved to an `Action` by the key map
//! before the state sees them, so bindings are data and testable.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Quit,
    NextTab,
    PrevTab,
    TabOverview,
    TabActions,
    TabKubernetes,
    TabDocker,
    Help,
    Palette,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Filter,
    SortNext,
    SortReverse,
    Open,
    Logs,
    Back,
    Start,
    Stop,
    Restart,
    PauseToggle,
    Kill,
    Remove,
    Prune,
    Inspect,
    Follow,
    Wrap,
    Timestamps,
    Search,
    NextMatch,
    PrevMatch,
    SaveLog,
    RerunAll,
    RerunFailed,
    RerunJob,
    Cancel,
    Dispatch,
    Attempts,
    Copy,
    Bundle,
    ToggleFold,
    FirstError,
    DeletePod,
    Shell,
    RolloutRestart,
    Scale,
    WorkloadLogs,
    NextContainer,
    PreviousLog,
    TailSize,
    CloseLog,
    LogFilter,
    DismissToasts,
    WarningsOnly,
    Yaml,
    Describe,
}

/// Where an action applies; the help overlay groups keys by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    Global,
    List,
    /// Keys of one tab only, so tabs can reuse letters for their own actions.
    Docker,
    Actions,
    Kubernetes,
    Logs,
}

impl Scope {
    pub fn title(self) -> &'static str {
        match self {
            Scope::Global => "Global",
            Scope::List => "Lists",
            Scope::Docker => "Docker tab",
            Scope::Actions => "Actions tab",
            Scope::Kubernetes => "Kubernetes tab",
            Scope::Logs => "Log viewer",
        }
    }
}

/// Default bindings and help text. The order is the order of the help overlay.
pub const DEFAULTS: &[(Action, Scope, &[&str], &str)] = &[
    (Action::Quit, Scope::Global, &["q", "Q", "ctrl-c"], "quit"),
    (Action::NextTab, Scope::Global, &["tab"], "next tab"),
    (Action::PrevTab, Scope::Global, &["backtab"], "previous tab"),
    (Action::TabOverview, Scope::Global, &["1"], "Overview tab"),
    (Action::TabActions, Scope::Global, &["2"], "Actions tab"),
    (
        Action::TabKubernetes,
        Scope::Global,
        &["3"],
        "Kubernetes tab",
    ),
    (Action::TabDocker, Scope::Global, &["4"], "Docker tab"),
    (Action::Help, Scope::Global, &["?"], "toggle this help"),
    (Action::Palette, Scope::Global, &[":"], "command palette"),
    (
        Action::DismissToasts,
        Scope::Global,
        &["z"],
        "hide messages",
    ),
    (Action::Up, Scope::List, &["k", "up"], "move up"),
    (Action::Down, Scope::List, &["j", "down"], "move down"),
    (
        Action::PageUp,
        Scope::List,
        &["pageup", "ctrl-b"],
        "page up",
    ),
    (
        Action::PageDown,
        Scope::List,
        &["pagedown", "ctrl-f"],
        "page down",
    ),
    (Action::Top, Scope::List, &["g", "home"], "go to top"),
    (Action::Bottom, Scope::List, &["G", "end"], "go to bottom"),
    (
        Action::Filter,
        Scope::List,
        &["/"],
        "filter (field:x, !not)",
    ),
    // `s` is a shell in the Docker and Kubernetes tabs, where k9s users
    // expect it; `o` sorts everywhere, `O` reverses.
    (
        Action::SortNext,
        Scope::List,
        &["s", "o"],
        "sort by next column",
    ),
    (
        Action::SortReverse,
        Scope::List,
        &["O"],
        "reverse the sort order",
    ),
    (Action::Open, Scope::List, &["enter"], "open / details"),
    (Action::Logs, Scope::List, &["l"], "logs of the selection"),
    (Action::Back, Scope::Global, &["esc"], "back / close"),
    (
        Action::Bundle,
        Scope::List,
        &["e"],
        "incident bundle (Overview)",
    ),
    (
        Action::Copy,
        Scope::Global,
        &["y"],
        "copy name, URL, log line",
    ),
    (Action::Start, Scope::Docker, &["S"], "start container"),
    (Action::Stop, Scope::Docker, &["x"], "stop container"),
    (Action::Restart, Scope::Docker, &["r"], "restart container"),
    (
        Action::PauseToggle,
        Scope::Docker,
        &["p"],
        "pause / unpause",
    ),
    (Action::Kill, Scope::Docker, &["K"], "kill container"),
    (
        Action::Remove,
        Scope::Docker,
        &["D", "delete"],
        "remove the selection",
    ),
    (Action::Prune, Scope::Docker, &["P"], "prune (:images etc.)"),
    (Action::Inspect, Scope::Docker, &["i"], "inspect (as YAML)"),
    (
        Action::Shell,
        Scope::Docker,
        &["s"],
        "shell in the container",
    ),
    (
        Action::RerunAll,
        Scope::Actions,
        &["R"],
        "re-run all jobs of the run",
    ),
    (
        Action::RerunFailed,
        Scope::Actions,
        &["F"],
        "re-run failed jobs",
    ),
    (
        Action::RerunJob,
        Scope::Actions,
        &["r"],
        "re-run the selected job",
    ),
    (Action::Cancel, Scope::Actions, &["C"], "cancel the run"),
    (
        Action::Attempts,
        Scope::Actions,
        &["a"],
        "the run's attempts (older ones' jobs, logs)",
    ),
    (
        Action::Dispatch,
        Scope::Actions,
        &["W"],
        "dispatch its workflow",
    ),
    // Kubernetes keys are distinct from the Docker ones, so a key never
    // means two different mutations depending on the tab.
    (Action::Shell, Scope::Kubernetes, &["s"], "shell in the pod"),
    (
        Action::DeletePod,
        Scope::Kubernetes,
        &["ctrl-d"],
        "delete pod",
    ),
    (
        Action::RolloutRestart,
        Scope::Kubernetes,
        &["ctrl-r"],
        "rollout restart its workload",
    ),
    (
        Action::Scale,
        Scope::Kubernetes,
        &["+"],
        "scale its deployment",
    ),
    (
        Action::WorkloadLogs,
        Scope::Kubernetes,
        &["L"],
        "logs of all its workload's pods",
    ),
    // k9s's keys: `y` YAML and `d` describe; in this tab `c` copies (as
    // in k9s), since `y` is taken. In a log `y` still copies the line.
    (
        Action::Yaml,
        Scope::Kubernetes,
        &["y"],
        "the object as YAML",
    ),
    (
        Action::Describe,
        Scope::Kubernetes,
        &["d"],
        "describe the object",
    ),
    (
        Action::Copy,
        Scope::Kubernetes,
        &["c"],
        "copy the selected name",
    ),
    (
        Action::WarningsOnly,
        Scope::Kubernetes,
        &["W"],
        "events: warnings only / all",
    ),
    // As in less, journalctl and k9s, `q` leaves the pager, not the program.
    (
        Action::CloseLog,
        Scope::Logs,
        &["q"],
        "close the log (Q quits)",
    ),
    (Action::Follow, Scope::Logs, &["f"], "follow / pause"),
    (Action::Wrap, Scope::Logs, &["w"], "wrap long lines"),
    (Action::Timestamps, Scope::Logs, &["t"], "show timestamps"),
    (Action::Search, Scope::Logs, &["/"], "search"),
    (
        Action::LogFilter,
        Scope::Logs,
        &["&"],
        "filter lines (-C N, !not)",
    ),
    (Action::NextMatch, Scope::Logs, &["n"], "next match"),
    (Action::PrevMatch, Scope::Logs, &["N"], "previous match"),
    (
        Action::ToggleFold,
        Scope::Logs,
        &["space"],
        "fold / unfold a ##[group]",
    ),
    (Action::FirstError, Scope::Logs, &["E"], "first ##[error]"),
    (
        Action::NextContainer,
        Scope::Logs,
        &["c"],
        "next container (k8s)",
    ),
    (
        Action::PreviousLog,
        Scope::Logs,
        &["p"],
        "previous container's log (k8s)",
    ),
    (Action::TailSize, Scope::Logs, &["T"], "tail size (k8s)"),
    (
        Action::SaveLog,
        Scope::Logs,
        &["ctrl-s"],
        "save log to a file",
    ),
];
