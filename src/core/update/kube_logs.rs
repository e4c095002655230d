//! Kubernetes logs in the shared log viewer: one pod's container (current
//! or previous), or every pod of a workload merged and tagged. Changing the
//! container, `previous` or the tail re-opens the stream.

use crate::core::action::Action;
use crate::core::effect::Effect;
use crate::core::kube::{LogOptions, LogTarget, PodKey};
use crate::core::kube_msg::KubeCommand;
use crate::core::kube_pane::LogRequest;
use crate::core::log_session::LogSession;
use crate::core::state::State;
use crate::core::toast::ToastLevel;

use super::{kube_ops, logs};

/// Tail sizes `T` cycles through; `None` is the whole log.
const TAILS: [Option<u64>; 4] = [Some(100), Some(1_000), Some(10_000), None];

/// Opens the selected pod's log. `previous`: None picks by itself — the
/// previous container's log when the current one is down after a crash
/// (what an on-call engineer wants for CrashLoopBackOff).
pub(super) fn open_selected(state: &mut State, previous: Option<bool>) -> Vec<Effect> {
    let Some(key) = state.kube.list.selected().cloned() else {
        return Vec::new();
    };
    open_pod(state, &key, previous)
}

pub(super) fn open_pod(state: &mut State, key: &PodKey, previous: Option<bool>) -> Vec<Effect> {
    let Some(pod) = state.kube.pod(key) else {
        return Vec::new();
    };
    let previous = previous.unwrap_or_else(|| pod.wants_previous_log());
    let containers: Vec<String> = pod
        .container_names()
        .into_iter()
        .map(str::to_string)
        .collect();
    // With `previous`, the container that crashed is the interesting one.
    let crashed = pod.crashed_waiting().map(|c| c.name.clone());
    let container = if previous {
        crashed.or_else(|| containers.first().cloned())
    } else {
        containers.first().cloned()
    };
    let request = LogRequest {
        target: LogTarget::Pod(key.clone()),
        options: LogOptions {
            container,
            previous,
            tail: Some(state.settings.log_tail),
            follow: !previous,
        },
        containers,
    };
    open(state, request)
}

pub(super) fn open_workload(state: &mut State) -> Vec<Effect> {
    let Some(pod) = state.kube.selected_pod() else {
        return Vec::new();
    };
    let name = pod.key.name.to_string();
    match state.kube.workload(pod).filter(|o| o.is_workload()) {
        Some(owner) => {
            let request = LogRequest {
                target: LogTarget::Workload {
                    context: pod.key.context.to_string(),
                    namespace: pod.key.namespace.to_string(),
                    owner,
                },
                options: LogOptions {
                    container: None,
                    previous: false,
                    // Per pod: a short tail each, so the merge starts readable.
                    tail: Some(state.settings.log_tail.min(200)),
                    follow: true,
                },
                containers: Vec::new(),
            };
            open(state, request)
        }
        None => {
            state.toast(
                ToastLevel::Info,
                format!("pod {name} belongs to no deployment, statefulset or daemonset"),
            );
            Vec::new()
        }
    }
}

fn title(req: &LogRequest) -> String {
    let mut t = match &req.target {
        LogTarget::Pod(key) => format!("pod {key}"),
        LogTarget::Workload {
            namespace, owner, ..
        } => format!(
            "{} {namespace}/{} (all pods)",
            owner.kind.to_lowercase(),
            owner.name
        ),
    };
    if let Some(c) = &req.options.container
        && req.containers.len() > 1
    {
        t.push_str(&format!(" [{c}]"));
    }
    if req.options.previous {
        t.push_str(" (previous)");
    }
    match req.options.tail {
        Some(n) => t.push_str(&format!(" tail {n}")),
        None => t.push_str(" whole log"),
    }
    t
}

fn open(state: &mut State, request: LogRequest) -> Vec<Effect> {
    let mut effects = close(state);
    let stream = state.new_stream_id();
    let mut session = LogSession::new(stream, title(&request), state.settings.log_line_cap);
    if let LogTarget::Pod(key) = &request.target {
        session.container_id = Some(key.name.to_string());
    }
    effects.push(Effect::Kube(KubeCommand::OpenLogs {
        stream,
        target: request.target.clone(),
        options: request.options.clone(),
    }));
    state.kube.logs = Some(session);
    state.kube.log_request = Some(request);
    effects
}

/// The source showed the other log (current or previous) because the one
/// asked for was gone: the request and title say which one is on screen.
pub(super) fn switched(state: &mut State, stream: crate::core::effect::StreamId, previous: bool) {
    let (Some(session), Some(request)) =
        (state.kube.logs.as_mut(), state.kube.log_request.as_mut())
    else {
        return;
    };
    if session.stream != stream {
        return;
    }
    request.options.previous = previous;
    request.options.follow = !previous;
    session.title = title(request);
}

/// Closes the open log view and stops its stream.
pub(super) fn close(state: &mut State) -> Vec<Effect> {
    state.kube.log_request = None;
    match state.kube.logs.take() {
        Some(session) => vec![Effect::Kube(KubeCommand::CloseLogs {
            stream: session.stream,
        })],
        None => Vec::new(),
    }
}

pub(super) fn on_log_action(state: &mut State, action: Action) -> Vec<Effect> {
    let Some(mut request) = state.kube.log_request.clone() else {
        return logs::on_action(state, action);
    };
    match action {
        Action::DeletePod | Action::RolloutRestart | Action::Scale => {
            on_resource_action(state, &request.target, action)
        }
        Action::NextContainer => {
            if request.containers.len() < 2 {
                state.toast(ToastLevel::Info, "this log has only one container");
                return Vec::new();
            }
            let current = request
                .options
                .container
                .as_ref()
                .and_then(|c| request.containers.iter().position(|n| n == c))
                .unwrap_or(0);
            let next = (current + 1) % request.containers.len();
            request.options.container = request.containers.get(next).cloned();
            open(state, request)
        }
        Action::PreviousLog => {
            if matches!(request.target, LogTarget::Workload { .. }) {
                state.toast(
                    ToastLevel::Info,
                    "previous logs are per pod: open one pod's log",
                );
                return Vec::new();
            }
            request.options.previous = !request.options.previous;
            request.options.follow = !request.options.previous;
            open(state, request)
        }
        Action::TailSize => {
            let at = TAILS.iter().position(|t| *t == request.options.tail);
            let next = match at {
                Some(i) => TAILS.get(i + 1).copied().unwrap_or(TAILS[0]),
                None => TAILS[0],
            };
            request.options.tail = next;
            open(state, request)
        }
        _ => logs::on_action(state, action),
    }
}

/// The pod keys in a pod's log act on that pod, and the workload keys in a
/// workload's log on that workload, through the same path as in the list.
/// The list's selection is what those paths act on, so it must still be
/// the log's pod: a pod that went away leaves it on a neighbour.
fn on_resource_action(state: &mut State, target: &LogTarget, action: Action) -> Vec<Effect> {
    let selected = match &state.kube.detail {
        Some(d) => Some(d.key.clone()),
        None => state.kube.list.selected().cloned(),
    };
    let ours = match target {
        LogTarget::Pod(key) => selected.as_ref() == Some(key),
        LogTarget::Workload { owner, .. } if action != Action::DeletePod => selected
            .as_ref()
            .and_then(|k| state.kube.pod(k))
            .and_then(|pod| state.kube.workload(pod))
            .is_some_and(|o| &o == owner),
        LogTarget::Workload { .. } => {
            state.toast(
                ToastLevel::Info,
                "this log has many pods: open one pod's log to delete it",
            );
            return Vec::new();
        }
    };
    if !ours {
        state.toast(ToastLevel::Info, "the pod of this log is gone");
        return Vec::new();
    }
    match action {
        Action::DeletePod => kube_ops::ask_delete(state),
        Action::RolloutRestart => kube_ops::ask_restart(state),
        _ => kube_ops::ask_scale(state),
    }
}
