//! The Actions pane: workflow runs of every watched repository in one list,
//! the jobs and steps of the run the user opened, or a job's log.

mod attempts;
mod detail;
mod runs;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;

use super::{logs, unavailable};
use crate::core::github::Outcome;
use crate::core::list::ListId;
use crate::core::source::SourceHealth;
use crate::core::state::State;
use crate::ui::Look;

/// How to point opsdeck at GitHub, shown while it does not answer.
const GITHUB_HINT: &str = "opsdeck reads the token from GH_TOKEN, GITHUB_TOKEN, [github] \
     token_command or the gh CLI's login, and polls [github] api_url \
     (https://api.github.com by default).";

pub fn draw(
    frame: &mut Frame,
    area: Rect,
    state: &mut State,
    look: &Look,
) -> Option<(ListId, usize)> {
    if let Some(session) = state.github.logs.as_mut() {
        logs::draw(frame, area, session, look);
        return None;
    }
    let health = &state.github_health;
    let no_data = state.github.runs.data().is_none();
    if matches!(
        health,
        SourceHealth::Disabled { .. } | SourceHealth::Unusable { .. }
    ) || no_data
    {
        unavailable::draw(
            frame,
            area,
            "GitHub Actions",
            health,
            GITHUB_HINT,
            state.clock,
            look,
        );
        return None;
    }
    if state.github.detail.is_some() {
        detail::draw(frame, area, state, look)
    } else {
        Some(runs::draw(frame, area, state, look))
    }
}

/// Symbol and style of an outcome; the word beside it says the same, so
/// 16 colours, `NO_COLOR` and `--ascii` lose nothing.
pub(crate) fn outcome_look(o: Outcome, look: &Look) -> (&'static str, Style) {
    let (s, t) = (&look.symbols, &look.theme);
    match o {
        Outcome::Failure => (s.broken, t.error),
        Outcome::Running => (s.running, t.warning),
        Outcome::Waiting => (s.warning, t.warning),
        Outcome::Queued => (s.queued, t.muted),
        Outcome::Cancelled => (s.cancelled, t.muted),
        Outcome::Success => (s.ok, t.ok),
        Outcome::Skipped => (s.idle, t.muted),
    }
}
