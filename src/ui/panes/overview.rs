//! The triage view: a health line per source, then what is broken right
//! now across sources, newest first.

use std::collections::HashMap;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::core::list::ListId;
use crate::core::source::{SourceHealth, SourceKind};
use crate::core::state::State;
use crate::core::time::short_age;
use crate::core::triage::{self, TriageItem};
use crate::ui::Look;
use crate::ui::widgets::table::{self, Body, Column, NAME, Props, Width};

fn columns() -> [Column; 6] {
    [
        Column::new("", Width::Fixed(1), 250),
        Column::new("SOURCE", Width::Fixed(10), 210),
        Column::new("WHAT", Width::Fill { min: 20, weight: 3 }, NAME),
        Column::new("WHERE", Width::Fill { min: 12, weight: 2 }, 50),
        Column::new("SINCE", Width::Fixed(5), 220),
        Column::new("REASON", Width::Fill { min: 16, weight: 3 }, 200),
    ]
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, look: &Look) -> (ListId, usize) {
    let theme = &look.theme;
    // Items are derived from the sources, and some with the clock (a pod
    // pending too long), so the frame rebuilds a copy of the list (a few
    // rows: only what is broken) by the same rules `update` applies.
    let items = triage::items(state);
    let mut list = state.overview.clone();
    list.rebuild(&items, &triage::TriageRows);
    let title = if items.is_empty() {
        "Overview: nothing broken".to_string()
    } else {
        format!("Overview: {} broken", items.len())
    };
    let props = Props {
        title,
        border: theme.border,
        ..Props::default()
    }
    .with_list(&list);
    let inner = table::draw_frame(frame, area, &props, look);
    let [health_area, list_area] =
        Layout::vertical([Constraint::Length(4), Constraint::Min(1)]).areas(inner);
    draw_health(frame, health_area, state, look);

    let by_key: HashMap<&str, &TriageItem> = items.iter().map(|i| (i.key.as_str(), i)).collect();
    let cells = |key: &String, selected: bool| {
        let item = by_key.get(key.as_str())?;
        let since = item
            .since
            .map(|t| short_age(t, state.clock))
            .unwrap_or_else(|| "-".into());
        // The selection colours win on the selected row (readability).
        let red = if selected {
            Style::default()
        } else {
            theme.error
        };
        let reason = match &item.cause {
            Some(cause) => format!("{}; {}", item.reason, cause.text),
            None => item.reason.clone(),
        };
        Some(vec![
            Line::from(Span::styled(look.symbols.broken, red)),
            Line::from(item.source.label()),
            Line::from(item.what.clone()),
            Line::from(item.location.clone()),
            Line::from(since),
            Line::from(Span::styled(reason, red)),
        ])
    };
    let columns = columns();
    let body = Body {
        columns: &columns,
        list: &list,
        cells: &cells,
        heading: None,
        empty: if items.is_empty() {
            Line::from(Span::styled(
                "Nothing broken that opsdeck can see.",
                theme.ok,
            ))
        } else {
            Line::from(Span::styled(
                "Nothing broken matches the filter. Esc clears it.",
                theme.muted,
            ))
        },
    };
    (
        ListId::Overview,
        table::draw_body(frame, list_area, &body, look),
    )
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
