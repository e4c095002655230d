//! The log panel around the shared log viewer: a title with the source and
//! state (following, paused, ended), the log itself, and a hint line.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders};

use crate::core::log_session::LogSession;
use crate::logview::{self, LogStyles};
use crate::ui::Look;

pub fn draw(frame: &mut Frame, area: Rect, session: &mut LogSession, look: &Look) {
    let theme = &look.theme;
    let mode = match &session.ended {
        Some(reason) => format!("ended: {reason}"),
        None if session.view.follow => "following".to_string(),
        None => "paused (f to follow)".to_string(),
    };
    let title = format!(
        " Logs: {} {} {mode} ",
        session.title, look.symbols.separator
    );
    let border = if session.ended.is_some() {
        theme.warning
    } else {
        theme.border
    };
    let block = Block::default()
        .title(title)
        .title_bottom(" Esc back  / search  n/N next/prev  f follow  w wrap  t time  Ctrl-s save ")
        .borders(Borders::ALL)
        .border_set(look.symbols.border)
        .border_style(border);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let styles = log_styles(look);
    logview::render(
        frame.buffer_mut(),
        inner,
        &session.buffer,
        &mut session.view,
        &styles,
    );
}

fn log_styles(look: &Look) -> LogStyles {
    LogStyles {
        normal: look.theme.text,
        ..LogStyles::default()
    }
}
