//! Keys of the log viewer, shared by every pane that shows logs.

use crate::core::action::Action;
use crate::core::effect::{Effect, GitHubCommand};
use crate::core::state::{InputPurpose, State, Tab, TextInput};

use super::{docker, github, kube_logs};
use crate::core::effect::StreamId;
use crate::core::log_session::LogSession;
use crate::core::msg::LogPart;
use crate::logview::FilterSpec;

/// The open log view fed by `stream`, whichever pane (or the overlay) it
/// is in: stream ids are unique across the app, so no source needs its
/// own routing.
fn session_of(state: &mut State, stream: StreamId) -> Option<&mut LogSession> {
    [
        state.docker.logs.as_mut(),
        state.kube.logs.as_mut(),
        state.github.logs.as_mut(),
        state.overlay_log.as_mut(),
    ]
    .into_iter()
    .flatten()
    .find(|s| s.stream == stream)
}

pub(super) fn on_chunk(state: &mut State, stream: StreamId, parts: Vec<LogPart>) {
    if let Some(session) = session_of(state, stream) {
        for part in parts {
            session.buffer.push_bytes(part.source, &part.bytes);
        }
    }
}

pub(super) fn on_ended(state: &mut State, stream: StreamId, reason: String) {
    if let Some(session) = session_of(state, stream) {
        session.buffer.flush();
        session.ended.get_or_insert(reason);
        if session.opens_at_top && session.view.is_following() {
            session.view.top(&session.buffer);
        }
    }
}

pub(super) fn on_action(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        // Esc steps back one level: a filter first, as in every list.
        Action::Back
            if state
                .active_log()
                .is_some_and(|s| s.view.filter().is_some()) =>
        {
            if let Some(session) = state.active_log_mut() {
                session.view.clear_filter();
            }
            return Vec::new();
        }
        Action::Back | Action::CloseLog => return close_active(state),
        _ => {}
    }
    let save_dir = state.settings.save_dir.clone();
    let clock = state.clock;
    let Some(session) = state.active_log_mut() else {
        return Vec::new();
    };
    let (log, view) = (&session.buffer, &mut session.view);
    match action {
        Action::Up => view.cursor_up(log, 1),
        Action::Down => view.cursor_down(log, 1),
        Action::Copy => {
            // Following, the line copied is the newest one on screen.
            let seq = view
                .cursor()
                .or_else(|| view.last_shown(log))
                .unwrap_or_else(|| log.end_seq().saturating_sub(1));
            if let Some(line) = log.get(seq) {
                return vec![Effect::Copy(line.text().to_string())];
            }
        }
        Action::PageUp => view.page_up(log),
        Action::PageDown => view.page_down(log),
        Action::Top => view.top(log),
        Action::Bottom => view.bottom(),
        Action::Follow => view.toggle_follow(log),
        Action::ToggleFold => {
            view.toggle_fold_at_cursor(log);
        }
        Action::FirstError => {
            view.first_error(log);
        }
        Action::Wrap => view.toggle_wrap(),
        Action::Timestamps => view.toggle_timestamps(),
        Action::NextMatch => {
            view.next_match(log);
        }
        Action::PrevMatch => {
            view.prev_match(log);
        }
        Action::SaveLog => {
            let stamp = clock.format("%Y%m%d-%H%M%S");
            let safe: String = session
                .title
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            let path = save_dir.join(format!("opsdeck-{safe}-{stamp}.log"));
            let contents = view.plain_text(log);
            return vec![Effect::WriteFile { path, contents }];
        }
        _ => {}
    }
    Vec::new()
}

pub(super) fn set_search(state: &mut State, query: &str) {
    if let Some(session) = state.active_log_mut() {
        session.view.set_query(&session.buffer, query);
        session.view.next_match(&session.buffer);
    }
}

/// Closes the log on screen (the overlay first). A log opened from the
/// Overview returns there, not to the pane it was shown in.
pub(super) fn close_active(state: &mut State) -> Vec<Effect> {
    if state.overlay_log.take().is_some() {
        return Vec::new();
    }
    let pane = state.tab;
    let back_to = state.active_log().and_then(|s| s.return_to);
    if let Some(tab) = back_to {
        // Set first, so the pane closing sees where the user is going.
        state.tab = tab;
    }
    let mut effects = match pane {
        Tab::Actions => github::close_logs(state),
        Tab::Kubernetes => kube_logs::close(state),
        _ => docker::close_logs(state),
    };
    // The jump opened the run only to reach its log: leave it closed too.
    if back_to.is_some() && pane == Tab::Actions && state.github.detail.take().is_some() {
        effects.push(Effect::GitHub(GitHubCommand::StopJobs));
    }
    effects
}

/// After an Overview action: a log it opened (`l`) returns to the
/// Overview on Esc. A job log opens once its run's jobs arrive, so the run
/// carries the mark until then.
pub(super) fn opened_from_overview(state: &mut State, action: Action) {
    if action != Action::Logs || state.tab == Tab::Overview {
        return;
    }
    if let Some(session) = state.active_log_mut() {
        session.return_to = Some(Tab::Overview);
    } else if let Some(detail) = state.github.detail.as_mut()
        && state.tab == Tab::Actions
    {
        detail.log_returns_to = Some(Tab::Overview);
    }
}

/// `&`: the filter prompt, holding the filter in force to edit.
pub(super) fn open_filter(state: &mut State) -> Vec<Effect> {
    let Some(session) = state.active_log() else {
        return Vec::new();
    };
    let text = session
        .view
        .filter()
        .map(FilterSpec::to_prompt)
        .unwrap_or_default();
    state.input = Some(TextInput {
        purpose: InputPurpose::LogFilter,
        text,
    });
    Vec::new()
}

/// Applied while typing, like the search; an empty prompt shows every line.
pub(super) fn set_filter(state: &mut State, text: &str) {
    if let Some(session) = state.active_log_mut() {
        let spec = FilterSpec::parse(text);
        if spec.query.is_empty() {
            session.view.clear_filter();
        } else {
            session.view.set_filter(&session.buffer, spec);
        }
    }
}
