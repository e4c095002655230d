//! The Deployments view (`:deploy`), like `kubectl get deployments`:
//! NAME, READY, UP-TO-DATE, AVAILABLE, AGE, with NAMESPACE when all
//! namespaces are watched and CONTEXT when several contexts are.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::core::action::Action;
use crate::core::docker::Severity;
use crate::core::kube_deploy::{DeployRow, DeployView};
use crate::core::list::ListId;
use crate::core::state::State;
use crate::core::time::short_age;
use crate::ui::Look;
use crate::ui::widgets::table::{self, Body, Column, NAME, Props, Width};

#[derive(Clone, Copy)]
struct Shape {
    many_ctx: bool,
    many_ns: bool,
}

/// kubectl's columns; on a narrow screen AGE and UP-TO-DATE go first.
fn columns(shape: Shape) -> Vec<Column> {
    let mut columns = vec![Column::new("", Width::Fixed(1), 250)];
    if shape.many_ctx {
        columns.push(Column::new("CONTEXT", Width::Fit { min: 8, max: 20 }, 160));
    }
    if shape.many_ns {
        columns.push(Column::new(
            "NAMESPACE",
            Width::Fit { min: 9, max: 20 },
            170,
        ));
    }
    columns.extend([
        Column::new("NAME", Width::Fit { min: 16, max: 63 }, NAME),
        Column::new("READY", Width::Fit { min: 5, max: 11 }, 240),
        Column::new("UP-TO-DATE", Width::Fixed(10), 130),
        Column::new("AVAILABLE", Width::Fixed(9), 200),
        Column::new("AGE", Width::Fixed(5), 150),
    ]);
    columns
}

pub fn draw(
    frame: &mut Frame,
    area: Rect,
    state: &State,
    view: &DeployView,
    title: String,
    border: Style,
    look: &Look,
) -> (ListId, usize) {
    let theme = &look.theme;
    let pane = &state.kube;
    let all_loaded = pane.contexts.keys().all(|c| view.loaded.contains(c));
    let footer = match &view.error {
        Some(error) => Span::styled(format!(" {error} (retrying) "), theme.error),
        None if !all_loaded => Span::styled(" loading... ", theme.muted),
        None => Span::styled(
            table::hints(
                &state.keymap,
                &[
                    (Action::Open, "pods"),
                    (Action::Scale, "scale"),
                    (Action::RolloutRestart, "rollout restart"),
                    (Action::Back, "back"),
                ],
            ),
            theme.muted,
        ),
    };
    let props = Props {
        title,
        count: Some(format!("{} deployments", view.rows.len())),
        border,
        footer: Some(footer),
        ..Props::default()
    }
    .with_list(&view.list);
    let inner = table::draw_frame(frame, area, &props, look);
    let empty = if !view.list.filter().is_empty() {
        "No deployment matches the filter. Esc clears it."
    } else if all_loaded {
        "No deployments in this namespace. :ns * shows all namespaces."
    } else {
        "Loading deployments..."
    };
    let shape = Shape {
        many_ctx: pane.contexts.len() > 1,
        many_ns: pane.contexts.values().any(|c| c.info.many_namespaces()),
    };
    let now = state.clock;
    let cells = |key: &_, _selected: bool| {
        let d = view.rows.get(key)?;
        Some(cells(d, now, shape, look))
    };
    let columns = columns(shape);
    let body = Body {
        columns: &columns,
        list: &view.list,
        cells: &cells,
        heading: None,
        empty: Line::from(Span::styled(empty, theme.muted)),
        link: None,
    };
    (
        ListId::Deployments,
        table::draw_body(frame, inner, &body, look),
    )
}

fn cells<'a>(
    d: &'a DeployRow,
    now: chrono::DateTime<chrono::Utc>,
    shape: Shape,
    look: &Look,
) -> Vec<Line<'a>> {
    let theme = &look.theme;
    let (sev, style) = if d.short() {
        (Severity::Warning, theme.warning)
    } else {
        (Severity::Ok, theme.ok)
    };
    let mut cells = vec![Line::from(Span::styled(look.symbols.severity(sev), style))];
    if shape.many_ctx {
        cells.push(Line::from(&*d.key.context));
    }
    if shape.many_ns {
        cells.push(Line::from(&*d.key.namespace));
    }
    cells.extend([
        Line::from(&*d.key.name),
        Line::from(Span::styled(d.ready_text(), style)),
        Line::from(d.updated.to_string()),
        Line::from(d.available.to_string()),
        Line::from(d.created.map_or_else(|| "-".into(), |c| short_age(c, now))),
    ]);
    cells
}
