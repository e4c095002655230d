//! `s` on a pod: a shell in one of its containers, chosen in a small
//! picker when there are several (the input line: Tab goes to the next
//! container, Enter takes it), then asked through `core::act` (a danger
//! context's name must be typed), refused under `--readonly`.

use crate::core::act::{self, Proposal, Risk};
use crate::core::effect::{Effect, ShellTarget};
use crate::core::kube::{ContainerState, PodRow};
use crate::core::kube_pane::ShellPick;
use crate::core::source::SourceKind;
use crate::core::state::{InputPurpose, State, TextInput};
use crate::core::toast::ToastLevel;

/// The pod the action is about: the detail view's, else the selection.
fn target_pod(state: &State) -> Option<PodRow> {
    let key = match &state.kube.detail {
        Some(d) => Some(&d.key),
        None => state.kube.list.selected(),
    }?;
    state.kube.pod(key).cloned()
}

pub(super) fn ask_shell(state: &mut State) -> Vec<Effect> {
    let Some(pod) = target_pod(state) else {
        return Vec::new();
    };
    let (context, namespace) = (pod.key.context.to_string(), pod.key.namespace.to_string());
    let name = pod.key.name.to_string();
    // Refused before a container is even picked.
    let early = act::refusal(
        state,
        SourceKind::Kubernetes,
        format!("{context}/{namespace}"),
        format!("pod {name}"),
        "open a shell in",
    );
    if let Some(effects) = early {
        return effects;
    }
    // Init containers have finished by the time a pod runs.
    let running: Vec<String> = pod
        .containers
        .iter()
        .filter(|c| !c.init && matches!(c.state, ContainerState::Running { .. }))
        .map(|c| c.name.clone())
        .collect();
    let pick = ShellPick {
        context,
        namespace,
        pod: name,
        containers: running,
    };
    match pick.containers.as_slice() {
        [] => {
            let text = format!(
                "pod {} has no running container to open a shell in",
                pick.pod
            );
            state.toast(ToastLevel::Info, text);
            Vec::new()
        }
        [only] => {
            let container = only.clone();
            ask(state, pick, container)
        }
        [first, ..] => {
            state.input = Some(TextInput {
                purpose: InputPurpose::ShellContainer,
                text: first.clone(),
            });
            state.kube.shell_pick = Some(pick);
            Vec::new()
        }
    }
}

/// Tab in the picker: the next container, round.
pub(super) fn next_container(state: &mut State) {
    let (Some(pick), Some(input)) = (&state.kube.shell_pick, state.input.as_mut()) else {
        return;
    };
    let at = pick.containers.iter().position(|c| *c == input.text);
    let next = at.map_or(0, |i| (i + 1) % pick.containers.len());
    if let Some(name) = pick.containers.get(next) {
        input.text = name.clone();
    }
}

/// Enter in the picker: a container of the pod opens the confirmation.
pub(super) fn picked(state: &mut State, text: &str) -> Vec<Effect> {
    let Some(pick) = state.kube.shell_pick.take() else {
        return Vec::new();
    };
    let name = text.trim();
    match pick.containers.iter().find(|c| *c == name) {
        Some(container) => {
            let container = container.clone();
            ask(state, pick, container)
        }
        None => {
            let text = format!(
                "pod {} has no running container \"{name}\"; it has {}",
                pick.pod,
                pick.containers.join(", ")
            );
            state.toast(ToastLevel::Error, text);
            Vec::new()
        }
    }
}

pub(super) fn cancel_pick(state: &mut State) {
    state.kube.shell_pick = None;
}

fn ask(state: &mut State, pick: ShellPick, container: String) -> Vec<Effect> {
    let ShellPick {
        context,
        namespace,
        pod,
        ..
    } = pick;
    let required_text = state.kube.is_danger(&context).then(|| context.clone());
    let proposal = Proposal {
        source: SourceKind::Kubernetes,
        location: format!("{context}/{namespace}"),
        target: format!("pod {pod} (container {container})"),
        verb: "open a shell in".to_string(),
        title: "Open a shell in pod".to_string(),
        shown_target: format!("{namespace}/{pod}, container {container}, in context {context}"),
        risk: Risk::Harmless,
        required_text,
    };
    act::ask(state, proposal, |ticket| Effect::Shell {
        ticket,
        target: ShellTarget::Kube {
            context,
            namespace,
            pod,
            container,
        },
    })
}
