//! The Deployments view (`:deploy`): opening it starts its watch, closing
//! it stops it; `Enter` shows a deployment's pods, `Esc` comes back.
//!
//! A deployment's pods are those whose ReplicaSet a controller reference
//! ties to the deployment (pod -> ReplicaSet -> Deployment, the owners the
//! pane already watches), not the pods its selector matches: a selector can
//! also match another workload's or a hand-made pod, the owner chain cannot.

use crate::core::action::Action;
use crate::core::effect::Effect;
use crate::core::kube::OwnerRef;
use crate::core::kube_deploy::{DeployEvent, DeployView};
use crate::core::kube_msg::KubeCommand;
use crate::core::state::{State, Tab};

use super::{kube, kube_logs, kube_ops, view};

/// Each watched context and its namespace (None: all of them).
fn targets(state: &State) -> Vec<(String, Option<String>)> {
    state
        .kube
        .contexts
        .values()
        .flat_map(|c| super::kube_select::targets(&c.info, true))
        .collect()
}

fn watch(state: &mut State) -> Vec<Effect> {
    let request = state.new_stream_id();
    let targets = targets(state);
    state.kube.deploy = Some(DeployView::new(request));
    vec![Effect::Kube(KubeCommand::WatchDeployments {
        request,
        targets,
    })]
}

/// `:deploy`: the list, in the Kubernetes tab; already open, back to it.
pub(super) fn open(state: &mut State) -> Vec<Effect> {
    state.tab = Tab::Kubernetes;
    let mut effects = kube_logs::close(state);
    if state.kube.detail.is_some() {
        effects.extend(kube::close_detail(state));
    }
    effects.extend(super::kube_kind::close(state));
    match state.kube.deploy.as_mut() {
        Some(view) => {
            view.pods_of = None;
            state.kube.rebuild_order();
        }
        None => effects.extend(watch(state)),
    }
    effects
}

/// Back to the pods; the watch stops with the view.
pub(super) fn close(state: &mut State) -> Vec<Effect> {
    if state.kube.deploy.take().is_none() {
        return Vec::new();
    }
    state.kube.rebuild_order();
    vec![Effect::Kube(KubeCommand::StopDeployments)]
}

/// The watched contexts or namespaces changed: the open view watches the new ones.
pub(super) fn after_scope_change(state: &mut State) -> Vec<Effect> {
    if state.kube.deploy.is_none() {
        return Vec::new();
    }
    let pods_of = state.kube.deploy.as_ref().and_then(|d| d.pods_of.clone());
    let effects = watch(state);
    // A deployment's pods stay on screen if it is still watched.
    let watched = pods_of.filter(|k| state.kube.contexts.contains_key(&*k.context));
    if let Some(view) = state.kube.deploy.as_mut() {
        view.pods_of = watched;
    }
    state.kube.rebuild_order();
    effects
}

pub(super) fn on_event(state: &mut State, request: u64, event: DeployEvent) -> Vec<Effect> {
    if let Some(view) = state.kube.deploy.as_mut().filter(|v| v.request == request) {
        view.apply(event);
    }
    Vec::new()
}

/// Keys while the view is open; None leaves them to the pods list (a
/// deployment's pods are the pods list, filtered).
pub(super) fn on_action(state: &mut State, action: Action) -> Option<Vec<Effect>> {
    let view = state.kube.deploy.as_mut()?;
    if !view.listing() {
        if action == Action::Back && state.kube.list.filter().is_empty() {
            view.pods_of = None;
            state.kube.rebuild_order();
            return Some(Vec::new());
        }
        return None;
    }
    if let Some(nav) = view::nav(action) {
        view.list.navigate(nav);
        return Some(Vec::new());
    }
    let selected = view.selected().cloned();
    let effects = match action {
        Action::SortNext | Action::SortReverse => {
            if action == Action::SortNext {
                view.list.cycle_sort();
            } else {
                view.list.reverse();
            }
            view.rebuild_order();
            Vec::new()
        }
        Action::Back if !view.list.filter().is_empty() => {
            view.list.set_filter("");
            view.rebuild_order();
            Vec::new()
        }
        Action::Back => close(state),
        Action::Open => {
            if let Some(row) = selected {
                view.pods_of = Some(row.key);
                state.kube.list.set_filter("");
                state.kube.rebuild_order();
                state.kube.list.select_first();
            }
            Vec::new()
        }
        Action::Copy => selected
            .map(|r| vec![Effect::Copy(r.key.name.to_string())])
            .unwrap_or_default(),
        Action::RolloutRestart => match selected {
            Some(r) => kube_ops::ask_restart_owner(
                state,
                r.key.context.to_string(),
                r.key.namespace.to_string(),
                OwnerRef {
                    kind: "Deployment".into(),
                    name: r.key.name.to_string(),
                },
            ),
            None => Vec::new(),
        },
        Action::Scale => match selected {
            Some(r) => kube_ops::open_replicas(
                state,
                r.key.context.to_string(),
                r.key.namespace.to_string(),
                r.key.name.to_string(),
                r.desired as usize,
            ),
            None => Vec::new(),
        },
        // Pod keys (logs, delete) mean nothing on a deployment row.
        _ => Vec::new(),
    };
    Some(effects)
}

/// The `/` filter, while the list is on screen.
pub(super) fn set_filter(state: &mut State, text: &str) -> bool {
    match state.kube.deploy.as_mut().filter(|v| v.listing()) {
        Some(view) => {
            view.list.set_filter(text);
            view.rebuild_order();
            true
        }
        None => false,
    }
}

#[cfg(test)]
#[path = "kube_deploy_tests.rs"]
mod tests;
