//! The triage view: what is broken right now, across sources, newest first.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table};

use crate::core::docker::Severity;
use crate::core::source::{SourceHealth, SourceKind};
use crate::core::state::State;
use crate::ui::Look;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, look: &Look) {
    let theme = &look.theme;
    let block = Block::default()
        .title(" Overview: what is broken now ")
        .borders(Borders::ALL)
        .border_set(look.symbols.border)
        .border_style(theme.border);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [health_area, list_area] =
        Layout::vertical([Constraint::Length(3), Constraint::Min(1)]).areas(inner);
    let health = [
        (SourceKind::GitHub, &state.github_health),
        (SourceKind::Kubernetes, &state.kube_health),
        (SourceKind::Docker, &state.docker.health),
    ]
    .into_iter()
    .map(|(kind, h)| {
        let (word, style) = match h {
            SourceHealth::Disabled { .. } => ("disabled".to_string(), theme.muted),
            SourceHealth::Connecting { .. } => ("connecting".to_string(), theme.warning),
            SourceHealth::Connected { target, .. } => (format!("connected ({target})"), theme.ok),
            SourceHealth::Reconnecting { error, .. } => {
                (format!("reconnecting: {error}"), theme.error)
            }
        };
        Line::from(vec![
            Span::styled(format!("{:<11}", kind.label()), theme.header),
            Span::styled(word, style),
        ])
    })
    .collect::<Vec<_>>();
    frame.render_widget(Paragraph::new(health), health_area);

    let mut broken: Vec<_> = state
        .docker
        .containers
        .data()
        .map(|m| {
            m.values()
                .filter(|c| c.severity() == Severity::Broken)
                .collect()
        })
        .unwrap_or_default();
    broken.sort_by(|a, b| {
        b.finished_at
            .max(b.started_at)
            .cmp(&a.finished_at.max(a.started_at))
    });
    if broken.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled(
                "Nothing broken that opsdeck can see.",
                theme.ok,
            )),
            list_area,
        );
        return;
    }
    let rows = broken.iter().map(|c| {
        Row::new(vec![
            Span::styled(look.symbols.broken, theme.error),
            Span::raw("docker"),
            Span::raw(c.name.as_str()),
            Span::styled(c.state_text(), theme.error),
        ])
    });
    let table = Table::new(
        rows,
        [
            Constraint::Length(1),
            Constraint::Length(8),
            Constraint::Fill(2),
            Constraint::Fill(2),
        ],
    )
    .header(Row::new(vec!["", "SOURCE", "WHAT", "REASON"]).style(theme.header));
    frame.render_widget(table, list_area);
}
