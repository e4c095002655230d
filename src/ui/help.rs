//! The help overlay, generated from the live key map (with the user's
//! overrides), so it can never drift from what the keys do.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::{Look, centered};
use crate::core::action::{Action, Scope};
use crate::core::key::{KeyEvent, KeyModifiers};
use crate::core::keymap::{KeyMap, KeySpec};

/// Columns grow up to this when the screen has room, so descriptions fit.
const MAX_COLUMN_WIDTH: u16 = 52;
/// Below this a column cannot give the keys 14 cells and still read.
const COMFORTABLE_WIDTH: u16 = 38;
/// The keys' column; narrow, just room for `PgUp Ctrl-b` and a space.
const KEY_WIDTH: usize = 14;
const NARROW_KEY_WIDTH: usize = 12;

/// Shows the keys of where the user is: in a list, the list keys and the
/// current tab's own (`tab_scope`); in a log, the log viewer's. Showing
/// every scope at once would no longer fit 80x24 as tabs gain actions.
pub fn draw(
    frame: &mut Frame,
    body: Rect,
    keymap: &KeyMap,
    tab_scope: Option<Scope>,
    in_log: bool,
    github_notes: &[String],
    look: &Look,
) {
    let theme = &look.theme;
    // In a log: its own keys, the list's moves (they scroll it), and the
    // tab's actions, which act on the log's container, pod or run.
    let sections: Vec<(String, Scope, bool)> = if in_log {
        let mut v = vec![
            (Scope::Global.title().to_string(), Scope::Global, false),
            ("Moving".to_string(), Scope::List, true),
            (Scope::Logs.title().to_string(), Scope::Logs, false),
        ];
        if let Some(tab) = tab_scope {
            v.push((format!("{}, on this log", tab.title()), tab, false));
        }
        v
    } else {
        [Some(Scope::Global), Some(Scope::List), tab_scope]
            .into_iter()
            .flatten()
            .map(|s| (s.title().to_string(), s, false))
            .collect()
    };
    // The keys' column is as wide as `key_width`: the same lines either
    // way, so their count (and the number of columns) is known first.
    let build = |key_width: usize| -> Vec<Line> {
        let mut lines = Vec::new();
        for (title, scope, moves_only) in &sections {
            let (scope, moves_only) = (*scope, *moves_only);
            lines.push(Line::from(Span::styled(title.clone(), theme.header)));
            let bindings = keymap
                .bindings()
                .iter()
                .filter(|b| b.scope == scope && (!moves_only || is_move(b.action)));
            for b in bindings {
                // In a log, a tab key the log viewer shadows (`p` is the
                // previous container's log there) is not offered as the tab's.
                let keys: Vec<String> = b
                    .keys
                    .iter()
                    .filter(|k| {
                        !in_log || keymap.resolve_in(&event(k), tab_scope, true) == Some(b.action)
                    })
                    .map(|k| k.display())
                    .collect();
                if keys.is_empty() {
                    continue;
                }
                lines.push(Line::from(vec![
                    Span::styled(format!(" {:<key_width$}", keys.join(" ")), theme.accent),
                    Span::styled(b.description, theme.text),
                ]));
            }
        }
        if !in_log {
            lines.push(Line::from(Span::styled(
                "(log viewer keys: press ? in a log)",
                theme.muted,
            )));
        }
        lines
    };
    let mut lines = build(KEY_WIDTH);
    // Which login GitHub sees and its budget: the Actions tab's health,
    // under the columns across the whole width, so 80 columns keep it whole.
    let notes: Vec<Line> = if tab_scope == Some(Scope::Actions) {
        let width = usize::from(body.width.saturating_sub(4)).max(20);
        github_notes
            .iter()
            .flat_map(|note| wrap(note, width))
            .map(|text| Line::from(Span::styled(text, theme.muted)))
            .collect()
    } else {
        Vec::new()
    };
    let rows = usize::from(body.height.saturating_sub(2))
        .saturating_sub(notes.len())
        .max(1);
    let columns = lines.len().div_ceil(rows).max(1) as u16;
    let height = ((lines.len().min(rows) + notes.len()) as u16).saturating_add(2);
    // Narrower columns when more are needed than fit: every key stays on
    // screen, the keys' column shrinks to the longest key, and only the
    // ends of long descriptions are cut.
    let column_width = (body.width.saturating_sub(2) / columns.max(1)).min(MAX_COLUMN_WIDTH);
    if column_width < COMFORTABLE_WIDTH {
        lines = build(NARROW_KEY_WIDTH);
    }
    let widest_note = notes.iter().map(Line::width).max().unwrap_or(0) as u16;
    let area = centered(body, (columns * column_width).max(widest_note) + 2, height);
    frame.render_widget(Clear, area);
    let block = Block::default()
        .title(" Keys (any key closes) ")
        .borders(Borders::ALL)
        .border_set(look.symbols.border)
        .border_style(theme.accent);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    for (i, chunk) in lines.chunks(rows).enumerate() {
        let x = inner.x + i as u16 * column_width;
        if x >= inner.x + inner.width {
            break;
        }
        let col = Rect {
            x,
            y: inner.y,
            width: column_width.min(inner.x + inner.width - x),
            height: inner.height,
        };
        frame.render_widget(Paragraph::new(chunk.to_vec()), col);
    }
    let notes_height = (notes.len() as u16).min(inner.height);
    let notes_area = Rect {
        y: inner.y + inner.height - notes_height,
        height: notes_height,
        ..inner
    };
    frame.render_widget(Paragraph::new(notes), notes_area);
}

/// `text` in lines of at most `width` characters, broken between words
/// (a word longer than the width is cut, as it could not fit anyway).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let fits = line.chars().count() + 1 + word.chars().count() <= width;
        if !line.is_empty() && !fits {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.extend(word.chars().take(width));
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn event(spec: &KeySpec) -> KeyEvent {
    let mut mods = KeyModifiers::NONE;
    if spec.ctrl {
        mods = mods | KeyModifiers::CONTROL;
    }
    if spec.alt {
        mods = mods | KeyModifiers::ALT;
    }
    KeyEvent::new(spec.code, mods)
}

/// The list keys that also move through a log.
fn is_move(action: Action) -> bool {
    matches!(
        action,
        Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom
    )
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn notes_break_between_words() {
        assert_eq!(
            wrap("GitHub budget 4873/5000, resets 12:40 (in 20m)", 20),
            vec!["GitHub budget", "4873/5000, resets", "12:40 (in 20m)"]
        );
        assert_eq!(wrap("", 10), Vec::<String>::new());
        assert_eq!(wrap("abcdefghijkl", 5), vec!["abcde"]);
    }
}
