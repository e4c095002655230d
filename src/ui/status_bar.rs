//! One line: each source's connection state (with its last error) on the
//! left, the help key (or the text being typed) on the right. Colour is never
//! the only signal: the words say it too.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};

use super::Look;
use crate::core::action::Action;
use crate::core::source::{SourceHealth, SourceKind};
use crate::core::state::{InputPurpose, State};

pub fn draw(frame: &mut Frame, area: Rect, state: &State, look: &Look) {
    let theme = &look.theme;
    let right = match &state.input {
        Some(input) => {
            let label = match input.purpose {
                InputPurpose::Filter => "filter".to_string(),
                InputPurpose::LogSearch => "search".to_string(),
                InputPurpose::LogFilter => "filter lines (-C N, !not)".to_string(),
                InputPurpose::Replicas => match &state.kube.scale {
                    Some(t) => format!("replicas of {} (Enter, Esc cancels)", t.owner.name),
                    None => "replicas".to_string(),
                },
                InputPurpose::DispatchBranch => "dispatch on branch".to_string(),
                InputPurpose::ShellContainer => match &state.kube.shell_pick {
                    Some(p) => format!("shell container ({}, Tab)", p.containers.join("|")),
                    None => "container".to_string(),
                },
                InputPurpose::ForwardPorts => "ports (Tab)".to_string(),
            };
            Span::styled(format!(" {label}: {}_ ", input.text), theme.accent)
        }
        None => Span::styled(
            format!(" {} help ", state.keymap.key_for(Action::Help)),
            theme.muted,
        ),
    };
    let right_width = (right.width() as u16).min(area.width / 2);
    let [left_area, right_area] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(right_width)]).areas(area);

    let mut spans = Vec::new();
    let sources = [
        (SourceKind::GitHub, &state.github_health),
        (SourceKind::Kubernetes, &state.kube_health),
        (SourceKind::Docker, &state.docker.health),
    ];
    for (i, (kind, health)) in sources.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(look.symbols.separator, theme.border));
        }
        let (text, style) = match health {
            SourceHealth::Disabled { .. } => (format!("{}: off", kind.label()), theme.muted),
            SourceHealth::Unusable { short, .. } => {
                (format!("{}: {short}", kind.label()), theme.error)
            }
            SourceHealth::Connecting { .. } => {
                (format!("{}: connecting", kind.label()), theme.warning)
            }
            SourceHealth::Connected { .. } if kind == SourceKind::GitHub => {
                // The API budget left: what decides whether polling can go on.
                let rate = state.github.rate;
                let low = rate.is_some_and(|r| r.is_low());
                let mut text = match rate {
                    // Polling slows down from here: say until when.
                    Some(rate) if low => format!(
                        "GitHub: budget low {}/{}, resets {}",
                        rate.remaining,
                        rate.limit,
                        rate.reset_words(state.clock, state.settings.utc_offset)
                    ),
                    Some(rate) => format!("GitHub: ok {}/{}", rate.remaining, rate.limit),
                    None => "GitHub: ok".to_string(),
                };
                // The connection is fine but not every repository answers:
                // "ok" alone would hide it.
                match state.github.repo_errors.len() {
                    0 if low => (text, theme.warning),
                    0 => (text, theme.ok),
                    n => {
                        let s = if n == 1 { "" } else { "s" };
                        text.push_str(&format!(", {n} repo{s} failing"));
                        (text, theme.warning)
                    }
                }
            }
            SourceHealth::Connected { .. } => (format!("{}: ok", kind.label()), theme.ok),
            SourceHealth::Reconnecting { error, .. } => (
                format!(
                    "{}: {}: {error}",
                    kind.label(),
                    health.waiting_words(state.clock).unwrap_or_default()
                ),
                theme.error,
            ),
        };
        spans.push(Span::styled(format!(" {text} "), style));
    }
    let dangerous: Vec<&str> = state
        .kube
        .contexts
        .values()
        .filter(|c| c.info.danger)
        .map(|c| c.info.name.as_str())
        .collect();
    if !dangerous.is_empty() {
        spans.push(Span::styled(
            format!(" {} DANGER ", dangerous.join(",")),
            theme
                .danger
                .add_modifier(ratatui::style::Modifier::REVERSED),
        ));
    }
    frame.render_widget(Line::from(spans), left_area);
    frame.render_widget(Line::from(right), right_area);
}
