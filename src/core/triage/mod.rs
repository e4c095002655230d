//! The Overview's rules: what counts as broken, in what order, and when a
//! breakage is new enough to notify about. Pure functions over the state.

use super::cause;
use super::docker::{Container, ContainerState, Health, Severity};
use std::cmp::Ordering;

use super::filter::Fields;
use super::list::{RowSpec, SortColumn};
use super::source::SourceKind;
use super::state::State;

pub use item::{Cause, Target, TriageItem};
pub use notifier::Notifier;

/// A container is broken when it exited non-zero, was OOM-killed, is
/// unhealthy, restarting, or dead. A clean exit (0) is not an incident.
pub fn container_reason(c: &Container) -> Option<String> {
    if c.severity() != Severity::Broken {
        return None;
    }
    let mut reason = match (c.state, c.health) {
        (_, Some(Health::Unhealthy)) => "unhealthy".to_string(),
        (ContainerState::Restarting, _) => "restarting".to_string(),
        (ContainerState::Dead, _) => "dead".to_string(),
        _ if c.oom_killed => format!("OOMKilled (exit {})", c.exit_code.unwrap_or(137)),
        _ => format!("exited with code {}", c.exit_code.unwrap_or(-1)),
    };
    if c.restart_count > 0 {
        reason.push_str(&format!(", {} restarts", c.restart_count));
    }
    Some(reason)
}

pub fn docker_items(state: &State) -> Vec<TriageItem> {
    let engine = match &state.docker.health {
        super::source::SourceHealth::Connected { target, .. }
        | super::source::SourceHealth::Reconnecting { target, .. }
        | super::source::SourceHealth::Connecting { target } => target.clone(),
        super::source::SourceHealth::Disabled { .. } => String::new(),
    };
    let Some(map) = state.docker.containers.data() else {
        return Vec::new();
    };
    map.values()
        .filter_map(|c| {
            let reason = container_reason(c)?;
            Some(TriageItem {
                source: SourceKind::Docker,
                key: format!("docker:{}", c.id),
                what: format!("container {}", c.name),
                location: engine.clone(),
                since: c.finished_at.or(c.started_at).or(c.created),
                reason,
                target: Target::Container { id: c.id.clone() },
                cause: container_cause(state, c),
            })
        })
        .collect()
}

/// Everything broken, newest first (unknown times last), then by name so the
/// order is stable between refreshes.
/// The commit a container's image was built from and, when a known run has
/// that head commit, the run (the newest attempt of the newest such run).
pub fn container_cause(state: &State, c: &Container) -> Option<Cause> {
    cause_of_commit(state, cause::container_commit(c)?)
}

/// The same for a pod's container image (its tag is the only hint there).
pub fn commit_cause(state: &State, image: &str) -> Option<Cause> {
    cause_of_commit(state, cause::image_tag_commit(image)?)
}

fn cause_of_commit(state: &State, commit: String) -> Option<Cause> {
    let run = state.github.runs.data().and_then(|runs| {
        runs.values()
            .filter(|r| cause::sha_matches(&commit, &r.head_sha))
            .max_by_key(|r| (r.created_at, r.attempt))
    });
    let short: String = commit.chars().take(7).collect();
    Some(match run {
        Some(r) => Cause {
            text: format!(
                "built from {short} by {} #{} ({})",
                r.workflow, r.number, r.repo
            ),
            run: Some(Target::Run {
                repo: r.repo.clone(),
                id: r.id,
            }),
            commit,
        },
        None => Cause {
            text: format!("built from {short}"),
            run: None,
            commit,
        },
    })
}

pub fn items(state: &State) -> Vec<TriageItem> {
    let mut all = docker_items(state);
    all.extend(github::items(state));
    all.extend(kube::kube_items(state));
    all.sort_by(|a, b| b.since.cmp(&a.since).then_with(|| a.what.cmp(&b.what)));
    all
}

/// The Overview's sort columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TriageSort {
    /// The order `items` gives: newest breakage first.
    #[default]
    Newest,
    /// GitHub, Kubernetes, Docker together, newest first within.
    Source,
    What,
}

impl SortColumn for TriageSort {
    fn next(self) -> Self {
        match self {
            Self::Newest => Self::Source,
            Self::Source => Self::What,
            Self::What => Self::Newest,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Newest => "newest",
            Self::Source => "source",
            Self::What => "what",
        }
    }
}

/// Triage items as list rows.
pub struct TriageRows;

impl RowSpec<TriageItem> for TriageRows {
    type Key = String;
    type Sort = TriageSort;

    fn key(&self, item: &TriageItem) -> String {
        item.key.clone()
    }

    fn fields(&self, item: &TriageItem, out: &mut Fields) {
        // `pod shop/web-1` names the row; the filter ranks its own name,
        // so `/web` puts `web-1` before a pod merely in a `web` namespace.
        let name = item
            .what
            .split_once(' ')
            .map_or(item.what.as_str(), |(_, n)| n);
        let name = name.rsplit('/').next().unwrap_or(name);
        out.name(name);
        out.field(&["what"], &item.what);
        out.field(&["source", "kind"], item.source.label());
        // Where is a repository, a context/namespace or an engine: the
        // field names users of each tool type all reach it.
        out.field(&["where", "repo", "ctx", "ns", "location"], &item.location);
        out.field(&["reason", "status"], &item.reason);
        if let Some(cause) = &item.cause {
            out.field(&["cause"], &cause.text);
        }
    }

    fn compare(&self, a: &TriageItem, b: &TriageItem, sort: TriageSort) -> Ordering {
        let newest = || b.since.cmp(&a.since).then_with(|| a.what.cmp(&b.what));
        match sort {
            TriageSort::Newest => newest(),
            TriageSort::Source => a.source.label().cmp(b.source.label()).then_with(newest),
            TriageSort::What => a.what.cmp(&b.what).then_with(newest),
        }
    }
}

pub mod github;
#[cfg(test)]
mod github_tests;
pub mod item;
pub mod kube;
pub mod notifier;

#[cfg(test)]
mod tests;
