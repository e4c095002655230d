//! `:pf`: the port-forwards of the session, and the `F` dialog that
//! offers a target's ports.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::core::action::Action;
use crate::core::docker::{Severity, human_bytes};
use crate::core::list::ListId;
use crate::core::port_forwards::{ForwardRow, ForwardState, PortPick};
use crate::core::port_specs;
use crate::core::state::State;
use crate::core::time::kube_age;
use crate::ui::widgets::table::{self, Body, Column, MARK, NAME, Props, Width};
use crate::ui::{Look, centered};

fn columns(many_ctx: bool) -> Vec<Column> {
    let mut columns = vec![Column::new("", Width::Fixed(1), MARK)];
    if many_ctx {
        columns.push(Column::new("CONTEXT", Width::Fit { min: 8, max: 20 }, 120));
    }
    columns.extend([
        Column::new("TARGET", Width::Fit { min: 14, max: 48 }, NAME),
        Column::new("POD", Width::Fit { min: 8, max: 40 }, 110),
        Column::new("LOCAL", Width::Fit { min: 15, max: 21 }, 250),
        Column::new("REMOTE", Width::Fixed(6), 240),
        Column::new("CONN", Width::Fixed(4), 235),
        Column::new("IN", Width::Fit { min: 6, max: 9 }, 150),
        Column::new("OUT", Width::Fit { min: 6, max: 9 }, 140),
        Column::new("STATE", Width::Fill { min: 12, weight: 3 }, 230),
        Column::new("AGE", Width::Fixed(5), 130),
    ]);
    columns
}

pub fn draw(
    frame: &mut Frame,
    area: Rect,
    state: &State,
    title: String,
    border: Style,
    look: &Look,
) -> (ListId, usize) {
    let theme = &look.theme;
    let pf = &state.kube.forwards;
    let footer = table::hints(
        &state.keymap,
        &[(Action::StopForward, "stop"), (Action::Back, "back")],
    );
    let mut props = Props {
        title,
        count: Some(format!("{} active of {}", pf.active(), pf.rows.len())),
        border,
        footer: Some(Span::styled(footer, theme.muted)),
        ..Props::default()
    }
    .with_list(&pf.list);
    props.sort = Some(pf.list.sort_label());
    let inner = table::draw_frame(frame, area, &props, look);
    let empty = if pf.list.filter().is_empty() {
        "No port-forwards. F on a pod or a Service (:svc) starts one."
    } else {
        "No port-forward matches the filter. Esc clears it."
    };
    let many_ctx = state.kube.contexts.len() > 1;
    let now = state.clock;
    let cells = |id: &_, _selected: bool| Some(cells(pf.rows.get(id)?, now, many_ctx, look));
    let columns = columns(many_ctx);
    let body = Body {
        columns: &columns,
        list: &pf.list,
        cells: &cells,
        heading: None,
        empty: Line::from(Span::styled(empty, theme.muted)),
        link: None,
    };
    (
        ListId::PortForwards,
        table::draw_body(frame, inner, &body, look),
    )
}

fn cells<'a>(
    row: &'a ForwardRow,
    now: DateTime<Utc>,
    many_ctx: bool,
    look: &Look,
) -> Vec<Line<'a>> {
    let theme = &look.theme;
    let (severity, words, style) = match (&row.state, &row.last_error) {
        (ForwardState::Ended(why), _) => (Severity::Idle, why.clone(), theme.muted),
        (ForwardState::Listening, Some(e)) => (Severity::Warning, e.clone(), theme.warning),
        (ForwardState::Listening, None) => (Severity::Ok, "listening".to_string(), theme.ok),
    };
    let mut out = vec![Line::from(Span::styled(
        look.symbols.severity(severity),
        style,
    ))];
    if many_ctx {
        out.push(Line::from(row.target.context.as_str()));
    }
    out.extend([
        Line::from(row.target.label()),
        Line::from(row.pod.as_str()),
        Line::from(row.local.as_str()),
        Line::from(row.remote.to_string()),
        Line::from(row.open.to_string()),
        Line::from(human_bytes(row.bytes_in)),
        Line::from(human_bytes(row.bytes_out)),
        Line::from(Span::styled(words, style)),
        Line::from(kube_age(row.started, now)),
    ]);
    out
}

/// The `F` dialog: the target's ports, and what is typed (the input
/// line below shows it too).
pub fn draw_pick(frame: &mut Frame, body: Rect, pick: &PortPick, typed: &str, look: &Look) {
    let theme = &look.theme;
    let mut lines = vec![
        Line::from(vec![
            Span::styled("Forward ports of ", theme.text),
            Span::styled(pick.target.label(), theme.accent),
            Span::styled(format!(" (context {})", pick.target.context), theme.muted),
        ]),
        Line::from(""),
    ];
    let declared: Vec<u16> = match &pick.ports {
        Some(Ok(ports)) => ports.iter().map(|p| p.port).collect(),
        _ => Vec::new(),
    };
    let chosen = port_specs::chosen(typed, &declared);
    match &pick.ports {
        None => lines.push(Line::from(Span::styled(
            "reading its ports...",
            theme.muted,
        ))),
        Some(Err(e)) => lines.push(Line::from(Span::styled(e.clone(), theme.error))),
        Some(Ok(ports)) if ports.is_empty() => lines.push(Line::from(Span::styled(
            "it declares no TCP port; type the one to forward",
            theme.muted,
        ))),
        Some(Ok(ports)) => {
            for p in ports {
                let on = chosen.contains(&p.port);
                let marker = match (on, look.ascii) {
                    (false, _) => "  ",
                    (true, false) => "▶ ",
                    (true, true) => "> ",
                };
                let style = if on { theme.accent } else { theme.text };
                lines.push(Line::from(vec![
                    Span::styled(marker, theme.accent),
                    Span::styled(format!("{:>5}/{:<4}", p.port, p.protocol), style),
                    Span::styled(format!("{:<12}", p.name), style),
                    Span::styled(p.note.clone(), theme.muted),
                ]));
            }
        }
    }
    lines.push(Line::from(""));
    lines.push(Line::from(vec![
        Span::styled("ports: ", theme.text),
        Span::styled(format!("{typed}_"), theme.accent),
    ]));
    lines.push(Line::from(Span::styled(
        "REMOTE or LOCAL:REMOTE, several with spaces (8080:80 9090), all: every port",
        theme.muted,
    )));
    lines.push(Line::from(Span::styled(
        "no LOCAL (or 0) takes a free port on 127.0.0.1; one row in :pf per port",
        theme.muted,
    )));
    lines.push(Line::from(vec![
        Span::styled("Tab", theme.accent),
        Span::styled(" next port, then all  ", theme.text),
        Span::styled("Enter", theme.accent),
        Span::styled(" forward (asks)  ", theme.text),
        Span::styled("Esc", theme.accent),
        Span::styled(" cancel", theme.text),
    ]));
    let widest = lines.iter().map(Line::width).max().unwrap_or(0) as u16;
    let width = (widest + 4).clamp(48, body.width.saturating_sub(2).max(1));
    let height = (lines.len() as u16 + 2).min(body.height.max(1));
    let area = centered(body, width, height);
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::default()
                .title(" Port-forward ")
                .borders(Borders::ALL)
                .border_set(look.symbols.border)
                .border_style(theme.accent),
        ),
        area,
    );
}
