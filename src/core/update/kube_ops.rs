//! Kubernetes mutations: delete pod, rollout restart, scale. Each waits in
//! a `Confirm` holding its effect; a context matching a danger pattern must
//! have its name typed; `--readonly` refuses them before any dialog.

use crate::core::confirm::Confirm;
use crate::core::effect::Effect;
use crate::core::journal::JournalEntry;
use crate::core::kube::{KubeOp, OwnerRef, PodRow};
use crate::core::kube_msg::KubeCommand;
use crate::core::kube_pane::ScaleTarget;
use crate::core::state::{InputPurpose, State, TextInput};
use crate::core::toast::ToastLevel;

/// Most replicas the input accepts; a typo like 300 instead of 3 stays
/// possible, 30000 does not.
const MAX_REPLICAS: u32 = 1_000;

fn refused_readonly(state: &mut State, what: &str) -> bool {
    if state.settings.readonly {
        state.toast(ToastLevel::Error, format!("read-only mode: {what} refused"));
    }
    state.settings.readonly
}

/// The pod the action is about: the detail view's, else the selection.
fn target_pod(state: &State) -> Option<PodRow> {
    let key = match &state.kube.detail {
        Some(d) => Some(&d.key),
        None => state.kube.list.selected(),
    }?;
    state.kube.pod(key).cloned()
}

fn ask(state: &mut State, pod: &PodRow, title: &str, op: KubeOp) {
    let context = pod.key.context.to_string();
    let namespace = pod.key.namespace.to_string();
    let target = format!("{namespace}/{} in context {context}", op_object(&op));
    let effect = Effect::Kube(KubeCommand::Op {
        context: context.clone(),
        namespace,
        op,
    });
    let mut confirm = Confirm::new(title, target, effect);
    if state.kube.is_danger(&context) {
        confirm = confirm.with_required_text(context);
    }
    state.confirm = Some(confirm);
}

fn op_object(op: &KubeOp) -> String {
    match op {
        KubeOp::DeletePod { name } => name.clone(),
        KubeOp::RolloutRestart { owner } => owner.name.clone(),
        KubeOp::Scale {
            deployment,
            replicas,
        } => format!("{deployment} to {replicas} replicas"),
    }
}

pub(super) fn ask_delete(state: &mut State) -> Vec<Effect> {
    let Some(pod) = target_pod(state) else {
        return Vec::new();
    };
    if refused_readonly(state, &format!("delete pod {}", pod.key.name)) {
        return Vec::new();
    }
    let op = KubeOp::DeletePod {
        name: pod.key.name.to_string(),
    };
    ask(state, &pod, "Delete pod", op);
    Vec::new()
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

pub(super) fn ask_restart(state: &mut State) -> Vec<Effect> {
    let Some(pod) = target_pod(state) else {
        return Vec::new();
    };
    let Some(owner) = workload_of(state, &pod, "rollout restart") else {
        return Vec::new();
    };
    if refused_readonly(state, &format!("rollout restart {owner}")) {
        return Vec::new();
    }
    let title = format!("Rollout restart {}", owner.kind.to_lowercase());
    ask(state, &pod, &title, KubeOp::RolloutRestart { owner });
    Vec::new()
}

/// Opens the replicas input for the pod's deployment.
pub(super) fn ask_scale(state: &mut State) -> Vec<Effect> {
    let Some(pod) = target_pod(state) else {
        return Vec::new();
    };
    let Some(owner) = workload_of(state, &pod, "scale") else {
        return Vec::new();
    };
    if owner.kind != "Deployment" {
        state.toast(
            ToastLevel::Info,
            format!("scale works on deployments; {owner} is not one"),
        );
        return Vec::new();
    }
    if refused_readonly(state, &format!("scale deployment {}", owner.name)) {
        return Vec::new();
    }
    let (context, namespace) = (pod.key.context.to_string(), pod.key.namespace.to_string());
    let pods_now = state.kube.pods_of(&context, &namespace, &owner);
    state.kube.scale = Some(ScaleTarget {
        context,
        namespace,
        deployment: owner.name,
        pods_now,
    });
    state.input = Some(TextInput {
        purpose: InputPurpose::Replicas,
        text: pods_now.to_string(),
    });
    Vec::new()
}

/// Enter in the replicas input: a valid number opens the confirmation.
pub(super) fn confirm_scale(state: &mut State, text: &str) {
    let Some(target) = state.kube.scale.take() else {
        return;
    };
    let replicas = match text.trim().parse::<u32>() {
        Ok(n) if n <= MAX_REPLICAS => n,
        _ => {
            state.toast(
                ToastLevel::Error,
                format!("replicas must be a number from 0 to {MAX_REPLICAS}, not \"{text}\""),
            );
            return;
        }
    };
    let op = KubeOp::Scale {
        deployment: target.deployment.clone(),
        replicas,
    };
    let target_text = format!(
        "{}/{} from {} to {replicas} replicas in context {}",
        target.namespace, target.deployment, target.pods_now, target.context
    );
    let effect = Effect::Kube(KubeCommand::Op {
        context: target.context.clone(),
        namespace: target.namespace,
        op,
    });
    let mut confirm = Confirm::new("Scale deployment", target_text, effect);
    if state.kube.is_danger(&target.context) {
        confirm = confirm.with_required_text(target.context);
    }
    state.confirm = Some(confirm);
}

pub(super) fn cancel_scale(state: &mut State) {
    state.kube.scale = None;
}

pub(super) fn on_result(
    state: &mut State,
    context: String,
    namespace: String,
    op: KubeOp,
    result: Result<(), String>,
) -> Vec<Effect> {
    let target = format!("{namespace}/{}", op_object(&op));
    let entry = JournalEntry {
        time: state.clock,
        source: "kubernetes",
        location: format!("{context}/{namespace}"),
        target: op.target(),
        action: op.verb().to_string(),
        result: result.clone(),
    };
    match result {
        Ok(()) => state.toast(ToastLevel::Success, format!("{} {target}: done", op.verb())),
        Err(e) => state.toast(
            ToastLevel::Error,
            format!("{} {target} failed: {e}", op.verb()),
        ),
    }
    vec![Effect::AppendJournal(entry)]
}
