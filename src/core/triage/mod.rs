//! The Overview's rules: what counts as broken, in what order, and when a
//! breakage is new enough to notify about. Pure functions over the state.

use super::cause;
use super::docker::{Container, ContainerState, Health, Severity};

use super::source::SourceKind;
use super::state::State;

pub use item::{Cause, Target, TriageItem};
pub use notifier::Notifier;
pub use rows::{TriageRows, TriageSort};

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
        super::source::SourceHealth::Disabled { .. }
        | super::source::SourceHealth::Unusable { .. } => String::new(),
    };
    let Some(map) = state.docker.containers.data() else {
        return Vec::new();
    };
    map.values()
        .filter_map(|c| {
            let reason = container_reason(c)?;
            Some(TriageItem {
                source: SourceKind::Docker,
                key: format!("docker:{}", c.key()),
                what: format!("container {}", c.name),
                location: engine.clone(),
                since: c.finished_at.or(c.started_at).or(c.created),
                reason,
                target: Target::Container { id: c.key() },
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
    all.extend(kube::warning_items(state));
    all.sort_by(|a, b| b.since.cmp(&a.since).then_with(|| a.what.cmp(&b.what)));
    all
}

pub mod github;
#[cfg(test)]
mod github_tests;
pub mod item;
pub mod kube;
pub mod notifier;
pub mod rows;

#[cfg(test)]
mod tests;
