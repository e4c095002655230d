//! When the metrics API is polled: after every message `update` compares
//! the list on screen (pods, nodes, or neither) with the poll running and
//! starts, moves or stops it, so no view has to remember to. Figures that
//! arrive are kept in `KubePane::metrics` and copied into the nodes' cells.

use crate::core::effect::Effect;
use crate::core::kube_kind::Cell;
use crate::core::kube_metrics::{MetricsEvent, MetricsOf, Polling};
use crate::core::kube_msg::KubeCommand;
use crate::core::kube_pane::KubeSort;
use crate::core::state::{State, Tab};

/// The list whose figures are on screen now, if any: the pods list (all
/// pods, or a workload's) or the nodes list, drawn and not covered by a
/// log, a pod's detail or the journal.
fn on_screen(state: &State) -> Option<MetricsOf> {
    let pane = &state.kube;
    let covered = pane.logs.is_some() || pane.detail.is_some() || state.overlay_log.is_some();
    if state.tab != Tab::Kubernetes || covered || pane.pods.data().is_none() {
        return None;
    }
    // A kind's list covers the pods (a workload's pods are the pods
    // list again); of the kinds only nodes have figures.
    match &pane.kind {
        Some(kind) if kind.listing() => (kind.spec.kind == "Node").then_some(MetricsOf::Nodes),
        _ => Some(MetricsOf::Pods),
    }
}

/// Each watched context, with its namespace for pods (None: all).
fn targets(state: &State, of: MetricsOf) -> Vec<(String, Option<String>)> {
    state
        .kube
        .contexts
        .values()
        .map(|c| {
            let one = of == MetricsOf::Pods && c.info.namespace != "*";
            (c.info.name.clone(), one.then(|| c.info.namespace.clone()))
        })
        .collect()
}

/// Starts, moves or stops the poll to match the screen.
pub(super) fn sync(state: &mut State) -> Vec<Effect> {
    let want = on_screen(state)
        .map(|of| (of, targets(state, of)))
        .filter(|(_, targets)| !targets.is_empty());
    let now = state.kube.metrics.polling.as_ref();
    let same = match (&want, now) {
        (Some((of, targets)), Some(p)) => p.of == *of && p.targets == *targets,
        (None, None) => true,
        _ => false,
    };
    if same {
        return Vec::new();
    }
    match want {
        Some((of, targets)) => {
            let request = state.new_stream_id();
            let metrics = &mut state.kube.metrics;
            if metrics.polling.as_ref().is_some_and(|p| p.of != of) {
                metrics.clear();
            }
            metrics.polling = Some(Polling {
                of,
                request,
                targets: targets.clone(),
            });
            vec![Effect::Kube(KubeCommand::PollMetrics {
                request,
                of,
                targets,
                every: state.settings.kube_metrics_every,
            })]
        }
        None => {
            state.kube.metrics.polling = None;
            state.kube.metrics.clear();
            vec![Effect::Kube(KubeCommand::StopMetrics)]
        }
    }
}

/// A poll's answer: kept if it belongs to the poll running now.
pub(super) fn on_event(state: &mut State, request: u64, event: MetricsEvent) -> Vec<Effect> {
    let pane = &mut state.kube;
    if pane.metrics.polling.as_ref().map(|p| p.request) != Some(request) {
        return Vec::new();
    }
    pane.metrics.apply(event);
    // Sorted by a figure, the order follows the figures.
    if matches!(pane.list.sort(), KubeSort::Cpu | KubeSort::Memory) {
        pane.rebuild_order();
    }
    fill_nodes(state);
    Vec::new()
}

/// Copies the figures into the nodes view's CPU and MEMORY cells (a
/// node's row comes from its watch with them empty).
pub(super) fn fill_nodes(state: &mut State) {
    let pane = &mut state.kube;
    let Some(view) = pane.kind.as_mut().filter(|k| k.spec.kind == "Node") else {
        return;
    };
    let mut changed = false;
    for row in view.rows.values_mut() {
        let usage = pane.metrics.nodes.get(&row.key);
        for cell in &mut row.cells {
            let new = match cell {
                Cell::Cpu(_) => Cell::Cpu(usage.map(|u| u.cpu_milli)),
                Cell::Memory(_) => Cell::Memory(usage.map(|u| u.memory_bytes)),
                _ => continue,
            };
            if *cell != new {
                *cell = new;
                changed = true;
            }
        }
    }
    if changed {
        view.rebuild_order();
    }
}

#[cfg(test)]
#[path = "kube_metrics_tests.rs"]
mod tests;
