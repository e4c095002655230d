//! Node actions on the `:no` list: cordon, uncordon and drain, each through
//! the one action path (`act::ask`: a dialog needing `y`, refused under
//! `--readonly`, journaled by `act::done`). A drain first lists what it
//! would evict (a read), so its dialog can say how many pods go.

use crate::core::act::{self, Proposal, Risk};
use crate::core::action::Action;
use crate::core::effect::Effect;
use crate::core::kube::KubeOp;
use crate::core::kube_kind::{Cell, KindRow};
use crate::core::kube_msg::KubeCommand;
use crate::core::kube_node::{DrainPlan, PlanRequest};
use crate::core::source::SourceKind;
use crate::core::state::State;
use crate::core::toast::ToastLevel;

/// `C`, `U` or `R` on a node row; None for other keys.
pub(super) fn on_action(
    state: &mut State,
    action: Action,
    row: Option<KindRow>,
) -> Option<Vec<Effect>> {
    if !matches!(action, Action::Cordon | Action::Uncordon | Action::Drain) {
        return None;
    }
    let Some(row) = row else {
        return Some(Vec::new());
    };
    let context = row.key.context.to_string();
    let node = row.key.name.to_string();
    let cordoned =
        matches!(row.cells.first(), Some(Cell::Text(s)) if s.contains("SchedulingDisabled"));
    Some(match action {
        Action::Cordon if cordoned => {
            state.toast(ToastLevel::Info, format!("node {node} is already cordoned"));
            Vec::new()
        }
        Action::Uncordon if !cordoned => {
            state.toast(ToastLevel::Info, format!("node {node} is not cordoned"));
            Vec::new()
        }
        Action::Cordon => {
            let shown = format!("{node} in context {context}: no new pods will be scheduled on it");
            let op = KubeOp::Cordon { node, on: true };
            ask(state, context, "Cordon node", shown, op, Risk::Destructive)
        }
        Action::Uncordon => {
            let shown = format!("{node} in context {context}: pods may be scheduled on it again");
            let op = KubeOp::Cordon { node, on: false };
            ask(state, context, "Uncordon node", shown, op, Risk::Harmless)
        }
        _ => plan_drain(state, context, node),
    })
}

fn ask(
    state: &mut State,
    context: String,
    title: &str,
    shown_target: String,
    op: KubeOp,
    risk: Risk,
) -> Vec<Effect> {
    let required_text = state.kube.is_danger(&context).then(|| context.clone());
    let proposal = Proposal {
        source: SourceKind::Kubernetes,
        location: context.clone(),
        target: op.target(),
        verb: op.verb().to_string(),
        title: title.to_string(),
        shown_target,
        risk,
        required_text,
    };
    act::ask(state, proposal, |ticket| {
        Effect::Kube(KubeCommand::Op {
            ticket,
            context,
            // Nodes live outside namespaces.
            namespace: String::new(),
            op,
        })
    })
}

/// Lists the node's pods first (refused at once under `--readonly`, so
/// not even that read is made for nothing).
fn plan_drain(state: &mut State, context: String, node: String) -> Vec<Effect> {
    let target = format!("node {node}");
    if let Some(refused) = act::refusal(
        state,
        SourceKind::Kubernetes,
        context.clone(),
        target,
        "drain",
    ) {
        return refused;
    }
    let request = state.new_stream_id();
    state.kube.nodes.planning = Some(PlanRequest {
        request,
        context: context.clone(),
        node: node.clone(),
    });
    state.toast(
        ToastLevel::Info,
        format!("drain {node}: listing its pods..."),
    );
    vec![Effect::Kube(KubeCommand::PlanDrain {
        request,
        context,
        node,
    })]
}

/// The plan arrived: the dialog names the node and how many pods go.
pub(super) fn planned(
    state: &mut State,
    request: u64,
    result: Result<DrainPlan, String>,
) -> Vec<Effect> {
    let Some(asked) = state.kube.nodes.planning.take_if(|p| p.request == request) else {
        return Vec::new();
    };
    let PlanRequest { context, node, .. } = asked;
    match result {
        Ok(plan) => {
            let shown = format!("{node} in context {context}: {}", plan.summary());
            let op = KubeOp::Drain {
                node,
                timeout_secs: state.kube.nodes.timeout_secs(),
            };
            ask(state, context, "Drain node", shown, op, Risk::Destructive)
        }
        Err(e) => {
            state.toast(
                ToastLevel::Error,
                format!("drain {node}: its pods could not be listed: {e}"),
            );
            Vec::new()
        }
    }
}

/// A drain under way: one toast per node, its words updated in place.
pub(super) fn progress(state: &mut State, context: &str, node: &str, text: String) {
    let about = format!("drain {context}/{node}");
    state.toast_about(ToastLevel::Info, &about, format!("drain {node}: {text}"));
}

#[cfg(test)]
#[path = "kube_nodes_tests.rs"]
mod tests;
