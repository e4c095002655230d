use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::Look;
use crate::core::palette::Palette;

/// The palette: the query on top, the best matches below.
pub fn draw(frame: &mut Frame, body: Rect, palette: &Palette, look: &Look) {
    let theme = &look.theme;
    let width = body.width.saturating_sub(4).min(70);
    let height = body.height.saturating_sub(2).min(16);
    let area = Rect {
        x: body.x + (body.width - width) / 2,
        y: body.y + 1,
        width,
        height,
    };
    if area.height < 3 || area.width < 10 {
        return;
    }
    let rows = usize::from(area.height.saturating_sub(3));
    let first = palette.selected.saturating_sub(rows.saturating_sub(1));
    let mut lines = vec![Line::from(vec![
        Span::styled(":", theme.accent),
        Span::styled(format!("{}_", palette.query), theme.text),
    ])];
    for (i, idx) in palette.matches.iter().enumerate().skip(first).take(rows) {
        let Some(entry) = palette.entries.get(*idx) else {
            continue;
        };
        let style = if i == palette.selected {
            theme.selection
        } else {
            theme.text
        };
        lines.push(Line::from(Span::styled(format!(" {}", entry.label), style)));
    }
    if palette.matches.is_empty() {
        lines.push(Line::from(Span::styled(" no match", theme.muted)));
    }
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .title(format!(" Go to ({}) ", palette.matches.len()))
                .borders(Borders::ALL)
                .border_set(look.symbols.border)
                .border_style(theme.accent),
        ),
        area,
    );
}
