//! `opsdeck status`: the Overview printed once, for scripts, CI and chat-ops.
//! Runs the same sources and `update` as the TUI, headless, until every
//! enabled source has loaded once or the wait runs out.
//!
//! Exit codes: 0 nothing broken, 1 something is broken, 2 a source could not
//! be seen: unreachable, or set up but unusable (no token, a broken
//! kubeconfig); reported even when something is also broken, since the
//! picture is incomplete. A source turned off (or never set up) is not
//! "unseen".
//!
//! JSON schema (`--json`), version `opsdeck.status/v1`:
//! `{ "schema": "opsdeck.status/v1", "generated_at": RFC3339,
//!    "sources": [{ "source": "github"|"kubernetes"|"docker",
//!                  "state": "connected"|"connecting"|"reconnecting"|"unusable"|"disabled",
//!                  "target": string|null, "error": string|null,
//!                  "how_to_enable"?: string (disabled only),
//!                  "token_from"?: "env GH_TOKEN"|"env GITHUB_TOKEN"|"token_command"|"gh CLI"
//!                                 (github, once a token is found; never the token) }],
//!    "broken": [{ "source", "key", "what", "where", "since": RFC3339|null,
//!                 "reason", "target": { "kind": "container", "id" }
//!                                  | { "kind": "pod", "context", "namespace", "name" }
//!                                  | { "kind": "kube_object", "context", "object_kind",
//!                                      "namespace", "name" } (a Warning event's object) }],
//!    "unseen": [{ "source", "short", "detail" }] }`

use std::process::ExitCode;
use std::time::Duration;

use serde::Serialize;
use tokio::sync::mpsc;

use crate::app::Driver;
use crate::cli::exit;
use crate::core::msg::Msg;
use crate::core::sight::{self, BlindSpot};
use crate::core::source::{SourceHealth, SourceKind};
use crate::core::state::State;
use crate::core::triage::{self, TriageItem};

pub const SCHEMA: &str = "opsdeck.status/v1";

const SETTLE: Duration = Duration::from_millis(500);

#[derive(Debug, Serialize)]
pub struct Report {
    pub schema: &'static str,
    pub generated_at: chrono::DateTime<chrono::Utc>,
    pub sources: Vec<SourceReport>,
    pub broken: Vec<TriageItem>,
    /// What could not be seen and why: when not empty, "nothing broken"
    /// is only true of the rest.
    pub unseen: Vec<BlindSpot>,
}

#[derive(Debug, Serialize)]
pub struct SourceReport {
    pub source: SourceKind,
    pub state: &'static str,
    pub target: Option<String>,
    pub error: Option<String>,
    /// A disabled source: how to turn it on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub how_to_enable: Option<String>,
    /// GitHub: where the token came from, never the token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_from: Option<String>,
}

/// The same driver as the TUI's loop, without a screen: sources load, then
/// the Overview's rules are printed once.
pub async fn run(
    mut app: Driver,
    mut rx: mpsc::Receiver<Msg>,
    json: bool,
    wait: Duration,
) -> ExitCode {
    let start = tokio::time::Instant::now();
    // A source that does not load in time is reported as it stands.
    let _ = app
        .run_until(
            &mut rx,
            wait,
            "every source's first list",
            |_| {},
            all_loaded,
        )
        .await;
    // Details follow a first list (Docker's inspects: exit codes, OOM);
    // give them a moment so the reasons are as precise as the TUI's.
    let deadline = start + wait;
    let settle = (tokio::time::Instant::now() + SETTLE).min(deadline);
    while let Ok(Some(msg)) = tokio::time::timeout_at(settle, rx.recv()).await {
        app.apply_batch(msg, &mut rx, |_| {});
    }
    let report = report(&app.state);
    if json {
        match serde_json::to_string_pretty(&report) {
            Ok(text) => println!("{text}"),
            Err(e) => eprintln!("opsdeck: cannot encode the report: {e}"),
        }
    } else {
        print!("{}", text_table(&report));
    }
    exit_code(&report)
}

fn all_loaded(state: &State) -> bool {
    let docker = match &state.docker.health {
        SourceHealth::Disabled { .. } | SourceHealth::Unusable { .. } => true,
        _ => state.docker.containers.is_loaded(),
    };
    let gh = &state.github;
    let github = match &state.github_health {
        SourceHealth::Disabled { .. } | SourceHealth::Unusable { .. } => true,
        // A refused token refuses every repository: waiting out `--wait`
        // shows nothing more (the 401 came at once).
        _ if gh.token_rejected => true,
        _ => {
            !gh.repos.is_empty()
                && gh
                    .repos
                    .iter()
                    .all(|r| gh.answered.contains(r) || gh.repo_errors.contains_key(r))
        }
    };
    let kube = match &state.kube_health {
        SourceHealth::Disabled { .. } | SourceHealth::Unusable { .. } => true,
        _ => state.kube.all_loaded(),
    };
    docker && github && kube
}

pub fn report(state: &State) -> Report {
    let sources = [
        (SourceKind::GitHub, &state.github_health),
        (SourceKind::Kubernetes, &state.kube_health),
        (SourceKind::Docker, &state.docker.health),
    ]
    .into_iter()
    .map(|(source, health)| {
        let (word, target, error) = match health {
            SourceHealth::Disabled { .. } => ("disabled", None, None),
            SourceHealth::Unusable { detail, .. } => ("unusable", None, Some(detail.clone())),
            SourceHealth::Connecting { target } => ("connecting", Some(target.clone()), None),
            SourceHealth::Connected { target, .. } => ("connected", Some(target.clone()), None),
            SourceHealth::Reconnecting { target, error, .. } => {
                ("reconnecting", Some(target.clone()), Some(error.clone()))
            }
        };
        let how_to_enable = match health {
            SourceHealth::Disabled { how_to_enable } => Some(how_to_enable.clone()),
            _ => None,
        };
        let token_from = match source {
            SourceKind::GitHub => state.github.token_from.clone(),
            _ => None,
        };
        SourceReport {
            source,
            state: word,
            target,
            error,
            how_to_enable,
            token_from,
        }
    })
    .collect();
    Report {
        schema: SCHEMA,
        generated_at: state.clock,
        sources,
        broken: triage::items(state),
        unseen: sight::blind_spots(state),
    }
}

pub fn exit_code(report: &Report) -> ExitCode {
    ExitCode::from(if !report.unseen.is_empty() {
        exit::UNSEEN
    } else if report.broken.is_empty() {
        exit::OK
    } else {
        exit::BROKEN
    })
}

pub fn text_table(report: &Report) -> String {
    let mut out = String::new();
    for s in &report.sources {
        let detail = match (&s.target, &s.error, &s.how_to_enable) {
            (_, Some(e), _) => format!(" ({e})"),
            (Some(t), None, _) => format!(" ({t})"),
            (None, None, Some(how)) => format!(" (to turn on: {how})"),
            _ => String::new(),
        };
        let token = match &s.token_from {
            Some(from) => format!(" [token from {from}]"),
            None => String::new(),
        };
        out.push_str(&format!(
            "{:<11} {}{detail}{token}\n",
            s.source.label(),
            s.state
        ));
    }
    out.push('\n');
    if let Some(blind) = sight::summary(&report.unseen) {
        out.push_str(&format!(
            "Incomplete: opsdeck {blind}; what follows is only what it could see.\n\n"
        ));
    }
    if report.broken.is_empty() {
        out.push_str(if report.unseen.is_empty() {
            "Nothing broken.\n"
        } else {
            "Nothing broken in what opsdeck could see.\n"
        });
        return out;
    }
    let what_width = report
        .broken
        .iter()
        .map(|i| i.what.len())
        .max()
        .unwrap_or(4)
        .max(4);
    out.push_str(&format!(
        "{:<10} {:<what_width$} {:<20} REASON\n",
        "SOURCE", "WHAT", "SINCE"
    ));
    for item in &report.broken {
        let since = item
            .since
            .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_else(|| "-".into());
        out.push_str(&format!(
            "{:<10} {:<what_width$} {:<20} {}\n",
            item.source.label(),
            item.what,
            since,
            item.reason
        ));
    }
    out
}
