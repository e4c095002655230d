//! The timeline view (`T` in the Overview, `:timeline`): what changed,
//! across sources, newest first. A breakage row says which rollout it
//! followed and which run built the image; the bottom border spells out
//! the fields that made the selected row's links.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::core::action::Action;
use crate::core::list::ListId;
use crate::core::state::State;
use crate::core::timeline::{Change, Entry, Seq};
use crate::ui::Look;
use crate::ui::widgets::table::{self, Body, Column, NAME, Props, Width};

fn columns() -> [Column; 7] {
    [
        Column::new("", Width::Fixed(1), 250),
        Column::new("TIME", Width::Fixed(8), 245),
        Column::new("SOURCE", Width::Fixed(10), 150),
        Column::new("KIND", Width::Fit { min: 5, max: 12 }, 210),
        Column::new("WHAT", Width::Fill { min: 18, weight: 3 }, NAME),
        // WHERE and SOURCE keep their place on a wide screen: REASON, which
        // holds the links, would otherwise take every column left (a
        // `context/namespace` path needs 20-30 columns).
        Column::new("WHERE", Width::Fit { min: 10, max: 28 }, 200),
        Column::new("REASON", Width::Fit { min: 20, max: 104 }, 220),
    ]
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, look: &Look) -> (ListId, usize) {
    let theme = &look.theme;
    let view = &state.timeline;
    let timeline = &view.entries;
    let footer = match view.selected().map(|e| timeline.links(e)) {
        Some(links) if !links.is_empty() => {
            let why: Vec<String> = links
                .iter()
                .map(|l| {
                    let fields: Vec<String> = l
                        .matched
                        .iter()
                        .map(|m| format!("{} {}", m.field, m.value))
                        .collect();
                    fields.join(", ")
                })
                .collect();
            Span::styled(format!(" linked by: {} ", why.join("; ")), theme.accent)
        }
        _ => Span::styled(
            table::hints(
                &state.keymap,
                &[
                    (Action::Open, "show"),
                    (Action::Logs, "logs"),
                    (Action::TimelineSource, "source"),
                    (Action::TimelineChanges, "changes/all"),
                    (Action::Timeline, "back"),
                ],
            ),
            theme.muted,
        ),
    };
    let mut props = Props {
        title: format!(
            "Timeline {} {}",
            look.symbols.separator,
            view.filter_words()
        ),
        count: Some(format!("{} of {}", view.list.len(), timeline.len())),
        border: theme.border,
        footer: Some(footer),
        ..Props::default()
    }
    .with_list(&view.list);
    // Always newest first: there is no sort to show.
    props.sort = None;
    let inner = table::draw_frame(frame, area, &props, look);
    let offset = state.settings.utc_offset;
    let columns = columns();
    let placed = !where_fits(state, &columns, inner, look);
    let engines = state.docker.many_engines();
    let cells = |seq: &Seq, selected: bool| {
        let e = timeline.get(*seq)?;
        let mut row = cells(e, timeline, offset, selected, look);
        if placed {
            row[WHAT] = Line::from(e.what_with_place(engines));
        }
        Some(row)
    };
    let empty = if !view.list.filter().is_empty() {
        "Nothing in the timeline matches the filter. Esc clears it."
    } else if timeline.is_empty() {
        "No changes seen yet: runs, rollouts, restarts and container events appear here as they happen."
    } else {
        "Nothing here with these filters (c: source, a: only changes / everything)."
    };
    let body = Body {
        columns: &columns,
        list: &view.list,
        cells: &cells,
        heading: None,
        empty: Line::from(Span::styled(empty, theme.muted)),
        link: None,
    };
    (
        ListId::Timeline,
        table::draw_body(frame, inner, &body, look),
    )
}

/// WHAT's and WHERE's places among the columns.
const WHAT: usize = 4;
const WHERE: usize = 5;

/// Whether the table keeps WHERE for the rows on screen (the same layout
/// `table::draw_body` makes of them); where it drops out, WHAT names the
/// place itself, or "CI #20" would not say of which repository.
fn where_fits(state: &State, columns: &[Column], inner: Rect, look: &Look) -> bool {
    let view = &state.timeline;
    let lines = usize::from(inner.height.saturating_sub(1));
    let offset = state.settings.utc_offset;
    let mut content = vec![0u16; columns.len()];
    for index in view.list.window(lines) {
        let Some(e) = view
            .list
            .order()
            .get(index)
            .and_then(|s| view.entries.get(*s))
        else {
            continue;
        };
        let row = cells(e, &view.entries, offset, false, look);
        for (width, line) in content.iter_mut().zip(&row) {
            *width = (*width).max(u16::try_from(line.width()).unwrap_or(u16::MAX));
        }
    }
    table::layout(columns, &content, inner.width)
        .get(WHERE)
        .is_some_and(Option::is_some)
}

fn cells<'a>(
    e: &'a Entry,
    timeline: &crate::core::timeline::Timeline,
    offset: chrono::FixedOffset,
    selected: bool,
    look: &Look,
) -> Vec<Line<'a>> {
    let theme = &look.theme;
    // The selection colours win on the selected row (readability).
    let plain = |style: Style| if selected { Style::default() } else { style };
    let (symbol, style) = if e.bad {
        (look.symbols.broken, plain(theme.error))
    } else if e.is_change() {
        (look.symbols.running, plain(theme.accent))
    } else {
        (look.symbols.ok, plain(theme.muted))
    };
    let reason = crate::core::timeline_link::row_text(e, &timeline.links(e));
    let kind = match e.change {
        Change::RunStarted if e.deploy => "deploy start",
        Change::RunFinished if e.deploy => "deploy end",
        other => other.word(),
    };
    vec![
        Line::from(Span::styled(symbol, style)),
        Line::from(e.at.with_timezone(&offset).format("%H:%M:%S").to_string()),
        Line::from(e.source.label()),
        Line::from(Span::styled(kind, style)),
        Line::from(e.what.as_str()),
        Line::from(e.place.as_str()),
        Line::from(Span::styled(
            reason,
            if e.bad { style } else { Style::default() },
        )),
    ]
}
