//! `Msg::Health`, the one health report every source sends: where each
//! source's state lives, and what a failure does to its last known data
//! (kept, marked stale with the error).

use crate::core::effect::Effect;
use crate::core::source::{SourceHealth, SourceKind};
use crate::core::state::State;

use super::kube;

pub(super) fn on_health(
    state: &mut State,
    source: SourceKind,
    part: Option<String>,
    health: SourceHealth,
) -> Vec<Effect> {
    let error = match &health {
        SourceHealth::Reconnecting { error, .. } => Some(error.clone()),
        _ => None,
    };
    match (source, part) {
        // One engine of several: its rows stay (the others' are live), and
        // the source's health is theirs combined.
        (SourceKind::Docker, Some(engine)) => {
            let pane = &mut state.docker;
            pane.engines.insert(engine, health);
            if let Some(h) = crate::core::source::combine(
                pane.engines.iter().map(|(name, h)| (name.as_str(), h)),
            ) {
                pane.health = h;
            }
        }
        (SourceKind::Docker, None) => {
            if let Some(e) = error {
                state.docker.containers.fail(e);
            }
            state.docker.health = health;
        }
        (SourceKind::GitHub, _) => {
            if let Some(e) = error {
                state.github.runs.fail(e);
            }
            if health.is_connected() {
                state.github.token_rejected = false;
            }
            state.github_health = health;
        }
        // The whole source: no kubeconfig, or one that cannot be used.
        (SourceKind::Kubernetes, None) => {
            state.kube.contexts.clear();
            state.kube_health = health;
        }
        (SourceKind::Kubernetes, Some(context)) => {
            if let Some(c) = state.kube.contexts.get_mut(&context) {
                c.health = health;
            }
            kube::refresh_health(state);
        }
    }
    Vec::new()
}
