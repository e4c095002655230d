use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::{Look, centered};
use crate::core::confirm::Confirm;

/// The confirmation dialog: names the action and its exact target.
pub fn draw(frame: &mut Frame, body: Rect, confirm: &Confirm, look: &Look) {
    let theme = &look.theme;
    let width = (confirm.question().chars().count() as u16 + 6).clamp(42, 72);
    let area = centered(body, width, 6);
    let text = vec![
        Line::from(vec![
            Span::styled(format!("{} ", confirm.title), theme.text),
            Span::styled(confirm.target.clone(), theme.danger),
            Span::styled("?", theme.text),
        ]),
        Line::from(""),
        Line::from(vec![
            Span::styled("y", theme.accent),
            Span::styled(" / Enter: yes    ", theme.text),
            Span::styled("n", theme.accent),
            Span::styled(" / Esc: no", theme.text),
        ]),
    ];
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(text).wrap(Wrap { trim: true }).block(
            Block::default()
                .title(" Confirm ")
                .borders(Borders::ALL)
                .border_set(look.symbols.border)
                .border_style(theme.danger),
        ),
        area,
    );
}
