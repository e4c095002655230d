//! Kubernetes mutations: delete pod, rollout restart, scale. Each waits in
//! a `Confirm` holding its effect (through `core::act`); a context matching
//! a danger pattern must have its name typed.

use crate::core::act::{self, Proposal, Risk};
use crate::core::action::Action;
use crate::core::effect::Effect;
use crate::core::kube::{KubeOp, OwnerRef, PodRow};
use crate::core::kube_kinds;
use crate::core::kube_msg::KubeCommand;
use crate::core::kube_pane::ScaleTarget;
use crate::core::source::SourceKind;
use crate::core::state::{InputPurpose, State, TextInput};
use crate::core::toast::ToastLevel;

/// Most replicas the input accepts; a typo like 300 instead of 3 stays
/// possible, 30000 does not.
const MAX_REPLICAS: u32 = 1_000;

/// The pod the action is about: the detail view's, else the selection.
fn target_pod(state: &State) -> Option<PodRow> {
    let key = match &state.kube.detail {
        Some(d) => Some(&d.key),
        None => state.kube.list.selected(),
    }?;
    state.kube.pod(key).cloned()
}

/// Asks to run `op` in the pod's context and namespace (through the one
/// action path); a danger context's name must be typed.
fn ask(
    state: &mut State,
    context: String,
    namespace: String,
    title: &str,
    shown: String,
    op: KubeOp,
    risk: Risk,
) -> Vec<Effect> {
    let required_text = state.kube.is_danger(&context).then(|| context.clone());
    let proposal = Proposal {
        source: SourceKind::Kubernetes,
        location: format!("{context}/{namespace}"),
        target: op.target(),
        verb: op.verb().to_string(),
        title: title.to_string(),
        shown_target: format!("{namespace}/{shown} in context {context}"),
        risk,
        required_text,
    };
    act::ask(state, proposal, |ticket| {
        Effect::Kube(KubeCommand::Op {
            ticket,
            context,
            namespace,
            op,
        })
    })
}

fn op_object(op: &KubeOp) -> String {
    match op {
        KubeOp::DeletePod { name } => name.clone(),
        KubeOp::RolloutRestart { owner } => owner.name.clone(),
        KubeOp::Scale { owner, replicas } => format!("{} to {replicas} replicas", owner.name),
        KubeOp::Cordon { node, .. } | KubeOp::Drain { node, .. } => node.clone(),
    }
}

pub(super) fn ask_delete(state: &mut State) -> Vec<Effect> {
    let Some(pod) = target_pod(state) else {
        return Vec::new();
    };
    let op = KubeOp::DeletePod {
        name: pod.key.name.to_string(),
    };
    ask_on_pod(state, &pod, "Delete pod", op, Risk::Destructive)
}

/// Asks for `op` in the pod's own context and namespace.
fn ask_on_pod(state: &mut State, pod: &PodRow, title: &str, op: KubeOp, risk: Risk) -> Vec<Effect> {
    let shown = op_object(&op);
    let (context, namespace) = (pod.key.context.to_string(), pod.key.namespace.to_string());
    ask(state, context, namespace, title, shown, op, risk)
}

fn workload_of(state: &mut State, pod: &PodRow, what: &str) -> Option<OwnerRef> {
    let owner = state.kube.workload(pod).filter(OwnerRef::is_workload);
    if owner.is_none() {
        state.toast(
            ToastLevel::Info,
            format!(
                "{what}: pod {} belongs to no deployment, statefulset or daemonset",
                pod.key.name
            ),
        );
    }
    owner
}

/// Rollout restart of a workload named directly (a row of its kind's view).
pub(super) fn ask_restart_owner(
    state: &mut State,
    context: String,
    namespace: String,
    owner: OwnerRef,
) -> Vec<Effect> {
    let title = format!("Rollout restart {}", owner.kind.to_lowercase());
    let shown = owner.name.clone();
    let op = KubeOp::RolloutRestart { owner };
    ask(
        state,
        context,
        namespace,
        &title,
        shown,
        op,
        Risk::Destructive,
    )
}

pub(super) fn ask_restart(state: &mut State) -> Vec<Effect> {
    let Some(pod) = target_pod(state) else {
        return Vec::new();
    };
    let Some(owner) = workload_of(state, &pod, "rollout restart") else {
        return Vec::new();
    };
    let title = format!("Rollout restart {}", owner.kind.to_lowercase());
    let op = KubeOp::RolloutRestart { owner };
    ask_on_pod(state, &pod, &title, op, Risk::Destructive)
}

/// Opens the replicas input for the pod's workload, if its kind scales.
pub(super) fn ask_scale(state: &mut State) -> Vec<Effect> {
    let Some(pod) = target_pod(state) else {
        return Vec::new();
    };
    let Some(owner) = workload_of(state, &pod, "scale") else {
        return Vec::new();
    };
    let scales =
        kube_kinds::by_kind(&owner.kind).is_some_and(|k| k.action_for(Action::Scale).is_some());
    if !scales {
        state.toast(
            ToastLevel::Info,
            format!("scale works on deployments and statefulsets; {owner} is not one"),
        );
        return Vec::new();
    }
    let (context, namespace) = (pod.key.context.to_string(), pod.key.namespace.to_string());
    let pods_now = state.kube.pods_of(&context, &namespace, &owner);
    open_replicas(state, context, namespace, owner, pods_now)
}

/// Opens the replicas input for a workload that has `now` replicas
/// (pods seen, or the wanted count its row shows).
pub(super) fn open_replicas(
    state: &mut State,
    context: String,
    namespace: String,
    owner: OwnerRef,
    pods_now: usize,
) -> Vec<Effect> {
    // Refused before the replicas are typed, not after.
    let early = act::refusal(
        state,
        SourceKind::Kubernetes,
        format!("{context}/{namespace}"),
        format!("{} {}", owner.kind.to_lowercase(), owner.name),
        "scale",
    );
    if let Some(effects) = early {
        return effects;
    }
    state.kube.scale = Some(ScaleTarget {
        context,
        namespace,
        owner,
        pods_now,
    });
    state.input = Some(TextInput {
        purpose: InputPurpose::Replicas,
        text: pods_now.to_string(),
    });
    Vec::new()
}

/// Enter in the replicas input: a valid number opens the confirmation.
pub(super) fn confirm_scale(state: &mut State, text: &str) -> Vec<Effect> {
    let Some(target) = state.kube.scale.take() else {
        return Vec::new();
    };
    let replicas = match text.trim().parse::<u32>() {
        Ok(n) if n <= MAX_REPLICAS => n,
        _ => {
            state.toast(
                ToastLevel::Error,
                format!("replicas must be a number from 0 to {MAX_REPLICAS}, not \"{text}\""),
            );
            return Vec::new();
        }
    };
    // Fewer pods is an outage risk; more is not.
    let risk = if (replicas as usize) < target.pods_now {
        Risk::Destructive
    } else {
        Risk::Harmless
    };
    let shown = format!(
        "{} from {} to {replicas} replicas",
        target.owner.name, target.pods_now
    );
    let title = format!("Scale {}", target.owner.kind.to_lowercase());
    let op = KubeOp::Scale {
        owner: target.owner,
        replicas,
    };
    ask(
        state,
        target.context,
        target.namespace,
        &title,
        shown,
        op,
        risk,
    )
}

pub(super) fn cancel_scale(state: &mut State) {
    state.kube.scale = None;
}
