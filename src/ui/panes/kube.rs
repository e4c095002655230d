//! The Kubernetes pane: pods like `kubectl get pods -o wide`, the detail
//! of one pod, or its log. A context matching a danger pattern gets a red
//! frame and says so in words.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::{kube_detail, kube_kind, logs, port_forwards, unavailable};
use crate::core::action::Action;
use crate::core::docker::Severity;
use crate::core::kube::{PodHealth, PodRow};
use crate::core::kube_pane::{KubePane, pod_age};
use crate::core::list::ListId;
use crate::core::source::SourceHealth;
use crate::core::state::State;
use crate::ui::Look;
use crate::ui::widgets::table::{self, Body, Column, MARK, NAME, Props, Width};

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
    let mut text = parts.join(&format!(" {sep} "));
    // The server filters by it: say so, or a short list looks like a bug.
    if let Some(sel) = &pane.scope.selector {
        text.push_str(&format!(" {sep} -l {sel}"));
    }
    text
}

/// kubectl's columns, `-o wide` ones included: on a narrow screen those
/// drop out first, by priority.
fn columns(shape: Shape) -> Vec<Column> {
    let mut columns = vec![Column::new("", Width::Fixed(1), MARK)];
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
        Column::new("NAME", Width::Fill { min: 16, weight: 3 }, NAME),
        Column::new("READY", Width::Fixed(5), 200),
        Column::new("STATUS", Width::Fit { min: 9, max: 26 }, 240),
        Column::new("RESTARTS", Width::Fit { min: 8, max: 14 }, 130),
        Column::new("AGE", Width::Fixed(5), 150),
        // `kubectl top pods`' figures, from the metrics API.
        Column::new("CPU", Width::Fit { min: 5, max: 7 }, 120),
        Column::new("MEM", Width::Fit { min: 5, max: 8 }, 115),
        Column::new("IP", Width::Fit { min: 7, max: 15 }, 40),
        Column::new("NODE", Width::Fill { min: 8, weight: 1 }, 30),
        Column::new("OWNER", Width::Fill { min: 10, weight: 2 }, 50),
    ]);
    columns
}

pub fn draw(
    frame: &mut Frame,
    area: Rect,
    state: &mut State,
    look: &Look,
) -> Option<(ListId, usize)> {
    if let Some(session) = state.kube.logs.as_mut() {
        logs::draw(frame, area, session, look);
        return None;
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
        return None;
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
        return None;
    }
    let mut title = format!("Kubernetes {sep} {}", scope_text(pane, sep));
    if pane.forwards.open {
        let title = format!("{title} {sep} port-forwards");
        return Some(port_forwards::draw(frame, area, state, title, border, look));
    }
    if let Some(view) = &pane.kind {
        match &view.pods_of {
            None => {
                let title = format!("{title} {sep} {}", view.spec.plural);
                let k = kube_kind::draw(frame, area, state, view, title, border, look);
                return Some(k);
            }
            Some((key, owner)) => {
                let word = owner.kind.to_lowercase();
                title = format!("{title} {sep} pods of {word} {}", key.name);
            }
        }
    }
    let count = match pane.kind.as_ref().and_then(|v| v.pods_of.as_ref()) {
        Some(_) => pane.list.len(),
        None => pods.len(),
    };
    let footer = if let SourceHealth::Reconnecting { error, .. } = &state.kube_health {
        let waiting = state.kube_health.waiting_words(state.clock);
        Span::styled(
            format!(
                " {}: {error} (showing last known pods) ",
                waiting.unwrap_or_default()
            ),
            theme.error,
        )
    } else if !pane.all_loaded() {
        Span::styled(" loading... ", theme.muted)
    } else if let Some(words) = pane.metrics.status_words(pane.contexts.len() > 1) {
        Span::styled(format!(" {words} "), theme.warning)
    } else {
        Span::styled(
            table::hints(
                &state.keymap,
                &[
                    (Action::Open, "detail"),
                    (Action::Logs, "logs"),
                    (Action::DeletePod, "delete"),
                    (Action::RolloutRestart, "rollout restart"),
                ],
            ),
            theme.muted,
        )
    };
    let props = Props {
        title,
        title_style: if danger { theme.danger } else { theme.text },
        count: Some(format!("{count} pods")),
        border,
        footer: Some(footer),
        ..Props::default()
    }
    .with_list(&pane.list);
    let inner = table::draw_frame(frame, area, &props, look);
    let empty = if !pane.list.filter().is_empty() {
        "No pod matches the filter. Esc clears it."
    } else if pane.all_loaded() {
        "No pods in this namespace. :ns * shows all namespaces, :ctx NAME another context."
    } else {
        "Loading pods..."
    };
    let shape = Shape {
        many_ctx: pane.contexts.len() > 1,
        many_ns: pane.contexts.values().any(|c| c.info.many_namespaces()),
    };
    let now = state.clock;
    let cells = |key: &_, _selected: bool| Some(pod_cells(pane, pane.pod(key)?, now, shape, look));
    let columns = columns(shape);
    let body = Body {
        columns: &columns,
        list: &pane.list,
        cells: &cells,
        heading: None,
        empty: Line::from(Span::styled(empty, theme.muted)),
        link: None,
    };
    Some((ListId::Pods, table::draw_body(frame, inner, &body, look)))
}

/// Which of the optional columns have anything to say.
#[derive(Clone, Copy)]
struct Shape {
    many_ctx: bool,
    many_ns: bool,
}

fn pod_cells<'a>(
    pane: &KubePane,
    p: &'a PodRow,
    now: DateTime<Utc>,
    shape: Shape,
    look: &Look,
) -> Vec<Line<'a>> {
    let theme = &look.theme;
    let sev = severity(p.health(now));
    let style: Style = match sev {
        Severity::Ok | Severity::Idle => theme.ok,
        Severity::Warning => theme.warning,
        Severity::Broken => theme.error,
    };
    let mut cells = vec![Line::from(Span::styled(look.symbols.severity(sev), style))];
    if shape.many_ctx {
        cells.push(Line::from(&*p.key.context));
    }
    if shape.many_ns {
        cells.push(Line::from(&*p.key.namespace));
    }
    let owner = pane.workload(p).map(|o| o.to_string()).unwrap_or_default();
    let usage = pane.metrics.pods.get(&p.key);
    cells.extend([
        Line::from(&*p.key.name),
        Line::from(p.ready_text()),
        Line::from(Span::styled(p.status.as_str(), style)),
        Line::from(p.restarts_text(now)),
        Line::from(pod_age(p, now)),
        Line::from(pane.metrics.cell(usage, &p.key.context, true)),
        Line::from(pane.metrics.cell(usage, &p.key.context, false)),
        Line::from(p.ip.as_deref().unwrap_or("-")),
        Line::from(p.node.as_deref().unwrap_or("-")),
        Line::from(owner),
    ]);
    cells
}
