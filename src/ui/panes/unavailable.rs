//! What a pane shows when its source is off or unreachable: plain words and
//! how to fix it, never an empty frame.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::core::source::SourceHealth;
use crate::ui::Look;

pub fn draw(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    health: &SourceHealth,
    hint: &str,
    look: &Look,
) {
    let theme = &look.theme;
    let lines = message(title, health, hint)
        .into_iter()
        .enumerate()
        .map(|(i, text)| {
            let style = if i == 0 { theme.header } else { theme.text };
            Line::from(Span::styled(text, style))
        })
        .collect::<Vec<_>>();
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::default()
                .title(format!(" {title} "))
                .borders(Borders::ALL)
                .border_set(look.symbols.border)
                .border_style(theme.border),
        ),
        area,
    );
}

/// The words for each state, separate from drawing so tests can check them.
pub fn message(title: &str, health: &SourceHealth, hint: &str) -> Vec<String> {
    match health {
        SourceHealth::Disabled { how_to_enable } => vec![
            format!("{title} is not configured."),
            String::new(),
            format!("To enable it: {how_to_enable}."),
            "Or try everything with simulated sources: opsdeck --demo".into(),
        ],
        SourceHealth::Connecting { target } => {
            vec![format!("Connecting to {title} at {target}...")]
        }
        SourceHealth::Reconnecting {
            target,
            error,
            retry_in_secs,
        } => vec![
            format!("{title} is unreachable at {target}."),
            String::new(),
            format!("Error: {error}"),
            format!("Retrying in {retry_in_secs}s; the rest of opsdeck keeps working."),
            String::new(),
            hint.to_string(),
        ],
        SourceHealth::Connected { target, .. } => vec![format!("Connected to {target}.")],
    }
}
