//! The edge where crossterm's key events become opsdeck's own key type, so
//! the core never depends on the terminal library.

use crossterm::event::{
    KeyCode as TermCode, KeyEvent as TermKey, KeyModifiers as TermMods, MouseButton,
    MouseEvent as TermMouse, MouseEventKind,
};

use crate::core::key::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseKind};
use crate::core::keymap::{KeyMap, KeySpec};

/// `None` for keys opsdeck binds to nothing (media keys, lone modifiers,
/// caps lock...): dropping them here keeps them out of the core entirely.
pub fn from_crossterm(key: &TermKey) -> Option<KeyEvent> {
    let code = match key.code {
        TermCode::Char(c) => KeyCode::Char(c),
        TermCode::Enter => KeyCode::Enter,
        TermCode::Esc => KeyCode::Esc,
        TermCode::Tab => KeyCode::Tab,
        TermCode::BackTab => KeyCode::BackTab,
        TermCode::Backspace => KeyCode::Backspace,
        TermCode::Delete => KeyCode::Delete,
        TermCode::Up => KeyCode::Up,
        TermCode::Down => KeyCode::Down,
        TermCode::Left => KeyCode::Left,
        TermCode::Right => KeyCode::Right,
        TermCode::Home => KeyCode::Home,
        TermCode::End => KeyCode::End,
        TermCode::PageUp => KeyCode::PageUp,
        TermCode::PageDown => KeyCode::PageDown,
        TermCode::F(n) => KeyCode::F(n),
        _ => return None,
    };
    let mut modifiers = KeyModifiers::NONE;
    for (theirs, ours) in [
        (TermMods::SHIFT, KeyModifiers::SHIFT),
        (TermMods::CONTROL, KeyModifiers::CONTROL),
        (TermMods::ALT, KeyModifiers::ALT),
    ] {
        if key.modifiers.contains(theirs) {
            modifiers = modifiers | ours;
        }
    }
    Some(KeyEvent::new(code, modifiers))
}

/// An Esc and the key typed after it, when both arrive in one read (over
/// SSH they often do), reach crossterm as one Alt+key. Unless the key map
/// binds that Alt key, it was meant as Esc, then the key: `Esc` `/` must
/// close the log and then search, not vanish.
pub fn expand_alt(key: KeyEvent, keymap: &KeyMap) -> Vec<KeyEvent> {
    if !key.modifiers.contains(KeyModifiers::ALT) || alt_is_bound(&key, keymap) {
        return vec![key];
    }
    let mut modifiers = KeyModifiers::NONE;
    for m in [KeyModifiers::SHIFT, KeyModifiers::CONTROL] {
        if key.modifiers.contains(m) {
            modifiers = modifiers | m;
        }
    }
    vec![
        KeyEvent::plain(KeyCode::Esc),
        KeyEvent::new(key.code, modifiers),
    ]
}

fn alt_is_bound(key: &KeyEvent, keymap: &KeyMap) -> bool {
    let spec = KeySpec::from_event(key);
    keymap.bindings().iter().any(|b| b.keys.contains(&spec))
}

/// A left click or a wheel turn; `None` for everything else (drags,
/// releases, moves, other buttons), which opsdeck does nothing with.
pub fn mouse_from_crossterm(m: &TermMouse) -> Option<MouseEvent> {
    let kind = match m.kind {
        MouseEventKind::Down(MouseButton::Left) => MouseKind::Click,
        MouseEventKind::ScrollUp => MouseKind::ScrollUp,
        MouseEventKind::ScrollDown => MouseKind::ScrollDown,
        _ => return None,
    };
    Some(MouseEvent {
        kind,
        column: m.column,
        row: m.row,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mouse(kind: MouseEventKind, column: u16, row: u16) -> TermMouse {
        TermMouse {
            kind,
            column,
            row,
            modifiers: TermMods::NONE,
        }
    }

    #[test]
    fn clicks_and_wheel_turns_map_to_core_mouse_events_and_the_rest_is_dropped() {
        let click = mouse_from_crossterm(&mouse(MouseEventKind::Down(MouseButton::Left), 3, 7));
        assert_eq!(
            click,
            Some(MouseEvent {
                kind: MouseKind::Click,
                column: 3,
                row: 7
            })
        );
        let up = mouse_from_crossterm(&mouse(MouseEventKind::ScrollUp, 0, 1));
        assert_eq!(up.map(|m| m.kind), Some(MouseKind::ScrollUp));
        let down = mouse_from_crossterm(&mouse(MouseEventKind::ScrollDown, 0, 1));
        assert_eq!(down.map(|m| m.kind), Some(MouseKind::ScrollDown));
        for other in [
            MouseEventKind::Down(MouseButton::Right),
            MouseEventKind::Up(MouseButton::Left),
            MouseEventKind::Drag(MouseButton::Left),
            MouseEventKind::Moved,
        ] {
            assert_eq!(mouse_from_crossterm(&mouse(other, 1, 1)), None, "{other:?}");
        }
    }

    #[test]
    fn an_unbound_alt_key_is_an_esc_typed_before_the_key() {
        let keymap = KeyMap::default();
        let alt_slash = KeyEvent::new(KeyCode::Char('/'), KeyModifiers::ALT);
        assert_eq!(
            expand_alt(alt_slash, &keymap),
            vec![KeyEvent::plain(KeyCode::Esc), KeyEvent::char('/')]
        );
        let alt_shift_g =
            KeyEvent::new(KeyCode::Char('G'), KeyModifiers::ALT | KeyModifiers::SHIFT);
        assert_eq!(
            expand_alt(alt_shift_g, &keymap),
            vec![KeyEvent::plain(KeyCode::Esc), KeyEvent::char('G')]
        );
        // Keys without Alt pass through as they are.
        assert_eq!(
            expand_alt(KeyEvent::char('q'), &keymap),
            vec![KeyEvent::char('q')]
        );
    }

    #[test]
    fn an_alt_key_the_key_map_binds_stays_alt() {
        let mut overrides = std::collections::HashMap::new();
        overrides.insert(crate::core::action::Action::Help, vec!["alt-h".to_string()]);
        let keymap = KeyMap::with_overrides(&overrides).unwrap();
        let alt_h = KeyEvent::new(KeyCode::Char('h'), KeyModifiers::ALT);
        assert_eq!(expand_alt(alt_h, &keymap), vec![alt_h]);
    }

    #[test]
    fn keys_and_modifiers_map_one_to_one() {
        let k = from_crossterm(&TermKey::new(TermCode::Char('c'), TermMods::CONTROL));
        assert_eq!(k, Some(KeyEvent::ctrl('c')));
        let k = from_crossterm(&TermKey::new(TermCode::Char('G'), TermMods::SHIFT));
        assert_eq!(k, Some(KeyEvent::char('G')));
        let k = from_crossterm(&TermKey::new(TermCode::PageDown, TermMods::NONE));
        assert_eq!(k, Some(KeyEvent::plain(KeyCode::PageDown)));
    }

    #[test]
    fn keys_opsdeck_never_binds_are_dropped() {
        assert_eq!(
            from_crossterm(&TermKey::new(TermCode::CapsLock, TermMods::NONE)),
            None
        );
    }
}
