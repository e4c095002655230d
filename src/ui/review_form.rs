//! The `A` dialog: the environments a run waits on, the comment being
//! typed, and whether Enter will approve or reject.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::{Look, centered};
use crate::core::github_review::{PendingEnv, ReviewForm};

/// `production  wait 5m  reviewers: alice, ops-team`.
fn env_line(env: &PendingEnv) -> String {
    let mut text = env.name.clone();
    if env.wait_timer > 0 {
        text.push_str(&format!("  wait {}m", env.wait_timer));
    }
    if !env.reviewers.is_empty() {
        text.push_str(&format!("  reviewers: {}", env.reviewers.join(", ")));
    }
    text
}

pub fn draw(frame: &mut Frame, body: Rect, form: &ReviewForm, look: &Look) {
    let theme = &look.theme;
    let mut lines = vec![
        Line::from(vec![
            Span::styled("Run ", theme.text),
            Span::styled(form.label.clone(), theme.accent),
            Span::styled(" waits for:", theme.text),
        ]),
        Line::from(""),
    ];
    for env in &form.envs {
        let (mark, note) = if env.can_approve {
            (if look.ascii { "* " } else { "● " }, "")
        } else {
            ("  ", "  (you may not review it)")
        };
        lines.push(Line::from(vec![
            Span::styled(mark, theme.accent),
            Span::styled(env_line(env), theme.text),
            Span::styled(note, theme.muted),
        ]));
    }
    lines.push(Line::from(""));
    let (decision, style) = if form.approve {
        ("approve", theme.accent)
    } else {
        ("reject", theme.danger)
    };
    lines.push(Line::from(vec![
        Span::styled("Decision: ", theme.header),
        Span::styled(decision, style),
    ]));
    lines.push(Line::from(vec![
        Span::styled("Comment:  ", theme.header),
        Span::styled(format!("{}_", form.comment), theme.text),
    ]));
    if let Some(problem) = &form.problem {
        lines.push(Line::from(Span::styled(problem.clone(), theme.error)));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(vec![
        Span::styled("Tab", theme.accent),
        Span::styled(" approve/reject  ", theme.text),
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
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::default()
                .title(" Pending deployments ")
                .borders(Borders::ALL)
                .border_set(look.symbols.border)
                .border_style(theme.accent),
        ),
        area,
    );
}
