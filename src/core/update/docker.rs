//! The Docker pane's part of `update`.

use std::collections::BTreeMap;

use crate::core::act::{self, Proposal, Risk};
use crate::core::action::Action;
use crate::core::docker::{Container, ContainerOp, ContainerState};
use crate::core::docker_pane::DockerSort;
use crate::core::effect::{DockerCommand, Effect, ShellTarget};
use crate::core::loadable::Loadable;
use crate::core::log_session::LogSession;
use crate::core::msg::DockerEvent;
use crate::core::source::SourceKind;
use crate::core::state::{State, Tab};
use crate::core::toast::ToastLevel;

use super::{logs, view};

pub(super) fn on_event(state: &mut State, ev: DockerEvent) -> Vec<Effect> {
    let pane = &mut state.docker;
    match ev {
        DockerEvent::Snapshot(list) => {
            let map: BTreeMap<_, _> = list.into_iter().map(|c| (c.key(), c)).collect();
            pane.usage.retain(|id, _| map.contains_key(id));
            pane.containers = Loadable::Loaded(map);
            pane.rebuild_order();
            after_view_change(state)
        }
        DockerEvent::EngineSnapshot { engine, containers } => {
            pane.replace_engine(&engine, containers);
            after_view_change(state)
        }
        DockerEvent::Upsert(container) => {
            let mut effects = super::docker_compose::on_container(state, &container);
            let pane = &mut state.docker;
            if let Some(map) = pane.containers.data_mut() {
                let key = container.key();
                if !container.is_running() {
                    pane.usage.remove(&key);
                }
                map.insert(key, container);
                pane.rebuild_order();
            }
            effects.extend(after_view_change(state));
            effects
        }
        DockerEvent::Removed { id } => {
            if let Some(log) = pane.project_log.as_mut() {
                log.forget(&id);
            }
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
            // Sorted by CPU or memory, the order follows the figures.
            if matches!(pane.list.sort(), DockerSort::Cpu | DockerSort::Memory) {
                pane.rebuild_order();
            }
            Vec::new()
        }
        DockerEvent::Objects(list) => {
            super::docker_objects::on_list(state, "", list);
            Vec::new()
        }
        DockerEvent::EngineObjects { engine, list } => {
            super::docker_objects::on_list(state, &engine, list);
            Vec::new()
        }
        DockerEvent::ObjectsFailed {
            engine,
            kind,
            error,
        } => {
            super::docker_objects::on_failed(state, &engine, kind, error);
            Vec::new()
        }
        // Read by the timeline before the panes see the message.
        DockerEvent::Engine(_) => Vec::new(),
    }
}

pub(super) fn on_action(state: &mut State, action: Action) -> Vec<Effect> {
    let lifecycle = matches!(
        action,
        Action::Start
            | Action::Stop
            | Action::Restart
            | Action::Kill
            | Action::Remove
            | Action::PauseToggle
            | Action::Shell
    );
    // In a project's merged log the project keys act on the project.
    if state.docker.logs.is_some()
        && lifecycle
        && state.docker.objects.is_some()
        && let Some(effects) = super::docker_objects::on_action(state, action)
    {
        return effects;
    }
    // `i` in a container's log inspects that container.
    if action == Action::Inspect
        && let Some(id) = state
            .docker
            .logs
            .as_ref()
            .and_then(|l| l.container_id.clone())
    {
        if !state.docker.list.select(&id) {
            state.toast(ToastLevel::Info, "the log's container is gone");
            return Vec::new();
        }
        let mut effects = close_logs(state);
        effects.extend(super::docker_inspect::container(state));
        effects.extend(after_view_change(state));
        return effects;
    }
    // In a log the container keys act on the log's container.
    if state.docker.logs.is_some() && !lifecycle {
        return logs::on_action(state, action);
    }
    if state.docker.logs.is_none()
        && let Some(effects) = super::docker_objects::on_action(state, action)
    {
        return effects;
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
        Action::SortReverse => {
            pane.list.reverse();
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
        Action::Shell => return ask_shell(state),
        Action::Inspect => {
            let mut effects = super::docker_inspect::container(state);
            effects.extend(after_view_change(state));
            return effects;
        }
        Action::Start => return ask(state, ContainerOp::Start),
        Action::Stop => return ask(state, ContainerOp::Stop),
        Action::Restart => return ask(state, ContainerOp::Restart),
        Action::Kill => return ask(state, ContainerOp::Kill),
        Action::Remove => return ask(state, ContainerOp::Remove),
        Action::PauseToggle => {
            let paused = target(state).is_some_and(|c| c.state == ContainerState::Paused);
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
    if super::docker_objects::set_filter(state, text.clone()) {
        return Vec::new();
    }
    state.docker.list.set_filter(text);
    state.docker.rebuild_order();
    after_view_change(state)
}

/// The container an action is about: the open log's, else the selection.
fn target(state: &State) -> Option<&Container> {
    match &state.docker.logs {
        Some(log) => {
            let id = log.container_id.as_deref()?;
            state.docker.container(id)
        }
        None => state.docker.selected_container(),
    }
}

/// Asks to run `op` on the target container (through the one action path).
fn ask(state: &mut State, op: ContainerOp) -> Vec<Effect> {
    let Some(container) = target(state) else {
        if state.docker.logs.is_some() {
            state.toast(ToastLevel::Info, "the log's container is gone");
        }
        return Vec::new();
    };
    let (id, name) = (container.key(), container.name.clone());
    let location = location(state, container);
    let risk = match op {
        ContainerOp::Start | ContainerOp::Unpause => Risk::Harmless,
        // Restart and pause interrupt what the container serves.
        ContainerOp::Stop
        | ContainerOp::Restart
        | ContainerOp::Pause
        | ContainerOp::Kill
        | ContainerOp::Remove => Risk::Destructive,
    };
    let proposal = Proposal {
        source: SourceKind::Docker,
        location,
        target: format!("container {name}"),
        verb: op.verb().to_string(),
        title: format!("{} container", capitalise(op.verb())),
        shown_target: name,
        risk,
        required_text: None,
    };
    act::ask(state, proposal, |ticket| {
        Effect::Docker(DockerCommand::Lifecycle {
            ticket,
            container_id: id,
            op,
        })
    })
}

/// Asks to open a shell in the target container, which must be running
/// (an exec needs a live process to join).
fn ask_shell(state: &mut State) -> Vec<Effect> {
    let Some(container) = target(state) else {
        return Vec::new();
    };
    if container.state != ContainerState::Running {
        let text = format!(
            "container {} is {}: a shell needs it running",
            container.name,
            container.state.word()
        );
        state.toast(ToastLevel::Info, text);
        return Vec::new();
    }
    let (container_id, name) = (container.key(), container.name.clone());
    let proposal = Proposal {
        source: SourceKind::Docker,
        location: location(state, container),
        target: format!("container {name}"),
        verb: "open a shell in".to_string(),
        title: "Open a shell in container".to_string(),
        shown_target: name.clone(),
        // It changes nothing by itself; what is typed in it is the user's.
        risk: Risk::Harmless,
        required_text: None,
    };
    act::ask(state, proposal, |ticket| Effect::Shell {
        ticket,
        target: ShellTarget::Docker { container_id, name },
    })
}

/// Where an action acts, for its dialog and journal line: the row's
/// engine (by the name its rows carry) when there are several.
fn location(state: &State, container: &Container) -> String {
    engine_location(state, &container.engine)
}

/// `build (ssh://deploy@build)` for a named engine; the engine's address
/// with one.
pub(super) fn engine_location(state: &State, engine: &str) -> String {
    match state.docker.engines.get(engine) {
        Some(health) => match health.target() {
            Some(host) => format!("{engine} ({host})"),
            None => engine.to_string(),
        },
        None => state.docker.health.target().unwrap_or_default().to_string(),
    }
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
    let (id, name) = (container.key(), container.name.clone());
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
    let wanted = if state.tab == Tab::Docker && pane.logs.is_none() && pane.objects.is_none() {
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
