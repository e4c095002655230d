//! opsdeck's own key type. The core decides what keys mean without knowing
//! which terminal library delivered them; `terminal::keys` maps crossterm's
//! events into these at the edge, and tests build them directly.

/// The key itself, without modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyCode {
    Char(char),
    Enter,
    Esc,
    Tab,
    /// Shift-Tab, which terminals report as a key of its own.
    BackTab,
    Backspace,
    Delete,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    F(u8),
}

/// Modifier keys held with a key. A plain bit set: the core only ever asks
/// "is Ctrl held" or "is Alt held".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct KeyModifiers(u8);

impl KeyModifiers {
    pub const NONE: KeyModifiers = KeyModifiers(0);
    pub const SHIFT: KeyModifiers = KeyModifiers(1);
    pub const CONTROL: KeyModifiers = KeyModifiers(2);
    pub const ALT: KeyModifiers = KeyModifiers(4);

    pub fn contains(self, other: KeyModifiers) -> bool {
        self.0 & other.0 == other.0
    }
}

impl std::ops::BitOr for KeyModifiers {
    type Output = KeyModifiers;
    fn bitor(self, rhs: KeyModifiers) -> KeyModifiers {
        KeyModifiers(self.0 | rhs.0)
    }
}

/// One key press.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyEvent {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl KeyEvent {
    pub fn new(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent { code, modifiers }
    }

    /// A key without modifiers; most test keys are these.
    pub fn plain(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    /// A typed character; uppercase letters carry SHIFT as terminals send them.
    pub fn char(c: char) -> KeyEvent {
        let mods = if c.is_uppercase() {
            KeyModifiers::SHIFT
        } else {
            KeyModifiers::NONE
        };
        KeyEvent::new(KeyCode::Char(c), mods)
    }

    pub fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    pub fn has_ctrl(&self) -> bool {
        self.modifiers.contains(KeyModifiers::CONTROL)
    }
}

/// What a mouse did, with `[ui] mouse = true`: a left click or a wheel
/// turn at a screen cell (0-based column and row). Drags, other buttons
/// and moves are dropped at the edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MouseEvent {
    pub kind: MouseKind,
    pub column: u16,
    pub row: u16,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MouseKind {
    Click,
    ScrollUp,
    ScrollDown,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modifiers_combine_and_are_asked_one_by_one() {
        let both = KeyModifiers::CONTROL | KeyModifiers::ALT;
        assert!(both.contains(KeyModifiers::CONTROL));
        assert!(both.contains(KeyModifiers::ALT));
        assert!(!both.contains(KeyModifiers::SHIFT));
        assert!(KeyModifiers::NONE.contains(KeyModifiers::NONE));
        assert!(!KeyModifiers::NONE.contains(KeyModifiers::CONTROL));
    }

    #[test]
    fn uppercase_characters_carry_shift() {
        assert_eq!(KeyEvent::char('G').modifiers, KeyModifiers::SHIFT);
        assert_eq!(KeyEvent::char('g').modifiers, KeyModifiers::NONE);
        assert!(KeyEvent::ctrl('c').has_ctrl());
    }
}
