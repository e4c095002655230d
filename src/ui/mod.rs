//! Rendering: a function of the state. It takes `&mut State` only so the
//! log view can clamp its scroll position to the area it was given. The
//! lists are measured instead: `draw_measured` says how many lines the
//! list on screen got, and the loop tells `update` (`Msg::ListRows`).

pub mod artifacts;
pub mod dialog;
pub mod dispatch_form;
pub mod help;
pub mod hyperlink;
pub mod palette;
pub mod panes;
pub mod review_form;
pub mod status_bar;
pub mod symbols;
pub mod tabs;
pub mod theme;
pub mod toasts;
pub mod widgets;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};

use crate::core::list::ListId;
use crate::core::state::{State, Tab};

pub use symbols::Symbols;
pub use theme::Theme;

/// How to draw: colours and the character set, fixed at start-up.
#[derive(Debug, Clone)]
pub struct Look {
    pub theme: Theme,
    pub symbols: Symbols,
    pub ascii: bool,
    /// Run, job and commit names carry OSC 8 links (`[ui] hyperlinks`).
    /// Off unless asked for, so a test's screen is its plain text.
    pub hyperlinks: bool,
}

impl Look {
    pub fn new(theme: Theme, ascii: bool) -> Look {
        Look {
            theme,
            ascii,
            hyperlinks: false,
            symbols: if ascii {
                Symbols::ascii()
            } else {
                Symbols::unicode()
            },
        }
    }
}

pub fn draw(frame: &mut Frame, state: &mut State, look: &Look) {
    draw_measured(frame, state, look);
}

/// Draws the screen; returns the list on it and the lines it has for rows.
pub fn draw_measured(frame: &mut Frame, state: &mut State, look: &Look) -> Option<(ListId, usize)> {
    let area = frame.area();
    if area.width < 20 || area.height < 5 {
        draw_too_small(frame, area, look);
        return None;
    }
    // Toasts take lines of their own above the status bar, so they never
    // cover the end of a log or a list's key hints (see `toasts`).
    let toast_lines = toasts::height(state, area.width, area.height);
    let [tab_area, body, toast_area, status_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(toast_lines),
        Constraint::Length(1),
    ])
    .areas(area);
    tabs::draw(frame, tab_area, state, look);
    let measured = match state.tab {
        Tab::Docker => panes::docker::draw(frame, body, state, look),
        Tab::Overview if state.timeline.open => {
            Some(panes::timeline::draw(frame, body, state, look))
        }
        Tab::Overview => Some(panes::overview::draw(frame, body, state, look)),
        Tab::Actions => panes::actions::draw(frame, body, state, look),
        Tab::Kubernetes => panes::kube::draw(frame, body, state, look),
    };
    if let Some(session) = state.overlay_log.as_mut() {
        panes::logs::draw(frame, body, session, look);
    }
    status_bar::draw(frame, status_area, state, look);
    toasts::draw(frame, toast_area, state, look);
    if let Some(form) = &state.github.dispatch_form {
        dispatch_form::draw(frame, body, form, look);
    }
    if let Some(view) = &state.github.artifacts {
        artifacts::draw(frame, body, view, look);
    }
    if let Some(form) = &state.github.review_form {
        review_form::draw(frame, body, form, look);
    }
    if let (Some(pick), Some(input)) = (&state.kube.forwards.pick, &state.input) {
        panes::port_forwards::draw_pick(frame, body, pick, &input.text, look);
    }
    if let Some(confirm) = &state.confirm {
        dialog::draw(frame, body, confirm, look);
    }
    if let Some(p) = &state.palette {
        palette::draw(frame, body, p, look);
    }
    if state.help_open {
        help::draw(
            frame,
            body,
            &state.keymap,
            state.tab.key_scope(),
            state.active_log().is_some(),
            &github_notes(state),
            look,
        );
    }
    measured
}

fn draw_too_small(frame: &mut Frame, area: Rect, look: &Look) {
    let text = "opsdeck: window too small";
    frame.buffer_mut().set_stringn(
        area.x,
        area.y,
        text,
        usize::from(area.width),
        look.theme.warning,
    );
}

/// A rectangle of `width` x `height` centred in `area`, clipped to it.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// The GitHub source's health beyond the status bar: where the token came
/// from (never the token) and the rate budget with its reset.
fn github_notes(state: &State) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(from) = &state.github.token_from {
        notes.push(format!("GitHub token from {from}"));
    }
    if let Some(rate) = state.github.rate {
        notes.push(format!(
            "GitHub budget {}/{}, resets {}",
            rate.remaining,
            rate.limit,
            rate.reset_words(state.clock, state.settings.utc_offset)
        ));
    }
    notes
}
