//! The triage view: a health line per source, then what is broken right
//! now across sources, newest first.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table};

use crate::core::source::{SourceHealth, SourceKind};
use crate::core::state::State;
use crate::core::time::short_age;
use crate::core::triage;
use crate::ui::Look;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, look: &Look) {
    let theme = &look.theme;
    let items = triage::items(state);
    let title = if items.is_empty() {
        " Overview: nothing broken ".to_string()
    } else {
        format!(" Overview: {} broken ", items.len())
    };
    let block = Block::default()
        .title(title)
        .borders(Borders::ALL)
        .border_set(look.symbols.border)
        .border_style(theme.border);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [health_area, list_area] =
        Layout::vertical([Constraint::Length(4), Constraint::Min(1)]).areas(inner);
    draw_health(frame, health_area, state, look);

    if items.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled(
                "Nothing broken that opsdeck can see.",
                theme.ok,
            )),
            list_area,
        );
        return;
    }
    let selected = state
        .overview_selected
        .as_ref()
        .and_then(|k| items.iter().position(|i| &i.key == k))
        .unwrap_or(0);
    let visible = usize::from(list_area.height.saturating_sub(1)).max(1);
    let offset = selected.saturating_sub(visible - 1);
    let wide = list_area.width >= 120;
    let rows = items
        .iter()
        .enumerate()
        .skip(offset)
        .take(visible)
        .map(|(i, item)| {
            let since = item
                .since
                .map(|t| short_age(t, state.clock))
                .unwrap_or_else(|| "-".into());
            // The selection colours win on the selected row (readability).
            let red = if i == selected {
                ratatui::style::Style::default()
            } else {
                theme.error
            };
            let mut cells = vec![
                Span::styled(look.symbols.broken, red),
                Span::raw(item.source.label()),
                Span::raw(item.what.clone()),
            ];
            if wide {
                cells.push(Span::raw(item.location.clone()));
            }
            cells.push(Span::raw(since));
            let reason = match &item.cause {
                Some(cause) => format!("{}; {}", item.reason, cause.text),
                None => item.reason.clone(),
            };
            cells.push(Span::styled(reason, red));
            let row = Row::new(cells);
            if i == selected {
                row.style(theme.selection)
            } else {
                row
            }
        });
    let mut widths = vec![
        Constraint::Length(1),
        Constraint::Length(10),
        Constraint::Fill(3),
    ];
    let mut header = vec!["", "SOURCE", "WHAT"];
    if wide {
        widths.push(Constraint::Fill(2));
        header.push("WHERE");
    }
    widths.extend([Constraint::Length(5), Constraint::Fill(3)]);
    header.extend(["SINCE", "REASON"]);
    let table = Table::new(rows, widths).header(Row::new(header).style(theme.header));
    frame.render_widget(table, list_area);
}

fn draw_health(frame: &mut Frame, area: Rect, state: &State, look: &Look) {
    let theme = &look.theme;
    let lines = [
        (SourceKind::GitHub, &state.github_health),
        (SourceKind::Kubernetes, &state.kube_health),
        (SourceKind::Docker, &state.docker.health),
    ]
    .into_iter()
    .map(|(kind, h)| {
        let (word, style) = match h {
            SourceHealth::Disabled { .. } => ("disabled".to_string(), theme.muted),
            SourceHealth::Connecting { target } => {
                (format!("connecting to {target}"), theme.warning)
            }
            SourceHealth::Connected {
                target,
                last_update,
            } => (
                format!(
                    "connected ({target}), updated {} ago",
                    short_age(*last_update, state.clock)
                ),
                theme.ok,
            ),
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
    frame.render_widget(Paragraph::new(lines), area);
}
