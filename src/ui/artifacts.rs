//! The `b` dialog: a run's artifacts and the download under way.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::{Look, centered};
use crate::core::github_artifacts::{ArtifactsView, Download, size_text};

/// `[#####-----]  52%`: drawn with plain characters in both glyph sets.
fn bar(done: u64, total: u64) -> String {
    let pct = (done.saturating_mul(100) / total.max(1)).min(100);
    let filled = (pct / 5) as usize;
    format!(
        "[{}{}] {pct:>3}%",
        "#".repeat(filled),
        "-".repeat(20 - filled)
    )
}

pub fn draw(frame: &mut Frame, body: Rect, view: &ArtifactsView, look: &Look) {
    let theme = &look.theme;
    let mut lines = vec![
        Line::from(vec![
            Span::styled("Artifacts of ", theme.text),
            Span::styled(view.label.clone(), theme.accent),
        ]),
        Line::from(""),
    ];
    match &view.items {
        None => lines.push(Line::from(Span::styled("reading...", theme.muted))),
        Some(Err(e)) => lines.push(Line::from(Span::styled(e.clone(), theme.error))),
        Some(Ok(items)) if items.is_empty() => lines.push(Line::from(Span::styled(
            "this run kept no artifacts",
            theme.muted,
        ))),
        Some(Ok(items)) => {
            let width = items
                .iter()
                .map(|a| a.name.chars().count())
                .max()
                .unwrap_or(0)
                + 2;
            for (i, a) in items.iter().enumerate() {
                let marker = match (i == view.selected, look.ascii) {
                    (false, _) => "  ",
                    (true, false) => "▶ ",
                    (true, true) => "> ",
                };
                let (note, style) = if a.expired {
                    ("expired".to_string(), theme.muted)
                } else {
                    let until = a
                        .expires_at
                        .as_deref()
                        .and_then(|t| t.get(..10))
                        .unwrap_or("");
                    (format!("kept until {until}"), theme.text)
                };
                lines.push(Line::from(vec![
                    Span::styled(marker, theme.accent),
                    Span::styled(format!("{:<width$}", a.name), style),
                    Span::styled(format!("{:>9}  ", size_text(a.size)), style),
                    Span::styled(note, theme.muted),
                ]));
            }
        }
    }
    lines.push(Line::from(""));
    let dir = view.dir.display().to_string();
    match &view.download {
        Some(Download::Going { done, total, .. }) => lines.push(Line::from(vec![
            Span::styled(bar(*done, *total), theme.accent),
            Span::styled(
                format!("  {} of {}", size_text(*done), size_text(*total)),
                theme.text,
            ),
        ])),
        Some(Download::Saved(path)) => lines.push(Line::from(Span::styled(
            format!("saved to {path}"),
            theme.accent,
        ))),
        Some(Download::Failed(e)) => lines.push(Line::from(Span::styled(e.clone(), theme.error))),
        None => lines.push(Line::from(Span::styled(
            format!("downloads go to {dir}"),
            theme.muted,
        ))),
    }
    let keys: &[(&str, &str)] = if let Some(typed) = &view.dir_edit {
        lines.push(Line::from(vec![
            Span::styled("save to: ", theme.text),
            Span::styled(format!("{typed}_"), theme.accent),
        ]));
        &[("Enter", " keep  "), ("Esc", " cancel")]
    } else {
        &[
            ("j/k", " move  "),
            ("Enter", " download  "),
            ("o", " directory  "),
            ("Esc", " close"),
        ]
    };
    lines.push(Line::from(
        keys.iter()
            .flat_map(|(key, what)| {
                [
                    Span::styled(*key, theme.accent),
                    Span::styled(*what, theme.text),
                ]
            })
            .collect::<Vec<_>>(),
    ));
    let widest = lines.iter().map(Line::width).max().unwrap_or(0) as u16;
    let width = (widest + 4).clamp(48, body.width.saturating_sub(2).max(1));
    let height = (lines.len() as u16 + 2).min(body.height.max(1));
    let area = centered(body, width, height);
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .title(" Artifacts ")
                .borders(Borders::ALL)
                .border_set(look.symbols.border)
                .border_style(theme.accent),
        ),
        area,
    );
}
