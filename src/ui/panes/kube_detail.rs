//! The detail of one pod: status, owner chain, containers with their state,
//! last termination, image and resources, and the pod's recent events.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::core::kube::{ContainerInfo, ContainerState, PodRow};
use crate::core::kube_pane::{KubePane, pod_age};
use crate::core::loadable::Loadable;
use crate::core::state::State;
use crate::core::time::short_age;
use crate::ui::Look;

use super::kube::severity;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, border: Style, look: &Look) {
    let pane = &state.kube;
    let theme = &look.theme;
    let sep = look.symbols.separator;
    let Some(detail) = &pane.detail else {
        return;
    };
    let danger = pane.is_danger(&detail.key.context);
    let mut title = format!(" Pod {} {sep} ctx {} ", detail.key, detail.key.context);
    if danger {
        title.push_str("DANGER ");
    }
    let block = Block::default()
        .title(Span::styled(
            title,
            if danger { theme.danger } else { theme.text },
        ))
        .title_bottom(Span::styled(
            " Esc back  l logs  L all pods  Ctrl-d delete  Ctrl-r restart  + scale ",
            theme.muted,
        ))
        .borders(Borders::ALL)
        .border_set(look.symbols.border)
        .border_style(border);
    let lines = match pane.pod(&detail.key) {
        Some(pod) => pod_lines(pane, pod, state, look),
        None => vec![Line::from(Span::styled(
            "This pod is gone (deleted or replaced). Esc goes back to the list.",
            theme.warning,
        ))],
    };
    let mut lines = lines;
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled("Events", theme.header)));
    match &detail.events {
        Loadable::NotLoaded | Loadable::Loading { stale: None } => {
            lines.push(Line::from(Span::styled("  loading...", theme.muted)))
        }
        Loadable::Failed { error, stale } => {
            lines.push(Line::from(Span::styled(format!("  {error}"), theme.error)));
            lines.extend(event_lines(
                stale.as_deref().unwrap_or_default(),
                state,
                look,
            ));
        }
        Loadable::Loaded(list) | Loadable::Loading { stale: Some(list) } => {
            if list.is_empty() {
                lines.push(Line::from(Span::styled("  no recent events", theme.muted)));
            }
            lines.extend(event_lines(list, state, look));
        }
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        area,
    );
}

fn field<'a>(label: &'a str, value: String, look: &Look) -> Vec<Span<'a>> {
    vec![
        Span::styled(label, look.theme.muted),
        Span::styled(value, look.theme.text),
        Span::raw("   "),
    ]
}

fn pod_lines<'a>(pane: &KubePane, pod: &'a PodRow, state: &State, look: &Look) -> Vec<Line<'a>> {
    let theme = &look.theme;
    let now = state.clock;
    let sev = severity(pod.health(now));
    let style = match sev {
        crate::core::docker::Severity::Broken => theme.error,
        crate::core::docker::Severity::Warning => theme.warning,
        _ => theme.ok,
    };
    let mut first = vec![
        Span::styled("Status ", theme.muted),
        Span::styled(
            format!("{} {}", look.symbols.severity(sev), pod.status),
            style,
        ),
        Span::raw("   "),
    ];
    first.extend(field("Ready ", pod.ready_text(), look));
    first.extend(field("Restarts ", pod.restarts_text(now), look));
    first.extend(field("Age ", pod_age(pod, now), look));
    let mut second = field(
        "Node ",
        pod.node.clone().unwrap_or_else(|| "-".into()),
        look,
    );
    second.extend(field(
        "IP ",
        pod.ip.clone().unwrap_or_else(|| "-".into()),
        look,
    ));
    second.extend(field("Phase ", pod.phase.clone(), look));
    let mut owner = vec![Span::styled("Owner ", theme.muted)];
    match &pod.owner {
        None => owner.push(Span::styled("none (a bare pod)", theme.text)),
        Some(direct) => {
            owner.push(Span::styled(direct.to_string(), theme.text));
            if let Some(top) = pane.workload(pod).filter(|w| w != direct) {
                owner.push(Span::styled(format!(" {} ", "->"), theme.muted));
                owner.push(Span::styled(top.to_string(), theme.accent));
            }
        }
    }
    let mut lines = vec![
        Line::from(first),
        Line::from(second),
        Line::from(owner),
        Line::from(""),
        Line::from(Span::styled("Containers", theme.header)),
    ];
    for c in &pod.containers {
        lines.extend(container_lines(c, state, look));
    }
    lines
}

fn container_lines<'a>(c: &'a ContainerInfo, state: &State, look: &Look) -> Vec<Line<'a>> {
    let theme = &look.theme;
    let now = state.clock;
    let (word, style) = match &c.state {
        ContainerState::Running { since } => {
            let age = since
                .map(|s| format!(" for {}", short_age(s, now)))
                .unwrap_or_default();
            let style = if c.ready { theme.ok } else { theme.warning };
            (format!("Running{age}"), style)
        }
        ContainerState::Waiting { reason, .. } => (
            if reason.is_empty() {
                "Waiting".into()
            } else {
                reason.clone()
            },
            theme.error,
        ),
        ContainerState::Terminated(t) => {
            let style = if t.exit_code == 0 {
                theme.muted
            } else {
                theme.error
            };
            (format!("{} (exit {})", c.state.word(), t.exit_code), style)
        }
        ContainerState::Unknown => ("Unknown".into(), theme.warning),
    };
    let kind = if c.init { " (init)" } else { "" };
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("  {}{kind} ", c.name), theme.accent),
        Span::styled(word, style),
        Span::styled(
            format!("   ready {}   restarts {}", c.ready, c.restarts),
            theme.text,
        ),
    ])];
    lines.push(Line::from(vec![
        Span::styled("    image ", theme.muted),
        Span::styled(c.image.as_str(), theme.text),
    ]));
    if let ContainerState::Waiting { message, .. } = &c.state
        && !message.is_empty()
    {
        lines.push(Line::from(vec![
            Span::styled("    message ", theme.muted),
            Span::styled(message.as_str(), theme.warning),
        ]));
    }
    if let Some(t) = &c.last_termination {
        let when = t
            .finished_at
            .map(|f| format!(", {} ago", short_age(f, now)))
            .unwrap_or_default();
        let reason = if t.reason.is_empty() {
            "Terminated"
        } else {
            &t.reason
        };
        lines.push(Line::from(vec![
            Span::styled("    last terminated ", theme.muted),
            Span::styled(
                format!("{reason} (exit {}){when}", t.exit_code),
                theme.error,
            ),
        ]));
    }
    if !c.requests.is_empty() || !c.limits.is_empty() {
        let show = |s: &str| {
            if s.is_empty() {
                "-".to_string()
            } else {
                s.to_string()
            }
        };
        lines.push(Line::from(vec![
            Span::styled("    requests ", theme.muted),
            Span::styled(show(&c.requests), theme.text),
            Span::styled("   limits ", theme.muted),
            Span::styled(show(&c.limits), theme.text),
        ]));
    }
    lines
}

fn event_lines<'a>(
    events: &'a [crate::core::kube::PodEvent],
    state: &State,
    look: &Look,
) -> Vec<Line<'a>> {
    let theme = &look.theme;
    // Newest first: the most recent is what matters in an incident.
    events
        .iter()
        .rev()
        .map(|e| {
            let style = if e.kind == "Warning" {
                theme.warning
            } else {
                theme.text
            };
            let when = e
                .last_seen
                .map(|t| short_age(t, state.clock))
                .unwrap_or_else(|| "?".into());
            let count = if e.count > 1 {
                format!(" x{}", e.count)
            } else {
                String::new()
            };
            Line::from(vec![
                Span::styled(format!("  {when:>4} "), theme.muted),
                Span::styled(format!("{:<7} ", e.kind), style),
                Span::styled(format!("{}{count} ", e.reason), theme.accent),
                Span::styled(e.message.as_str(), theme.text),
            ])
        })
        .collect()
}
