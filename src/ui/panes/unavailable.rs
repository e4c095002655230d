//! What a pane shows when its source is off or unreachable: plain words and
//! how to fix it, never an empty frame.

use chrono::{DateTime, Utc};
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
    now: DateTime<Utc>,
    look: &Look,
) {
    let theme = &look.theme;
    let lines = message(title, health, hint, now)
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
pub fn message(title: &str, health: &SourceHealth, hint: &str, now: DateTime<Utc>) -> Vec<String> {
    match health {
        SourceHealth::Disabled { how_to_enable } => vec![
            format!("{title} is not configured."),
            String::new(),
            format!("To enable it: {how_to_enable}."),
            "Or try everything with simulated sources: opsdeck --demo".into(),
        ],
        SourceHealth::Unusable { detail, .. } => vec![
            format!("{title} cannot be seen."),
            String::new(),
            capitalised(detail),
            "Nothing is retried until it is fixed; the rest of opsdeck keeps working.".into(),
        ],
        SourceHealth::Connecting { target } => {
            vec![format!("Connecting to {title} at {target}...")]
        }
        SourceHealth::Reconnecting { target, error, .. } => vec![
            format!("{title} is unreachable at {target}."),
            String::new(),
            format!("Error: {error}"),
            format!(
                "{}; the rest of opsdeck keeps working.",
                capitalised(&health.waiting_words(now).unwrap_or_default())
            ),
            String::new(),
            hint.to_string(),
        ],
        SourceHealth::Connected { target, .. } => vec![format!("Connected to {target}.")],
    }
}

/// The shared wording starts lower case (it sits mid-line in the status
/// bar); here it starts a sentence.
fn capitalised(words: &str) -> String {
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
