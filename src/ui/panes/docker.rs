//! The Docker pane: containers grouped by compose project, or the log panel
//! of the one the user opened.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::{logs, unavailable};
use crate::core::action::Action;
use crate::core::docker::{Container, Severity, Usage};
use crate::core::list::ListId;
use crate::core::source::SourceHealth;
use crate::core::state::State;
use crate::core::time::short_age;
use crate::ui::Look;
use crate::ui::widgets::table::{self, Body, Column, MARK, NAME, Props, Width};

/// How to point opsdeck at an engine, shown while none answers.
const DOCKER_HINT: &str = "opsdeck uses DOCKER_HOST, then DOCKER_CONTEXT, then [docker] host \
     in config.toml, then the current docker context, then unix:///var/run/docker.sock. Is the \
     daemon running?";

/// The columns; ENGINE (after NAME) only when rows come from several engines.
fn columns(many_engines: bool) -> Vec<Column> {
    let mut columns = vec![
        Column::new("", Width::Fixed(1), MARK),
        Column::new("NAME", Width::Fill { min: 16, weight: 3 }, NAME),
        Column::new("STATE", Width::Fit { min: 8, max: 20 }, 240),
        Column::new("IMAGE", Width::Fill { min: 24, weight: 3 }, 60),
        Column::new("PORTS", Width::Fill { min: 10, weight: 2 }, 50),
        Column::new("UP", Width::Fixed(5), 120),
        Column::new("CPU", Width::Fixed(6), 110),
        Column::new("MEM", Width::Fixed(9), 100),
    ];
    if many_engines {
        // Kept longer than the image: on a narrow screen whose a row is
        // matters more than what it runs.
        columns.insert(
            2,
            Column::new("ENGINE", Width::Fit { min: 6, max: 16 }, 200),
        );
    }
    columns
}

pub fn draw(
    frame: &mut Frame,
    area: Rect,
    state: &mut State,
    look: &Look,
) -> Option<(ListId, usize)> {
    if let Some(session) = state.docker.logs.as_mut() {
        logs::draw(frame, area, session, look);
        return None;
    }
    let pane = &state.docker;
    let Some(containers) = pane.containers.data() else {
        unavailable::draw(
            frame,
            area,
            "Docker",
            &pane.health,
            DOCKER_HINT,
            state.clock,
            look,
        );
        return None;
    };
    let theme = &look.theme;
    if let Some(view) = &pane.objects {
        let border = match &pane.health {
            SourceHealth::Reconnecting { .. } => theme.error,
            _ => theme.border,
        };
        return Some(super::docker_objects::draw(
            frame, area, state, view, border, look,
        ));
    }
    let (border, footer) = match &pane.health {
        SourceHealth::Reconnecting { error, .. } => (
            theme.error,
            Span::styled(
                format!(" reconnecting: {error} (showing last known state) "),
                theme.error,
            ),
        ),
        _ => (
            theme.border,
            Span::styled(
                table::hints(
                    &state.keymap,
                    &[
                        (Action::Logs, "logs"),
                        (Action::Restart, "restart"),
                        (Action::Stop, "stop"),
                        (Action::Start, "start"),
                    ],
                ),
                theme.muted,
            ),
        ),
    };
    let props = Props {
        title: "Docker".into(),
        count: Some(format!("{} containers", containers.len())),
        border,
        footer: Some(footer),
        ..Props::default()
    }
    .with_list(&pane.list);
    let inner = table::draw_frame(frame, area, &props, look);
    let empty = if pane.list.filter().is_empty() {
        "No containers on this engine. Start one with `docker run`; it appears here at once."
    } else {
        "No container matches the filter. Esc clears it."
    };
    let now = state.clock;
    let many = pane.many_engines();
    let cells = |id: &String, selected: bool| {
        let c = pane.container(id)?;
        let mut cells = container_cells(c, pane.usage.get(id), selected, now, look);
        if many {
            // An engine that is down says so on each of its (stale) rows.
            let up = pane
                .engines
                .get(&c.engine)
                .is_some_and(SourceHealth::is_connected);
            let style = if up || selected {
                Style::default()
            } else {
                theme.error
            };
            cells.insert(2, Line::from(Span::styled(c.engine.as_str(), style)));
        }
        Some(cells)
    };
    let heading = |id: &String| {
        let label = match pane.container(id).and_then(|c| c.project.as_deref()) {
            Some(p) => format!("  {} {p}", look.symbols.group),
            None => format!("  {} (standalone)", look.symbols.group),
        };
        Line::from(Span::styled(label, theme.header))
    };
    let columns = columns(many);
    let body = Body {
        columns: &columns,
        list: &pane.list,
        cells: &cells,
        heading: Some(&heading),
        empty: Line::from(Span::styled(empty, theme.muted)),
        link: None,
    };
    let rows = table::draw_body(frame, inner, &body, look);
    Some((ListId::Containers, rows))
}

fn container_cells<'a>(
    c: &'a Container,
    usage: Option<&Usage>,
    selected: bool,
    now: DateTime<Utc>,
    look: &Look,
) -> Vec<Line<'a>> {
    let theme = &look.theme;
    let severity = c.severity();
    // On the selected row the selection colours win: a red or green word on
    // the highlight is hard to read, and the symbol still tells the state.
    let style: Style = match severity {
        _ if selected => Style::default(),
        Severity::Ok => theme.ok,
        Severity::Idle => theme.muted,
        Severity::Warning => theme.warning,
        Severity::Broken => theme.error,
    };
    let uptime = match (c.is_running(), c.started_at) {
        (true, Some(t)) => short_age(t, now),
        _ => "-".into(),
    };
    let (cpu, mem) = match usage {
        Some(u) if c.is_running() => u.cells(),
        _ => ("-".into(), "-".into()),
    };
    vec![
        Line::from(Span::styled(look.symbols.severity(severity), style)),
        Line::from(c.name.as_str()),
        Line::from(Span::styled(c.state_text(), style)),
        Line::from(c.image.as_str()),
        Line::from(c.ports.as_str()),
        Line::from(uptime),
        Line::from(cpu),
        Line::from(mem),
    ]
}
