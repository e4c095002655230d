//! The Docker pane's part of `update`.

use std::collections::BTreeMap;

use crate::core::action::Action;
use crate::core::confirm::Confirm;
use crate::core::docker::{ContainerOp, ContainerState};
use crate::core::effect::{DockerCommand, Effect};
use crate::core::journal::JournalEntry;
use crate::core::loadable::Loadable;
use crate::core::log_session::LogSession;
use crate::core::msg::{DockerEvent, LogStream};
use crate::core::source::SourceHealth;
use crate::core::state::{State, Tab};
use crate::core::toast::ToastLevel;
use crate::logview::LineSource;

use super::{logs, view};

pub(super) fn on_event(state: &mut State, ev: DockerEvent) -> Vec<Effect> {
    let pane = &mut state.docker;
    match ev {
        DockerEvent::Health(health) => {
            if let SourceHealth::Reconnecting { error, .. } = &health {
                pane.containers.fail(error.clone());
            }
            pane.health = health;
            Vec::new()
        }
        DockerEvent::Snapshot(list) => {
            let map: BTreeMap<_, _> = list.into_iter().map(|c| (c.id.clone(), c)).collect();
            pane.usage.retain(|id, _| map.contains_key(id));
            pane.containers = Loadable::Loaded(map);
            pane.rebuild_order();
            after_view_change(state)
        }
        DockerEvent::Upsert(container) => {
            if let Some(map) = pane.containers.data_mut() {
                if !container.is_running() {
                    pane.usage.remove(&container.id);
                }
                map.insert(container.id.clone(), container);
                pane.rebuild_order();
            }
            after_view_change(state)
        }
        DockerEvent::Removed { id } => {
            if let Some(map) = pane.containers.data_mut() {
                map.remove(&id);
                pane.usage.remove(&id);
                pane.rebuild_order();
            }
            if let Some(session) = pane.logs.as_mut()
                && session.container_id.as_deref() == Some(id.as_str())
                && session.ended.is_none()
            {
                session.ended = Some("the container was removed".into());
            }
            after_view_change(state)
        }
        DockerEvent::Usage { id, usage } => {
            pane.usage.insert(id, usage);
            Vec::new()
        }
        DockerEvent::LogChunk { stream, parts } => {
            if let Some(session) = pane.logs.as_mut().filter(|s| s.stream == stream) {
                for (which, bytes) in parts {
                    let source = match which {
                        LogStream::Stdout => LineSource::stdout(),
                        LogStream::Stderr => LineSource::stderr(),
                    };
                    session.buffer.push_bytes(source, &bytes);
                }
            }
            Vec::new()
        }
        DockerEvent::LogEnded { stream, reason } => {
            if let Some(session) = pane.logs.as_mut().filter(|s| s.stream == stream) {
                session.buffer.flush();
                session.ended.get_or_insert(reason);
            }
            Vec::new()
        }
        DockerEvent::OpResult { name, op, result } => {
            let location = match &state.docker.health {
                SourceHealth::Connected { target, .. }
                | SourceHealth::Reconnecting { target, .. }
                | SourceHealth::Connecting { target } => target.clone(),
                SourceHealth::Disabled { .. } => String::new(),
            };
            let entry = JournalEntry {
                time: state.clock,
                source: "docker",
                location,
                target: format!("container {name}"),
                action: op.verb().to_string(),
                result: result.clone(),
            };
            match result {
                Ok(()) => state.toast(ToastLevel::Success, format!("{} {name}: done", op.verb())),
                Err(e) => state.toast(
                    ToastLevel::Error,
                    format!("{} {name} failed: {e}", op.verb()),
                ),
            }
            vec![Effect::AppendJournal(entry)]
        }
    }
}

pub(super) fn on_action(state: &mut State, action: Action) -> Vec<Effect> {
    if state.docker.logs.is_some() {
        return logs::on_action(state, action);
    }
    let pane = &mut state.docker;
    if let Some(nav) = view::nav(action) {
        pane.list.navigate(nav);
        return after_view_change(state);
    }
    match action {
        Action::SortNext => {
            pane.list.cycle_sort();
            pane.rebuild_order();
        }
        Action::Back if !pane.list.filter().is_empty() => {
            return set_filter(state, String::new());
        }
        Action::Open | Action::Logs => return open_logs(state),
        Action::Copy => {
            if let Some(c) = pane.selected_container() {
                return vec![Effect::Copy(c.name.clone())];
            }
        }
        Action::Start => return ask(state, ContainerOp::Start),
        Action::Stop => return ask(state, ContainerOp::Stop),
        Action::Restart => return ask(state, ContainerOp::Restart),
        Action::Kill => return ask(state, ContainerOp::Kill),
        Action::Remove => return ask(state, ContainerOp::Remove),
        Action::PauseToggle => {
            let paused = pane
                .selected_container()
                .is_some_and(|c| c.state == ContainerState::Paused);
            let op = if paused {
                ContainerOp::Unpause
            } else {
                ContainerOp::Pause
            };
            return ask(state, op);
        }
        _ => {}
    }
    after_view_change(state)
}

pub(super) fn set_filter(state: &mut State, text: String) -> Vec<Effect> {
    state.docker.list.set_filter(text);
    state.docker.rebuild_order();
    after_view_change(state)
}

/// Opens the confirmation dialog for `op` on the selected container, or
/// refuses it under `--readonly`.
fn ask(state: &mut State, op: ContainerOp) -> Vec<Effect> {
    let Some(container) = state.docker.selected_container() else {
        return Vec::new();
    };
    if state.settings.readonly {
        let name = container.name.clone();
        state.toast(
            ToastLevel::Error,
            format!("read-only mode: {} {name} refused", op.verb()),
        );
        return Vec::new();
    }
    let effect = Effect::Docker(DockerCommand::Lifecycle {
        container_id: container.id.clone(),
        name: container.name.clone(),
        op,
    });
    let title = format!("{} container", capitalise(op.verb()));
    state.confirm = Some(Confirm::new(title, container.name.clone(), effect));
    Vec::new()
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn open_logs(state: &mut State) -> Vec<Effect> {
    let Some(container) = state.docker.selected_container() else {
        return Vec::new();
    };
    let (id, name) = (container.id.clone(), container.name.clone());
    let stream = state.new_stream_id();
    let mut session = LogSession::new(
        stream,
        format!("container {name}"),
        state.settings.log_line_cap,
    );
    session.container_id = Some(id.clone());
    state.docker.logs = Some(session);
    let mut effects = vec![Effect::Docker(DockerCommand::OpenLogs {
        stream,
        container_id: id,
        tail: state.settings.log_tail,
    })];
    effects.extend(after_view_change(state));
    effects
}

/// Closes the open log view and stops its stream.
pub(super) fn close_logs(state: &mut State) -> Vec<Effect> {
    let mut effects = Vec::new();
    if let Some(session) = state.docker.logs.take() {
        effects.push(Effect::Docker(DockerCommand::CloseLogs {
            stream: session.stream,
        }));
    }
    effects.extend(after_view_change(state));
    effects
}

/// Keeps the stats streams to exactly the running containers on screen.
pub(super) fn after_view_change(state: &mut State) -> Vec<Effect> {
    let pane = &mut state.docker;
    let wanted = if state.tab == Tab::Docker && pane.logs.is_none() {
        pane.visible_running()
    } else {
        Vec::new()
    };
    if wanted == pane.stats_watched {
        return Vec::new();
    }
    pane.stats_watched = wanted.clone();
    vec![Effect::Docker(DockerCommand::WatchStats { ids: wanted })]
}
