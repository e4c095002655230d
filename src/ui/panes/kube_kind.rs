//! Any kind of the kinds table (`:sts`, `:svc`, `:ev`...): the kind's own
//! columns after CONTEXT (several contexts), NAMESPACE (all namespaces of
//! a namespaced kind) and NAME, drawn from the rows' typed cells.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::core::action::Action;
use crate::core::docker::Severity;
use crate::core::kube_kind::{Cell, KindRow, KindView, Link};
use crate::core::kube_metrics::{Metrics, cpu_text, memory_text};
use crate::core::list::ListId;
use crate::core::state::State;
use crate::core::time::kube_age;
use crate::ui::Look;
use crate::ui::widgets::table::{self, Body, Column, MARK, NAME, Props, Width};

#[derive(Clone, Copy)]
struct Shape {
    many_ctx: bool,
    many_ns: bool,
    name: bool,
}

fn columns(view: &KindView, shape: Shape) -> Vec<Column> {
    let mut columns = vec![Column::new("", Width::Fixed(1), MARK)];
    if shape.many_ctx {
        columns.push(Column::new("CONTEXT", Width::Fit { min: 8, max: 20 }, 160));
    }
    // Names repeat across namespaces: NAMESPACE goes after the kind's
    // own columns on a narrow screen, not before them.
    if shape.many_ns {
        columns.push(Column::new(
            "NAMESPACE",
            Width::Fit { min: 9, max: 20 },
            235,
        ));
    }
    if shape.name {
        columns.push(Column::new("NAME", Width::Fit { min: 16, max: 63 }, NAME));
    }
    for c in view.spec.columns {
        let width = if c.min == c.max {
            Width::Fixed(c.min)
        } else {
            Width::Fit {
                min: c.min,
                max: c.max,
            }
        };
        columns.push(Column::new(c.header, width, c.priority));
    }
    columns
}

fn hints(view: &KindView, state: &State) -> String {
    // Every row of a kind links the same way: the first one says how.
    let enter = view.rows.values().next().map(|r| match r.link {
        Link::Pods(_) => "pods",
        Link::Namespace(_) => "switch to it",
        Link::Object { .. } => "its object",
        Link::Owned { .. } => "its jobs",
        Link::Nothing => "describe",
    });
    let mut keys = Vec::new();
    if let Some(word) = enter {
        keys.push((Action::Open, word));
    }
    if view.spec.kind == "Event" {
        keys.push((
            Action::WarningsOnly,
            if view.warnings_only {
                "all events"
            } else {
                "warnings only"
            },
        ));
    }
    keys.extend(view.spec.actions.iter().map(|a| a.key()));
    if view.spec.kind == "Node" {
        keys.extend([
            (Action::Cordon, "cordon"),
            (Action::Uncordon, "uncordon"),
            (Action::Drain, "drain"),
        ]);
    }
    keys.push((Action::Back, "back"));
    table::hints(&state.keymap, &keys)
}

pub fn draw(
    frame: &mut Frame,
    area: Rect,
    state: &State,
    view: &KindView,
    title: String,
    border: Style,
    look: &Look,
) -> (ListId, usize) {
    let theme = &look.theme;
    let pane = &state.kube;
    let plural = view.spec.plural;
    let all_loaded = pane.contexts.keys().all(|c| view.loaded.contains(c));
    let footer = match &view.error {
        Some(error) => Span::styled(format!(" {error} (retrying) "), theme.error),
        None if !all_loaded => Span::styled(" loading... ", theme.muted),
        None => match has_metrics(view)
            .then(|| pane.metrics.status_words(pane.contexts.len() > 1))
            .flatten()
        {
            Some(words) => Span::styled(format!(" {words} "), theme.warning),
            None => Span::styled(hints(view, state), theme.muted),
        },
    };
    let count = if let Some(o) = &view.owned_by {
        format!("{} {plural} of {}", view.list.len(), o.owner)
    } else if view.warnings_only {
        format!(
            "{} warnings of {} {plural}",
            view.list.len(),
            view.rows.len()
        )
    } else {
        format!("{} {plural}", view.rows.len())
    };
    let mut props = Props {
        title,
        count: Some(count),
        border,
        footer: Some(footer),
        ..Props::default()
    }
    .with_list(&view.list);
    props.sort = Some(match view.list.direction() {
        crate::core::list::Direction::Natural => view.sort_label(),
        crate::core::list::Direction::Reversed => format!("{} (reversed)", view.sort_label()),
    });
    let inner = table::draw_frame(frame, area, &props, look);
    let empty = if !view.list.filter().is_empty() {
        format!("No {plural} match the filter. Esc clears it.")
    } else if !all_loaded {
        format!("Loading {plural}...")
    } else if view.warnings_only {
        "No warnings. W shows all events.".to_string()
    } else if view.spec.namespaced {
        format!("No {plural} in this namespace. :ns * shows all namespaces.")
    } else {
        format!("No {plural}.")
    };
    let shape = Shape {
        many_ctx: pane.contexts.len() > 1,
        many_ns: view.spec.namespaced && pane.contexts.values().any(|c| c.info.many_namespaces()),
        name: view.spec.shows_name,
    };
    let now = state.clock;
    let metrics = &pane.metrics;
    let cells =
        |key: &_, _selected: bool| Some(cells(view.rows.get(key)?, now, shape, metrics, look));
    let columns = columns(view, shape);
    let body = Body {
        columns: &columns,
        list: &view.list,
        cells: &cells,
        heading: None,
        empty: Line::from(Span::styled(empty, theme.muted)),
        link: None,
    };
    (ListId::Kind, table::draw_body(frame, inner, &body, look))
}

/// A kind with metrics-API columns (nodes).
fn has_metrics(view: &KindView) -> bool {
    view.rows
        .values()
        .next()
        .is_some_and(|r| r.cells.iter().any(|c| matches!(c, Cell::Cpu(_))))
}

fn cells<'a>(
    row: &'a KindRow,
    now: DateTime<Utc>,
    shape: Shape,
    metrics: &Metrics,
    look: &Look,
) -> Vec<Line<'a>> {
    let theme = &look.theme;
    let style = match row.severity {
        Severity::Ok => theme.ok,
        Severity::Idle => theme.muted,
        Severity::Warning => theme.warning,
        Severity::Broken => theme.error,
    };
    let mut out = vec![Line::from(Span::styled(
        look.symbols.severity(row.severity),
        style,
    ))];
    if shape.many_ctx {
        out.push(Line::from(&*row.key.context));
    }
    if shape.many_ns {
        out.push(Line::from(&*row.key.namespace));
    }
    if shape.name {
        out.push(Line::from(&*row.key.name));
    }
    out.extend(row.cells.iter().map(|c| match c {
        Cell::Text(t) => Line::from(t.as_str()),
        Cell::Count(n) => Line::from(n.to_string()),
        Cell::Ratio(ready, wanted) => Line::from(Span::styled(format!("{ready}/{wanted}"), style)),
        Cell::Age(Some(t)) => Line::from(kube_age(*t, now)),
        Cell::Age(None) => Line::from("<unknown>"),
        Cell::Span(start, end) => Line::from(kube_age(*start, *end)),
        Cell::Cpu(Some(m)) => Line::from(cpu_text(*m)),
        Cell::Memory(Some(b)) => Line::from(memory_text(*b)),
        Cell::Cpu(None) | Cell::Memory(None) => {
            Line::from(metrics.cell(None, &row.key.context, true))
        }
    }));
    out
}
