//! The Docker pane: containers grouped by compose project, or the log panel
//! of the one the user opened.

use chrono::Utc;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table};

use super::{logs, unavailable};
use crate::core::docker::{Container, Severity, Usage, human_bytes};
use crate::core::docker_pane::DockerPane;
use crate::core::source::SourceHealth;
use crate::core::state::State;
use crate::core::time::short_age;
use crate::ui::Look;

/// How to point opsdeck at an engine, shown while none answers.
const DOCKER_HINT: &str = "opsdeck uses DOCKER_HOST, then [docker] host in config.toml, \
     then unix:///var/run/docker.sock. Is the daemon running?";

pub fn draw(frame: &mut Frame, area: Rect, state: &mut State, look: &Look) {
    if let Some(session) = state.docker.logs.as_mut() {
        logs::draw(frame, area, session, look);
        return;
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
        return;
    };
    let theme = &look.theme;
    let mut title = format!(
        " Docker {} {} containers ",
        look.symbols.separator,
        containers.len()
    );
    if !pane.filter.is_empty() {
        title.push_str(&format!(
            "{} filter \"{}\" ({}) ",
            look.symbols.separator,
            pane.filter,
            pane.order.len()
        ));
    }
    title.push_str(&format!(
        "{} sort: {} ",
        look.symbols.separator,
        pane.sort.label()
    ));
    let border = match &pane.health {
        SourceHealth::Reconnecting { .. } => theme.error,
        _ => theme.border,
    };
    let mut block = Block::default()
        .title(title)
        .borders(Borders::ALL)
        .border_set(look.symbols.border)
        .border_style(border);
    if let SourceHealth::Reconnecting { error, .. } = &pane.health {
        block = block.title_bottom(Span::styled(
            format!(" reconnecting: {error} (showing last known state) "),
            theme.error,
        ));
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if pane.order.is_empty() {
        let text = if pane.filter.is_empty() {
            "No containers on this engine. Start one with `docker run`; it appears here at once."
        } else {
            "No container matches the filter. Esc clears it."
        };
        frame.render_widget(Paragraph::new(Span::styled(text, theme.muted)), inner);
        return;
    }
    draw_table(frame, inner, pane, state.clock, look);
}

fn draw_table(
    frame: &mut Frame,
    area: Rect,
    pane: &DockerPane,
    pane_clock: chrono::DateTime<Utc>,
    look: &Look,
) {
    let theme = &look.theme;
    let wide = area.width >= 130;
    let medium = area.width >= 100;
    let now = pane_clock;
    let mut header = vec!["", "NAME", "STATE"];
    let mut widths = vec![
        Constraint::Length(1),
        Constraint::Fill(3),
        Constraint::Length(20),
    ];
    if medium {
        header.push("IMAGE");
        widths.push(Constraint::Fill(3));
    }
    if wide {
        header.push("PORTS");
        widths.push(Constraint::Fill(2));
    }
    header.extend(["UP", "CPU", "MEM"]);
    widths.extend([
        Constraint::Length(5),
        Constraint::Length(6),
        Constraint::Length(9),
    ]);

    let body_rows = usize::from(area.height.saturating_sub(1));
    let selected = pane.selected.as_deref();
    let mut rows = Vec::with_capacity(body_rows);
    let mut last_group: Option<Option<&str>> = None;
    let mut selected_row = None;
    for id in pane.order.iter().skip(pane.offset) {
        if rows.len() >= body_rows {
            break;
        }
        let Some(c) = pane.container(id) else {
            continue;
        };
        let group = c.project.as_deref();
        if last_group != Some(group) {
            let label = match group {
                Some(p) => format!("{} {p}", look.symbols.group),
                None => format!("{} (standalone)", look.symbols.group),
            };
            rows.push(Row::new(vec![
                Cell::from(""),
                Cell::from(Span::styled(label, theme.header)),
            ]));
            last_group = Some(group);
            if rows.len() >= body_rows {
                break;
            }
        }
        let is_selected = Some(id.as_str()) == selected;
        if is_selected {
            selected_row = Some(rows.len());
        }
        rows.push(container_row(
            c,
            pane.usage.get(id),
            (medium, wide),
            is_selected,
            now,
            look,
        ));
    }
    let mut table_rows = Vec::with_capacity(rows.len());
    for (i, row) in rows.into_iter().enumerate() {
        table_rows.push(if Some(i) == selected_row {
            row.style(theme.selection)
        } else {
            row
        });
    }
    let table = Table::new(table_rows, widths)
        .header(Row::new(header).style(theme.header))
        .column_spacing(1);
    frame.render_widget(table, area);
}

fn container_row<'a>(
    c: &'a Container,
    usage: Option<&Usage>,
    (medium, wide): (bool, bool),
    selected: bool,
    now: chrono::DateTime<Utc>,
    look: &Look,
) -> Row<'a> {
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
        Some(u) if c.is_running() => (format!("{:.1}%", u.cpu_percent), human_bytes(u.mem_bytes)),
        _ => ("-".into(), "-".into()),
    };
    let mut cells = vec![
        Cell::from(Span::styled(look.symbols.severity(severity), style)),
        Cell::from(c.name.as_str()),
        Cell::from(Line::from(Span::styled(c.state_text(), style))),
    ];
    if medium {
        cells.push(Cell::from(c.image.as_str()));
    }
    if wide {
        cells.push(Cell::from(c.ports.as_str()));
    }
    cells.extend([Cell::from(uptime), Cell::from(cpu), Cell::from(mem)]);
    Row::new(cells)
}
