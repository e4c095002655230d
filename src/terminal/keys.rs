//! The edge where crossterm's key events become opsdeck's own key type, so
//! the core never depends on the terminal library.

use crossterm::event::{KeyCode as TermCode, KeyEvent as TermKey, KeyModifiers as TermMods};

use crate::core::key::{KeyCode, KeyEvent, KeyModifiers};

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

#[cfg(test)]
mod tests {
    use super::*;

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
