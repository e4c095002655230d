//! Keys of the log viewer, shared by every pane that shows logs.

use crate::core::action::Action;
use crate::core::effect::Effect;
use crate::core::log_session::LogSession;
use crate::core::state::{State, Tab};

use super::{docker, github};

/// The log view open in the current tab, if any.
pub(super) fn session_mut(state: &mut State) -> Option<&mut LogSession> {
    match state.tab {
        Tab::Actions => state.github.logs.as_mut(),
        _ => state.docker.logs.as_mut(),
    }
}

pub(super) fn on_action(state: &mut State, action: Action) -> Vec<Effect> {
    if action == Action::Back {
        return match state.tab {
            Tab::Actions => github::close_logs(state),
            _ => docker::close_logs(state),
        };
    }
    let page = usize::from(state.height.saturating_sub(5)).max(1);
    let save_dir = state.settings.save_dir.clone();
    let clock = state.clock;
    let Some(session) = session_mut(state) else {
        return Vec::new();
    };
    let (log, view) = (&session.buffer, &mut session.view);
    match action {
        Action::Up => view.scroll_up(log, 1),
        Action::Down => view.scroll_down(log, 1),
        Action::PageUp => view.scroll_up(log, page),
        Action::PageDown => view.scroll_down(log, page),
        Action::Top => view.top(log),
        Action::Bottom => view.bottom(log),
        Action::Follow => view.toggle_follow(log),
        Action::Wrap => view.toggle_wrap(),
        Action::Timestamps => view.toggle_timestamps(),
        Action::NextMatch => view.next_match(log),
        Action::PrevMatch => view.prev_match(log),
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
            let contents = view.export_text(log);
            return vec![Effect::WriteFile { path, contents }];
        }
        _ => {}
    }
    Vec::new()
}

pub(super) fn set_search(state: &mut State, query: &str) {
    if let Some(session) = session_mut(state) {
        session.view.set_query(&session.buffer, query);
    }
}
