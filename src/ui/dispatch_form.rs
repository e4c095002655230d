//! The `W` form: one row per `workflow_dispatch` input with its value,
//! whether it is required, and its description under the focused row.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::{Look, centered};
use crate::core::dispatch_form::{DispatchForm, Field};
use crate::core::github::InputKind;

/// `◂ staging ▸` (`< staging >` in ASCII), `[x] true`, `v1.4.2_`: a
/// value as it is edited.
fn shown(field: &Field, focused: bool, ascii: bool) -> String {
    match &field.input.kind {
        InputKind::Choice { .. } if ascii => format!("< {} >", field.value),
        InputKind::Choice { .. } => format!("◂ {} ▸", field.value),
        InputKind::Boolean { .. } => {
            let mark = if field.value == "true" { "x" } else { " " };
            format!("[{mark}] {}", field.value)
        }
        _ if focused => format!("{}_", field.value),
        _ => field.value.clone(),
    }
}

pub fn draw(frame: &mut Frame, body: Rect, form: &DispatchForm, look: &Look) {
    let theme = &look.theme;
    let name_width = form
        .fields
        .iter()
        .map(|f| f.input.name.chars().count())
        .max()
        .unwrap_or(0)
        + 2;
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!("{} on ", form.workflow), theme.text),
            Span::styled(format!("{}@{}", form.repo, form.branch), theme.accent),
        ]),
        Line::from(Span::styled(form.path.clone(), theme.muted)),
        Line::from(""),
    ];
    for (i, field) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let marker = match (focused, look.ascii) {
            (false, _) => "  ",
            (true, false) => "▶ ",
            (true, true) => "> ",
        };
        let required = if field.input.required { "*" } else { " " };
        let style = if focused { theme.accent } else { theme.text };
        lines.push(Line::from(vec![
            Span::styled(marker, theme.accent),
            Span::styled(
                format!("{:<name_width$}", format!("{}{required}", field.input.name)),
                theme.header,
            ),
            Span::styled(shown(field, focused, look.ascii), style),
        ]));
    }
    lines.push(Line::from(""));
    let about = form
        .fields
        .get(form.focus)
        .map(|f| f.input.description.clone())
        .unwrap_or_default();
    lines.push(Line::from(Span::styled(about, theme.muted)));
    match &form.problem {
        Some(problem) => lines.push(Line::from(Span::styled(problem.clone(), theme.error))),
        None => lines.push(Line::from(Span::styled("* required", theme.muted))),
    }
    lines.push(Line::from(vec![
        Span::styled(if look.ascii { "Up/Down" } else { "↑↓" }, theme.accent),
        Span::styled(" move  ", theme.text),
        Span::styled(
            if look.ascii {
                "Left/Right Space"
            } else {
                "←→ Space"
            },
            theme.accent,
        ),
        Span::styled(" choose  ", theme.text),
        Span::styled("Enter", theme.accent),
        Span::styled(" confirm  ", theme.text),
        Span::styled("Esc", theme.accent),
        Span::styled(" cancel", theme.text),
    ]));
    let widest = lines.iter().map(Line::width).max().unwrap_or(0) as u16;
    let width = (widest + 4).clamp(48, body.width.saturating_sub(2).max(1));
    let height = (lines.len() as u16 + 2).min(body.height.max(1));
    let area = centered(body, width, height);
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .title(" Dispatch inputs ")
                .borders(Borders::ALL)
                .border_set(look.symbols.border)
                .border_style(theme.accent),
        ),
        area,
    );
}
