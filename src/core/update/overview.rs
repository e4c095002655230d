//! The Overview's part of `update`: moving through the triage list, jumping
//! to an item in its own pane, and announcing new breakage.

use crate::core::action::Action;
use crate::core::effect::{DockerCommand, Effect, GitHubCommand};
use crate::core::source::SourceKind;
use crate::core::state::{State, Tab};
use crate::core::toast::ToastLevel;
use crate::core::triage::TriageItem;
use crate::core::triage::{self, Target};

use super::{docker, view};

pub(super) fn on_action(state: &mut State, action: Action) -> Vec<Effect> {
    let items = refresh(state);
    if let Some(nav) = view::nav(action) {
        state.overview.navigate(nav);
        return Vec::new();
    }
    match action {
        Action::SortNext => {
            state.overview.cycle_sort();
            refresh(state);
            return Vec::new();
        }
        Action::SortReverse => {
            state.overview.reverse();
            refresh(state);
            return Vec::new();
        }
        Action::Back if !state.overview.filter().is_empty() => {
            return set_filter(state, String::new());
        }
        _ => {}
    }
    let Some(item) = state
        .overview
        .selected()
        .and_then(|k| items.iter().find(|i| &i.key == k))
    else {
        return Vec::new();
    };
    match action {
        Action::Copy => vec![Effect::Copy(item.what.clone())],
        Action::Bundle => bundle(state, item),
        Action::Open | Action::Logs => {
            let target = item.target.clone();
            jump(state, &target, action == Action::Logs)
        }
        _ => Vec::new(),
    }
}

/// The `/` filter of the triage list, applied at once (as in every list).
pub(super) fn set_filter(state: &mut State, text: String) -> Vec<Effect> {
    state.overview.set_filter(text);
    refresh(state);
    Vec::new()
}

/// The triage items as they are now, with the Overview's list rebuilt
/// from them (the selection kept on its item, or its nearest neighbour).
fn refresh(state: &mut State) -> Vec<TriageItem> {
    let items = triage::items(state);
    state.overview.rebuild(&items, &triage::TriageRows);
    items
}

/// Shows the item in its own pane, selected; with `logs`, opens its logs too.
pub(super) fn jump(state: &mut State, target: &Target, logs: bool) -> Vec<Effect> {
    match target {
        Target::Run { repo, id } => {
            state.tab = Tab::Actions;
            if !super::github::show_run(state, (repo.clone(), *id)) {
                state.toast(ToastLevel::Info, format!("run {id} of {repo} is gone"));
                return vec![Effect::GitHub(GitHubCommand::StopJobs)];
            }
            if logs {
                super::github::open_selected_run(state, true)
            } else {
                vec![Effect::GitHub(GitHubCommand::StopJobs)]
            }
        }
        Target::Container { id } => {
            state.tab = Tab::Docker;
            let closed = super::docker_objects::close(state);
            if !state.docker.list.filter().is_empty() {
                state.docker.list.set_filter("");
                state.docker.rebuild_order();
            }
            let mut effects = closed;
            if !state.docker.list.select(id) {
                state.toast(ToastLevel::Info, "that container is gone");
                effects.extend(docker::after_view_change(state));
                return effects;
            }
            if logs {
                effects.extend(docker::on_action(state, Action::Logs));
            } else {
                effects.extend(docker::after_view_change(state));
            }
            effects
        }
        Target::Pod {
            context,
            namespace,
            name,
        } => {
            let key = crate::core::kube::PodKey::new(context, namespace, name);
            jump_to_pod(state, key, logs)
        }
        Target::KubeObject {
            context,
            object_kind,
            namespace,
            name,
        } => {
            state.tab = Tab::Kubernetes;
            let mut effects = super::kube_logs::close(state);
            if state.kube.detail.take().is_some() {
                effects.push(Effect::Kube(crate::core::kube_msg::KubeCommand::StopEvents));
            }
            effects.extend(super::kube_kind::show_object(
                state,
                context,
                object_kind,
                namespace,
                name,
            ));
            effects
        }
    }
}

fn jump_to_pod(state: &mut State, key: crate::core::kube::PodKey, logs: bool) -> Vec<Effect> {
    state.tab = Tab::Kubernetes;
    let mut effects = super::kube_logs::close(state);
    if state.kube.detail.take().is_some() {
        effects.push(Effect::Kube(crate::core::kube_msg::KubeCommand::StopEvents));
    }
    effects.extend(super::kube_kind::close(state));
    if !state.kube.list.filter().is_empty() {
        state.kube.list.set_filter("");
        state.kube.rebuild_order();
    }
    if state.kube.pod(&key).is_none() {
        state.toast(ToastLevel::Info, format!("pod {key} is gone"));
        return effects;
    }
    state.kube.list.select(&key);
    if logs {
        effects.extend(super::kube_logs::open_pod(state, &key, None));
    }
    effects
}

/// Toasts (and rings, if enabled) for what broke since the last look.
pub(super) fn notify_new_breakage(state: &mut State) -> Vec<Effect> {
    let mut loaded = Vec::new();
    if state.docker.containers.data().is_some() {
        loaded.push(SourceKind::Docker.label().to_ascii_lowercase());
    }
    for repo in &state.github.answered {
        loaded.push(format!("github:{repo}"));
    }
    if state.kube.pods.data().is_some() {
        loaded.push(SourceKind::Kubernetes.label().to_ascii_lowercase());
    }
    let items = refresh(state);
    let fresh = state.notifier.newly_broken(&items, &loaded);
    let mut effects = Vec::new();
    for item in &fresh {
        state.toast_about(ToastLevel::Error, &item.key, item.headline());
    }
    if !fresh.is_empty() && state.settings.bell {
        effects.push(Effect::Bell);
    }
    effects
}

/// Lines of log in an incident bundle.
const BUNDLE_LOG_LINES: u64 = 200;

fn bundle(state: &mut State, item: &TriageItem) -> Vec<Effect> {
    let stamp = state.clock.format("%Y%m%d-%H%M%S");
    let safe: String = item
        .what
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let path = state
        .settings
        .save_dir
        .join(format!("opsdeck-incident-{safe}-{stamp}.md"));
    let timeline = super::timeline::bundle_section(state, item.since.unwrap_or(state.clock));
    match &item.target {
        Target::Run { repo, id } => {
            let Some(run) = state.github.run(&(repo.clone(), *id)).cloned() else {
                return Vec::new();
            };
            vec![Effect::GitHub(GitHubCommand::IncidentBundle {
                path,
                item: Box::new(item.clone()),
                run: Box::new(run),
                timeline,
            })]
        }
        Target::Container { id } => {
            let container = state.docker.container(id).cloned().map(Box::new);
            vec![Effect::Docker(DockerCommand::IncidentBundle {
                path,
                item: Box::new(item.clone()),
                container,
                tail: BUNDLE_LOG_LINES,
                timeline,
            })]
        }
        Target::Pod {
            context,
            namespace,
            name,
        } => {
            let key = crate::core::kube::PodKey::new(context, namespace, name);
            let Some(pod) = state.kube.pods.data().and_then(|m| m.get(&key)).cloned() else {
                return Vec::new();
            };
            vec![Effect::Kube(
                crate::core::kube_msg::KubeCommand::IncidentBundle {
                    path,
                    item: Box::new(item.clone()),
                    pod: Box::new(pod),
                    timeline,
                },
            )]
        }
        Target::KubeObject {
            object_kind, name, ..
        } => {
            state.toast(
                ToastLevel::Info,
                format!(
                    "no incident bundle for {object_kind} {name}: bundles are written for \
                     pods, containers and runs"
                ),
            );
            Vec::new()
        }
    }
}
