//! `:projects`: a compose project's keys act on all its containers, in
//! dependency order, confirmed once for the project; `l` merges the logs
//! of its containers, each line tagged with its service.

use crate::core::act::{self, Proposal, Risk};
use crate::core::action::Action;
use crate::core::docker::Container;
use crate::core::docker_compose::{ProjectOp, ProjectRow, plan};
use crate::core::docker_objects::ObjectView;
use crate::core::docker_project_log::ProjectLog;
use crate::core::effect::{DockerCommand, Effect};
use crate::core::log_session::LogSession;
use crate::core::source::SourceKind;
use crate::core::state::State;
use crate::core::toast::ToastLevel;

/// Names a dialog lists before saying "and N more".
const NAMES_SHOWN: usize = 6;

fn selected(state: &State) -> Option<ProjectRow> {
    match state.docker.objects.as_ref()? {
        ObjectView::Projects(t) => t.selected().cloned(),
        _ => None,
    }
}

/// The project keys; None for the keys the generic view handles.
pub(super) fn on_action(state: &mut State, action: Action) -> Option<Vec<Effect>> {
    let op = match action {
        Action::Start => ProjectOp::Start,
        Action::Stop => ProjectOp::Stop,
        Action::Restart => ProjectOp::Restart,
        Action::Remove => ProjectOp::Remove,
        Action::Logs | Action::Open => return Some(open_logs(state)),
        Action::Prune => {
            state.toast(
                ToastLevel::Info,
                "a project is not pruned: D removes its containers",
            );
            return Some(Vec::new());
        }
        Action::Inspect => {
            state.toast(
                ToastLevel::Info,
                "a project has no object of its own: inspect one of its containers",
            );
            return Some(Vec::new());
        }
        _ => return None,
    };
    Some(ask(state, op))
}

fn ask(state: &mut State, op: ProjectOp) -> Vec<Effect> {
    let Some(row) = selected(state) else {
        return Vec::new();
    };
    let steps = plan(&row, op);
    if steps.is_empty() {
        let why = match op {
            ProjectOp::Start => "every container of it is running",
            _ => "none of its containers is running",
        };
        state.toast(
            ToastLevel::Info,
            format!("nothing to {} in project {}: {why}", op.verb(), row.name),
        );
        return Vec::new();
    }
    // The dialog counts the containers the action touches and names them
    // in the order it will touch them.
    let mut touched: Vec<&str> = Vec::new();
    for s in &steps {
        if !touched.contains(&s.name.as_str()) {
            touched.push(&s.name);
        }
    }
    let mut shown = format!(
        "{}: {} of {} containers",
        row.name,
        touched.len(),
        row.members.len()
    );
    let order = match op {
        ProjectOp::Start => "dependencies first",
        ProjectOp::Stop => "dependents first",
        ProjectOp::Restart => "stopped dependents first, started dependencies first",
        ProjectOp::Remove => "stopped first, dependents first",
    };
    shown.push_str(&format!(" ({order}): "));
    shown.push_str(&touched[..touched.len().min(NAMES_SHOWN)].join(", "));
    if touched.len() > NAMES_SHOWN {
        shown.push_str(&format!(" and {} more", touched.len() - NAMES_SHOWN));
    }
    let proposal = Proposal {
        source: SourceKind::Docker,
        location: state.docker.health.target().unwrap_or_default().to_string(),
        target: format!(
            "compose project {} ({} containers)",
            row.name,
            touched.len()
        ),
        verb: op.verb().to_string(),
        title: format!("{} compose project", capitalised(op.verb())),
        shown_target: shown,
        risk: match op {
            ProjectOp::Start => Risk::Harmless,
            _ => Risk::Destructive,
        },
        required_text: None,
    };
    act::ask(state, proposal, |ticket| {
        Effect::Docker(DockerCommand::ProjectAction { ticket, steps })
    })
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Every container of the project in one log, tagged with its service
/// (and its name when a service has several containers).
fn open_logs(state: &mut State) -> Vec<Effect> {
    let Some(row) = selected(state) else {
        return Vec::new();
    };
    let members: Vec<(String, String)> = row
        .members
        .iter()
        .map(|m| {
            let replicas = row
                .members
                .iter()
                .filter(|o| o.service == m.service)
                .count();
            let tag = if replicas > 1 {
                m.name.clone()
            } else {
                m.service.clone()
            };
            (m.id.clone(), tag)
        })
        .collect();
    let stream = state.new_stream_id();
    let session = LogSession::new(
        stream,
        format!("compose project {} (all services)", row.name),
        state.settings.log_line_cap,
    );
    state.docker.logs = Some(session);
    let known = row
        .members
        .iter()
        .map(|m| (m.id.clone(), state.docker.container(&m.id)));
    let log = ProjectLog::new(stream, row.engine.clone(), row.name.clone(), known);
    state.docker.project_log = Some(log);
    // No stats streams to stop: none run while the projects view is open.
    vec![Effect::Docker(DockerCommand::OpenMergedLogs {
        stream,
        members,
        // Per container: a short tail each, so the merge starts readable.
        tail: state.settings.log_tail.min(200),
    })]
}

/// A container update while a project's merged log is open: a container
/// of the project with a start the log has not read joins it.
pub(super) fn on_container(state: &mut State, c: &Container) -> Vec<Effect> {
    let pane = &mut state.docker;
    let open = pane.logs.as_ref().map(|l| l.stream);
    let Some(log) = pane.project_log.as_mut().filter(|l| Some(l.stream) == open) else {
        return Vec::new();
    };
    let others = pane.containers.data().into_iter().flat_map(|m| m.values());
    match log.on_update(c, others) {
        Some(join) => vec![Effect::Docker(DockerCommand::JoinMergedLogs {
            stream: log.stream,
            container_id: join.key,
            tag: join.tag,
            since: join.since,
        })],
        None => Vec::new(),
    }
}

#[cfg(test)]
#[path = "docker_compose_tests.rs"]
mod tests;
