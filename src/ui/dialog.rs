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
    if let Some(required) = &confirm.required {
        draw_typed(frame, body, confirm, required, width, look);
        return;
    }
    let area = centered(body, width, if confirm.switch.is_some() { 7 } else { 6 });
    // A harmless action still asks for `y`, but in a calmer colour.
    let frame_style = if confirm.destructive {
        theme.danger
    } else {
        theme.accent
    };
    let mut text = vec![
        Line::from(vec![
            Span::styled(format!("{} ", confirm.title), theme.text),
            Span::styled(confirm.target.clone(), theme.danger),
            Span::styled("?", theme.text),
        ]),
        Line::from(""),
    ];
    if let Some(switch) = &confirm.switch {
        text.push(Line::from(vec![
            Span::styled(format!("{}: ", switch.label), theme.text),
            if switch.on {
                Span::styled("on ", theme.warning)
            } else {
                Span::styled("off", theme.muted)
            },
            Span::styled("    ", theme.text),
            Span::styled(switch.key.to_string(), theme.accent),
            Span::styled(": switch", theme.text),
        ]));
    }
    text.extend([Line::from(vec![
        Span::styled("y", theme.accent),
        Span::styled(": yes    ", theme.text),
        Span::styled("n", theme.accent),
        Span::styled(" / Esc: no", theme.text),
    ])]);
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(text).wrap(Wrap { trim: true }).block(
            Block::default()
                .title(" Confirm ")
                .borders(Borders::ALL)
                .border_set(look.symbols.border)
                .border_style(frame_style),
        ),
        area,
    );
}

/// A dialog that wants the context's name typed: the dangerous variant.
fn draw_typed(
    frame: &mut Frame,
    body: Rect,
    confirm: &Confirm,
    required: &str,
    width: u16,
    look: &Look,
) {
    let theme = &look.theme;
    let area = centered(body, width, 8);
    let typed_style = if confirm.satisfied() {
        theme.ok
    } else {
        theme.accent
    };
    let text = vec![
        Line::from(vec![
            Span::styled(format!("{} ", confirm.title), theme.text),
            Span::styled(confirm.target.clone(), theme.danger),
            Span::styled("?", theme.text),
        ]),
        Line::from(""),
        Line::from(vec![
            Span::styled("Type ", theme.text),
            Span::styled(required.to_string(), theme.danger),
            Span::styled(" to confirm:", theme.text),
        ]),
        Line::from(Span::styled(format!("> {}_", confirm.typed), typed_style)),
        Line::from(vec![
            Span::styled("Enter", theme.accent),
            Span::styled(": yes once it matches    ", theme.text),
            Span::styled("Esc", theme.accent),
            Span::styled(": no", theme.text),
        ]),
    ];
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(text).wrap(Wrap { trim: true }).block(
            Block::default()
                .title(" Confirm: dangerous context ")
                .borders(Borders::ALL)
                .border_set(look.symbols.border)
                .border_style(theme.danger),
        ),
        area,
    );
}
