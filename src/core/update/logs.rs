//! Keys of the log viewer, shared by every pane that shows logs.

use crate::core::action::Action;
use crate::core::effect::Effect;
use crate::core::state::State;

use super::docker;

pub(super) fn on_action(state: &mut State, action: Action) -> Vec<Effect> {
    let save_dir = state.settings.save_dir.clone();
    let Some(session) = state.docker.logs.as_mut() else {
        return Vec::new();
    };
    let (log, view) = (&session.buffer, &mut session.view);
    match action {
        Action::Back => return docker::close_logs(state),
        Action::Up => view.scroll_up(log, 1),
        Action::Down => view.scroll_down(log, 1),
        Action::PageUp => view.page_up(log),
        Action::PageDown => view.page_down(log),
        Action::Top => view.top(log),
        Action::Bottom => view.bottom(),
        Action::Follow => view.toggle_follow(log),
        Action::Wrap => view.toggle_wrap(),
        Action::Timestamps => view.toggle_timestamps(),
        Action::NextMatch => {
            view.next_match(log);
        }
        Action::PrevMatch => {
            view.prev_match(log);
        }
        Action::SaveLog => {
            let stamp = state.clock.format("%Y%m%d-%H%M%S");
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
    if let Some(session) = state.docker.logs.as_mut() {
        session.view.set_query(&session.buffer, query);
        session.view.next_match(&session.buffer);
    }
}
