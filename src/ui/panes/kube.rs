//! The Kubernetes pane: pods like `kubectl get pods -o wide`, the detail
//! of one pod, or its log. A context matching a danger pattern gets a red
//! frame and says so in words.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table};

use super::{kube_detail, logs, unavailable};
use crate::core::docker::Severity;
use crate::core::kube::{PodHealth, PodRow};
use crate::core::kube_pane::{KubePane, pod_age};
use crate::core::source::SourceHealth;
use crate::core::state::State;
use crate::ui::Look;

const KUBE_HINT: &str = "opsdeck reads KUBECONFIG, then ~/.kube/config, like kubectl; \
     :ctx NAME switches context, :ns NAME (or :ns *) the namespace.";

pub fn severity(h: PodHealth) -> Severity {
    match h {
        PodHealth::Healthy => Severity::Ok,
        PodHealth::Warning => Severity::Warning,
        PodHealth::Broken => Severity::Broken,
    }
}

/// True when any watched context is a dangerous one.
pub fn danger(pane: &KubePane) -> bool {
    pane.contexts.values().any(|c| c.info.danger)
}

fn scope_text(pane: &KubePane, sep: &str) -> String {
    let mut parts = Vec::new();
    for c in pane.contexts.values() {
        let mark = if c.info.danger { " DANGER" } else { "" };
        parts.push(format!(
            "ctx {}{mark} {sep} ns {}",
            c.info.name, c.info.namespace
        ));
    }
    parts.join(&format!(" {sep} "))
}

pub fn draw(frame: &mut Frame, area: Rect, state: &mut State, look: &Look) {
    if let Some(session) = state.kube.logs.as_mut() {
        logs::draw(frame, area, session, look);
        return;
    }
    let pane = &state.kube;
    let Some(pods) = pane.pods.data() else {
        unavailable::draw(
            frame,
            area,
            "Kubernetes",
            &state.kube_health,
            KUBE_HINT,
            state.clock,
            look,
        );
        return;
    };
    let theme = &look.theme;
    let sep = look.symbols.separator;
    let danger = danger(pane);
    let border = if danger {
        theme.danger
    } else {
        match &state.kube_health {
            SourceHealth::Reconnecting { .. } => theme.error,
            _ => theme.border,
        }
    };
    if pane.detail.is_some() {
        kube_detail::draw(frame, area, state, border, look);
        return;
    }
    let mut title = format!(
        " Kubernetes {sep} {} {sep} {} pods ",
        scope_text(pane, sep),
        pods.len()
    );
    if !pane.filter.is_empty() {
        title.push_str(&format!(
            "{sep} filter \"{}\" ({}) ",
            pane.filter,
            pane.order.len()
        ));
    }
    title.push_str(&format!("{sep} sort: {} ", pane.sort.label()));
    let mut block = Block::default()
        .title(Span::styled(
            title,
            if danger { theme.danger } else { theme.text },
        ))
        .borders(Borders::ALL)
        .border_set(look.symbols.border)
        .border_style(border);
    if let SourceHealth::Reconnecting { error, .. } = &state.kube_health {
        let waiting = state.kube_health.waiting_words(state.clock);
        block = block.title_bottom(Span::styled(
            format!(
                " {}: {error} (showing last known pods) ",
                waiting.unwrap_or_default()
            ),
            theme.error,
        ));
    } else if !pane.all_loaded() {
        block = block.title_bottom(Span::styled(" loading... ", theme.muted));
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if pane.order.is_empty() {
        let text = if !pane.filter.is_empty() {
            "No pod matches the filter. Esc clears it."
        } else if pane.all_loaded() {
            "No pods in this namespace. :ns * shows all namespaces, :ctx NAME another context."
        } else {
            "Loading pods..."
        };
        frame.render_widget(Paragraph::new(Span::styled(text, theme.muted)), inner);
        return;
    }
    draw_table(frame, inner, pane, state.clock, look);
}

fn draw_table(frame: &mut Frame, area: Rect, pane: &KubePane, now: DateTime<Utc>, look: &Look) {
    let theme = &look.theme;
    let wide = area.width >= 130;
    let many_ns = pane.contexts.values().any(|c| c.info.namespace == "*");
    let many_ctx = pane.contexts.len() > 1;
    let mut header = vec![""];
    let mut widths = vec![Constraint::Length(1)];
    if many_ctx {
        header.push("CONTEXT");
        widths.push(Constraint::Length(14));
    }
    if many_ns {
        header.push("NAMESPACE");
        widths.push(Constraint::Length(if wide { 16 } else { 10 }));
    }
    header.extend(["NAME", "READY", "STATUS", "RESTARTS", "AGE"]);
    widths.extend([
        Constraint::Fill(3),
        Constraint::Length(5),
        Constraint::Length(if wide { 26 } else { 17 }),
        Constraint::Length(if wide { 14 } else { 12 }),
        Constraint::Length(5),
    ]);
    if wide {
        header.extend(["IP", "NODE", "OWNER"]);
        widths.extend([
            Constraint::Length(15),
            Constraint::Fill(1),
            Constraint::Fill(2),
        ]);
    }
    let body_rows = usize::from(area.height.saturating_sub(1));
    let rows: Vec<Row> = pane
        .order
        .iter()
        .skip(pane.offset)
        .take(body_rows)
        .filter_map(|key| {
            let p = pane.pod(key)?;
            let row = pod_row(pane, p, now, many_ctx, many_ns, wide, look);
            Some(if pane.selected.as_ref() == Some(key) {
                row.style(theme.selection)
            } else {
                row
            })
        })
        .collect();
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme.header))
        .column_spacing(1);
    frame.render_widget(table, area);
}

fn pod_row<'a>(
    pane: &KubePane,
    p: &'a PodRow,
    now: DateTime<Utc>,
    many_ctx: bool,
    many_ns: bool,
    wide: bool,
    look: &Look,
) -> Row<'a> {
    let theme = &look.theme;
    let sev = severity(p.health(now));
    let style: Style = match sev {
        Severity::Ok | Severity::Idle => theme.ok,
        Severity::Warning => theme.warning,
        Severity::Broken => theme.error,
    };
    let mut cells = vec![Cell::from(Span::styled(look.symbols.severity(sev), style))];
    if many_ctx {
        cells.push(Cell::from(&*p.key.context));
    }
    if many_ns {
        cells.push(Cell::from(&*p.key.namespace));
    }
    cells.extend([
        Cell::from(&*p.key.name),
        Cell::from(p.ready_text()),
        Cell::from(Line::from(Span::styled(p.status.as_str(), style))),
        Cell::from(p.restarts_text(now)),
        Cell::from(pod_age(p, now)),
    ]);
    if wide {
        let owner = pane.workload(p).map(|o| o.to_string()).unwrap_or_default();
        cells.extend([
            Cell::from(p.ip.as_deref().unwrap_or("-")),
            Cell::from(p.node.as_deref().unwrap_or("-")),
            Cell::from(owner),
        ]);
    }
    Row::new(cells)
}
