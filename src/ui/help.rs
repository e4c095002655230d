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

/// Width of one column of bindings; the overlay flows into as many
/// columns as the height needs, so it fits 80x24.
const COLUMN_WIDTH: u16 = 38;
/// Columns grow up to this when the screen has room, so descriptions fit.
const MAX_COLUMN_WIDTH: u16 = 52;

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
    let mut lines = Vec::new();
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
    for (title, scope, moves_only) in sections {
        lines.push(Line::from(Span::styled(title, theme.header)));
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
                Span::styled(format!(" {:<14}", keys.join(" ")), theme.accent),
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
    // Which login GitHub sees and its budget: the Actions tab's health.
    if tab_scope == Some(Scope::Actions) {
        for note in github_notes {
            lines.push(Line::from(Span::styled(note.clone(), theme.muted)));
        }
    }
    let rows = usize::from(body.height.saturating_sub(2)).max(1);
    let columns = lines.len().div_ceil(rows).max(1) as u16;
    let height = (lines.len().min(rows) as u16).saturating_add(2);
    let column_width =
        (body.width.saturating_sub(2) / columns.max(1)).clamp(COLUMN_WIDTH, MAX_COLUMN_WIDTH);
    let area = centered(body, columns * column_width + 2, height);
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
