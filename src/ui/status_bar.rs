//! One line: each source's connection state (with its last error), the
//! key for help. Colour is never the only signal: the words say it too.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::Look;
use crate::core::action::Action;
use crate::core::source::{SourceHealth, SourceKind};
use crate::core::state::State;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, look: &Look) {
    let theme = &look.theme;
    let mut spans = Vec::new();
    let sources = [
        (SourceKind::GitHub, &state.github_health),
        (SourceKind::Kubernetes, &state.kube_health),
        (SourceKind::Docker, &state.docker.health),
    ];
    for (kind, health) in sources {
        let (text, style) = match health {
            SourceHealth::Disabled { .. } => (format!("{}: off", kind.label()), theme.muted),
            SourceHealth::Connecting { .. } => {
                (format!("{}: connecting", kind.label()), theme.warning)
            }
            SourceHealth::Connected { .. } => (format!("{}: ok", kind.label()), theme.ok),
            SourceHealth::Reconnecting {
                error,
                retry_in_secs,
                ..
            } => (
                format!(
                    "{}: reconnecting in {retry_in_secs}s ({error})",
                    kind.label()
                ),
                theme.error,
            ),
        };
        spans.push(Span::styled(format!(" {text} "), style));
        spans.push(Span::styled(look.symbols.separator, theme.border));
    }
    if let Some(input) = &state.input {
        let label = match input.purpose {
            crate::core::state::InputPurpose::Filter => "filter",
            crate::core::state::InputPurpose::LogSearch => "search",
        };
        spans.push(Span::styled(
            format!(" {label}: {}_ ", input.text),
            theme.accent,
        ));
    } else {
        spans.push(Span::styled(
            format!(" {} help ", state.keymap.key_for(Action::Help)),
            theme.muted,
        ));
    }
    frame.render_widget(Line::from(spans), area);
}
