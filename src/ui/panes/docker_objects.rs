//! The images, volumes and networks views of the Docker pane, as the
//! docker CLI lists them, with the containers using each (count, then
//! names) in their own column, and with several engines whose each row is.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::core::action::Action;
use crate::core::docker::{Severity, human_bytes};
use crate::core::docker_compose::ProjectRow;
use crate::core::docker_objects::{
    ImageRow, NetworkRow, ObjectRow, ObjectTable, ObjectView, VolumeRow,
};
use crate::core::list::ListId;
use crate::core::source::SourceHealth;
use crate::core::state::State;
use crate::core::time::short_age;
use crate::ui::Look;
use crate::ui::widgets::table::{self, Body, Column, MARK, NAME, Props, Width};

fn image_columns() -> Vec<Column> {
    vec![
        Column::new("", Width::Fixed(1), MARK),
        Column::new("REPOSITORY:TAG", Width::Fill { min: 20, weight: 3 }, NAME),
        Column::new("ID", Width::Fixed(12), 150),
        Column::new("SIZE", Width::Fixed(9), 200),
        Column::new("AGE", Width::Fixed(5), 160),
        Column::new("CONTAINERS", Width::Fill { min: 10, weight: 2 }, 180),
    ]
}

/// An anonymous volume's name is 64 hex digits: capped, so the driver
/// and users still fit beside it on a narrow screen.
fn volume_columns() -> Vec<Column> {
    vec![
        Column::new("", Width::Fixed(1), MARK),
        Column::new("NAME", Width::Fit { min: 16, max: 40 }, NAME),
        Column::new("DRIVER", Width::Fit { min: 6, max: 12 }, 150),
        // The local driver's is always /var/lib/docker/volumes/NAME/_data:
        // the first to go.
        Column::new("MOUNTPOINT", Width::Fill { min: 16, weight: 3 }, 100),
        Column::new("CONTAINERS", Width::Fill { min: 10, weight: 2 }, 200),
    ]
}

fn project_columns() -> Vec<Column> {
    vec![
        Column::new("", Width::Fixed(1), MARK),
        Column::new("PROJECT", Width::Fit { min: 12, max: 32 }, NAME),
        Column::new("RUNNING", Width::Fixed(8), 200),
        Column::new(
            "SERVICES (start order)",
            Width::Fill { min: 16, weight: 3 },
            150,
        ),
        Column::new("CONTAINERS", Width::Fill { min: 10, weight: 2 }, 100),
    ]
}

fn network_columns() -> Vec<Column> {
    vec![
        Column::new("", Width::Fixed(1), MARK),
        Column::new("NAME", Width::Fill { min: 16, weight: 3 }, NAME),
        Column::new("DRIVER", Width::Fit { min: 6, max: 12 }, 150),
        Column::new("SCOPE", Width::Fit { min: 5, max: 8 }, 120),
        Column::new("CONTAINERS", Width::Fill { min: 10, weight: 2 }, 200),
    ]
}

/// ENGINE after the name, only when rows come from several engines (as
/// the containers list does); kept longer than the users column.
fn with_engine(mut columns: Vec<Column>, many: bool) -> Vec<Column> {
    if many {
        columns.insert(
            2,
            Column::new("ENGINE", Width::Fit { min: 6, max: 16 }, 190),
        );
    }
    columns
}

/// A row's engine, in the error colour while that engine is down (its
/// rows are then its last list).
fn engine_cell<'a>(state: &State, engine: &'a str, selected: bool, look: &Look) -> Line<'a> {
    let up = state
        .docker
        .engines
        .get(engine)
        .is_some_and(SourceHealth::is_connected);
    let style = if up || selected {
        Style::default()
    } else {
        look.theme.error
    };
    Line::from(Span::styled(engine, style))
}

pub fn draw(
    frame: &mut Frame,
    area: Rect,
    state: &State,
    view: &ObjectView,
    border: Style,
    look: &Look,
) -> (ListId, usize) {
    let now = state.clock;
    let many = state.docker.many_engines();
    let rows = match view {
        ObjectView::Images(t) => {
            let cells = |key: &String, sel: bool| {
                let r = t.rows.get(key)?;
                Some(tag_engine(
                    state,
                    r,
                    image_cells(r, now, look),
                    sel,
                    many,
                    look,
                ))
            };
            let columns = with_engine(image_columns(), many);
            draw_table(
                frame, area, state, t, "images", &columns, &cells, border, look,
            )
        }
        ObjectView::Volumes(t) => {
            let cells = |key: &String, sel: bool| {
                let r = t.rows.get(key)?;
                Some(tag_engine(state, r, volume_cells(r, look), sel, many, look))
            };
            let columns = with_engine(volume_columns(), many);
            draw_table(
                frame, area, state, t, "volumes", &columns, &cells, border, look,
            )
        }
        ObjectView::Networks(t) => {
            let cells = |key: &String, sel: bool| {
                let r = t.rows.get(key)?;
                Some(tag_engine(
                    state,
                    r,
                    network_cells(r, look),
                    sel,
                    many,
                    look,
                ))
            };
            let columns = with_engine(network_columns(), many);
            draw_table(
                frame, area, state, t, "networks", &columns, &cells, border, look,
            )
        }
        ObjectView::Projects(t) => {
            let cells = |key: &String, sel: bool| {
                let r = t.rows.get(key)?;
                Some(tag_engine(
                    state,
                    r,
                    project_cells(r, look),
                    sel,
                    many,
                    look,
                ))
            };
            let columns = with_engine(project_columns(), many);
            draw_table(
                frame, area, state, t, "projects", &columns, &cells, border, look,
            )
        }
    };
    (ListId::DockerObjects, rows)
}

/// The row's cells, with its engine's inserted after the name when
/// several engines are shown.
fn tag_engine<'a, R: ObjectRow>(
    state: &State,
    row: &'a R,
    mut cells: Vec<Line<'a>>,
    selected: bool,
    many: bool,
    look: &Look,
) -> Vec<Line<'a>> {
    if many {
        cells.insert(2, engine_cell(state, row.engine(), selected, look));
    }
    cells
}

type Cells<'a> = dyn Fn(&String, bool) -> Option<Vec<Line<'a>>> + 'a;

#[allow(clippy::too_many_arguments)]
fn draw_table<'a, R: ObjectRow>(
    frame: &mut Frame,
    area: Rect,
    state: &State,
    t: &'a ObjectTable<R>,
    noun: &str,
    columns: &[Column],
    cells: &Cells<'a>,
    border: Style,
    look: &Look,
) -> usize {
    let theme = &look.theme;
    let hints: &[(Action, &str)] = if noun == "projects" {
        &[
            (Action::Logs, "logs"),
            (Action::Start, "start"),
            (Action::Stop, "stop"),
            (Action::Restart, "restart"),
            (Action::Remove, "remove"),
            (Action::Back, "containers"),
        ]
    } else {
        &[
            (Action::Inspect, "inspect"),
            (Action::Open, "users"),
            (Action::Remove, "remove"),
            (Action::Prune, "prune"),
            (Action::SortNext, "sort"),
            (Action::Back, "containers"),
        ]
    };
    let footer = match t.error_text() {
        Some(error) => Span::styled(format!(" {error} "), theme.error),
        None if !t.loaded => Span::styled(" loading... ", theme.muted),
        None => Span::styled(table::hints(&state.keymap, hints), theme.muted),
    };
    let props = Props {
        title: format!("Docker {} {noun}", look.symbols.separator),
        count: Some(format!("{} {noun}", t.rows.len())),
        border,
        footer: Some(footer),
        ..Props::default()
    }
    .with_list(&t.list);
    let inner = table::draw_frame(frame, area, &props, look);
    let empty = if !t.list.filter().is_empty() {
        format!("No {noun} match the filter. Esc clears it.")
    } else if t.loaded && !t.errors.is_empty() {
        format!("No {noun} listed: the footer says why.")
    } else if t.loaded && state.docker.many_engines() {
        format!("No {noun} on any engine.")
    } else if t.loaded {
        format!("No {noun} on this engine.")
    } else {
        format!("Loading {noun}...")
    };
    let body = Body {
        columns,
        list: &t.list,
        cells,
        heading: None,
        empty: Line::from(Span::styled(empty, theme.muted)),
        link: None,
    };
    table::draw_body(frame, inner, &body, look)
}

/// `2: web, worker`, or `-` for none (what prune would take).
fn users_text(users: &[String]) -> String {
    if users.is_empty() {
        "-".into()
    } else {
        format!("{}: {}", users.len(), users.join(", "))
    }
}

/// A mark for rows prune would remove (idle), used ones plain.
fn mark<'a>(prunable: bool, look: &Look) -> Line<'a> {
    let (sev, style) = if prunable {
        (Severity::Idle, look.theme.muted)
    } else {
        (Severity::Ok, look.theme.ok)
    };
    Line::from(Span::styled(look.symbols.severity(sev), style))
}

fn image_cells<'a>(r: &'a ImageRow, now: DateTime<Utc>, look: &Look) -> Vec<Line<'a>> {
    let name = if r.dangling() {
        Line::from(Span::styled("<none>:<none> (dangling)", look.theme.muted))
    } else {
        Line::from(r.name())
    };
    vec![
        mark(r.prunable(), look),
        name,
        Line::from(r.short_id()),
        Line::from(human_bytes(r.size)),
        Line::from(r.created.map_or_else(|| "-".into(), |c| short_age(c, now))),
        Line::from(users_text(&r.users)),
    ]
}

fn volume_cells<'a>(r: &'a VolumeRow, look: &Look) -> Vec<Line<'a>> {
    vec![
        mark(r.prunable(), look),
        Line::from(r.name.as_str()),
        Line::from(r.driver.as_str()),
        Line::from(r.mountpoint.as_str()),
        Line::from(users_text(&r.users)),
    ]
}

fn network_cells<'a>(r: &'a NetworkRow, look: &Look) -> Vec<Line<'a>> {
    vec![
        mark(r.prunable(), look),
        Line::from(r.name.as_str()),
        Line::from(r.driver.as_str()),
        Line::from(r.scope.as_str()),
        Line::from(users_text(&r.users)),
    ]
}

/// All running: ok; some down: a warning; none running: idle.
fn project_cells<'a>(r: &'a ProjectRow, look: &Look) -> Vec<Line<'a>> {
    let running = r.running();
    let (sev, style) = match running {
        0 => (Severity::Idle, look.theme.muted),
        n if n == r.members.len() => (Severity::Ok, look.theme.ok),
        _ => (Severity::Warning, look.theme.warning),
    };
    vec![
        Line::from(Span::styled(look.symbols.severity(sev), style)),
        Line::from(r.name.as_str()),
        Line::from(Span::styled(
            format!("{running}/{}", r.members.len()),
            style,
        )),
        Line::from(r.services().join(", ")),
        Line::from(r.names.join(", ")),
    ]
}
