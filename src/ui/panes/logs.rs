//! The log panel around the shared log viewer: a title with the source and
//! state (following, paused, ended), the log itself, and a hint line.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::widgets::{Block, Borders};

use crate::core::log_session::LogSession;
use crate::logview::{self, LogFormat, LogStyles};
use crate::ui::Look;

pub fn draw(frame: &mut Frame, area: Rect, session: &mut LogSession, look: &Look) {
    let theme = &look.theme;
    let mode = match &session.ended {
        Some(reason) => format!("ended: {reason}"),
        None if session.view.is_following() => "following".to_string(),
        None => "paused (f to follow)".to_string(),
    };
    let mut title = format!(
        " Logs: {} {} {mode} ",
        session.title, look.symbols.separator
    );
    if !session.view.query().is_empty() {
        let status = session.view.search_status(&session.buffer);
        let position = status
            .current
            .map(|c| c.to_string())
            .unwrap_or_else(|| "-".into());
        title.push_str(&format!(
            "{} \"{}\" {position}/{} ",
            look.symbols.separator,
            session.view.query(),
            status.total
        ));
    }
    if let Some(spec) = session.view.filter().cloned() {
        let count = session.view.filter_count(&session.buffer);
        let context = if spec.context > 0 {
            format!(" -C {}", spec.context)
        } else {
            String::new()
        };
        let word = if spec.invert { "without" } else { "only" };
        title.push_str(&format!(
            "{} {word} \"{}\"{context}: {count} ",
            look.symbols.separator, spec.query,
        ));
    }
    let border = if session.ended.is_some() {
        theme.warning
    } else {
        theme.border
    };
    let hint = if session.buffer.format() == LogFormat::GitHubActions {
        " q close  Space fold  E first error  / search  & filter  n/N  w wrap  Q quit "
    } else {
        " q close  / search  & filter  n/N next/prev  f follow  w wrap  t time  Q quit "
    };
    let block = Block::default()
        .title(title)
        .title_bottom(hint)
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
    // The cursor line is also marked on the border, so it shows without
    // colour and costs the log no column.
    if let Some(row) = session.view.cursor_row()
        && inner.width > 0
        && let Ok(row) = u16::try_from(row)
        && let Some(cell) = frame
            .buffer_mut()
            .cell_mut((area.x, inner.y.saturating_add(row)))
    {
        cell.set_symbol(if look.ascii { ">" } else { "▶" })
            .set_style(theme.accent);
    }
}

/// The log viewer's styles from the theme; with `NO_COLOR` the monochrome
/// theme makes these plain, and the viewer's markers still tell lines apart.
fn log_styles(look: &Look) -> LogStyles {
    let t = &look.theme;
    LogStyles {
        normal: t.text,
        stderr: t.warning,
        timestamp: t.muted,
        tag: t.accent,
        search_match: t.selection,
        current_match: t
            .selection
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        error: t.error,
        warning: t.warning,
        notice: t.accent,
        command: t.muted,
        group_header: t.header,
        marker: t.border,
        cursor: t.selection,
        ascii: look.ascii,
    }
}
