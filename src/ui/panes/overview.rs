//! The triage view: a health line per source, then what is broken right
//! now across sources, newest first.

use std::collections::HashMap;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::core::list::ListId;
use crate::core::sight;
use crate::core::source::SourceHealth;
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
    let blind = sight::blind_spots(state);
    // Room beside the list's own words (sort, filter) in the top border.
    let room = usize::from(area.width).saturating_sub(2 + list_words(&state.overview));
    let title = sight::title(items.len(), &blind, room);
    let props = Props {
        title,
        border: theme.border,
        ..Props::default()
    }
    .with_list(&list);
    let inner = table::draw_frame(frame, area, &props, look);
    let health = health_lines(state, look);
    let height = health_height(&health, inner);
    let [health_area, list_area] =
        Layout::vertical([Constraint::Length(height), Constraint::Min(1)]).areas(inner);
    frame.render_widget(
        Paragraph::new(health).wrap(Wrap { trim: false }),
        health_area,
    );

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
        link: None,
        empty: if items.is_empty() && !blind.is_empty() {
            // Not green: the picture is incomplete, and the lines above say why.
            Line::from(Span::styled(
                "Nothing broken in what opsdeck can see, but it cannot see everything (above).",
                theme.warning,
            ))
        } else if items.is_empty() {
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

/// One line per source, wrapped: a reason names a file or a host and is
/// worth reading whole.
fn health_lines(state: &State, look: &Look) -> Vec<Line<'static>> {
    let theme = &look.theme;
    sight::sources(state)
        .into_iter()
        .map(|(kind, h)| {
            let (word, style) = match h {
                SourceHealth::Disabled { how_to_enable } => {
                    (format!("off (to turn on: {how_to_enable})"), theme.muted)
                }
                SourceHealth::Unusable { detail, .. } => {
                    (format!("cannot see: {detail}"), theme.error)
                }
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
                SourceHealth::Reconnecting { target, error, .. } => {
                    let why = if error.contains(target.as_str()) {
                        error.clone()
                    } else {
                        format!("{target}: {error}")
                    };
                    let wait = h.waiting_words(state.clock).unwrap_or_default();
                    (format!("cannot see: {why}; {wait}"), theme.error)
                }
            };
            Line::from(vec![
                Span::styled(format!("{:<11}", kind.label()), theme.header),
                Span::styled(word, style),
            ])
        })
        .collect()
}

/// Rows the wrapped health lines take, plus a blank one under them; at
/// most half the pane, so the list keeps room.
fn health_height(lines: &[Line], area: Rect) -> u16 {
    let width = usize::from(area.width.max(1));
    let rows: usize = lines.iter().map(|l| l.width().max(1).div_ceil(width)).sum();
    let cap = usize::from((area.height / 2).max(4));
    u16::try_from((rows + 1).min(cap)).unwrap_or(4)
}

/// Characters the list's own words take in the top border (see
/// `Props::with_list`): ` │ sort: X ` and ` │ filter "F" (N) `, with room
/// for the title's padding.
fn list_words<K: Clone + Eq + std::hash::Hash, S: crate::core::list::SortColumn>(
    list: &crate::core::list::ListState<K, S>,
) -> usize {
    let sort = list.sort_label().chars().count() + 10;
    let filter = match list.filter() {
        "" => 0,
        f => f.chars().count() + 20,
    };
    2 + sort + filter
}
