use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

use super::Look;
use crate::core::state::{State, Tab};

pub fn draw(frame: &mut Frame, area: Rect, state: &State, look: &Look) {
    let theme = &look.theme;
    let mut spans = vec![Span::styled(" opsdeck ", theme.accent)];
    for (i, tab) in Tab::ALL.iter().enumerate() {
        let label = format!(" {} {} ", i + 1, tab.title());
        let style = if *tab == state.tab {
            theme.selection.add_modifier(Modifier::BOLD)
        } else {
            theme.muted
        };
        spans.push(Span::styled(label, style));
    }
    if state.settings.readonly {
        spans.push(Span::styled(
            " READONLY ",
            theme.warning.add_modifier(Modifier::REVERSED),
        ));
    }
    frame.render_widget(Line::from(spans), area);
}
