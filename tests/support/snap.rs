//! The one way the snapshot tests draw the whole app: each view at 80x24 and
//! 200x50, in Unicode and in `--ascii` (which must draw nothing else). The
//! caller asserts, because insta names a snapshot after the file its
//! assertion is in.

use opsdeck::core::state::State;
use opsdeck::ui::{self, Look, Theme};
use ratatui::{Terminal, backend::TestBackend};

pub const SIZES: [(u16, u16); 2] = [(80, 24), (200, 50)];

pub fn render(state: &mut State, ascii: bool, width: u16, height: u16) -> String {
    let look = Look::new(Theme::default(), ascii);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal.draw(|f| ui::draw(f, state, &look)).expect("draw");
    let text = terminal.backend().to_string();
    if ascii {
        let bad: String = text.chars().filter(|c| !c.is_ascii()).collect();
        assert!(bad.is_empty(), "--ascii drew non-ASCII characters: {bad:?}");
    }
    text
}

/// `make` drawn at every size in both glyph sets: each snapshot's name
/// (`NAME_80x24_unicode`, …) and screen.
pub fn every_size(name: &str, make: impl Fn(u16, u16) -> State) -> Vec<(String, String)> {
    let mut shots = Vec::new();
    for (w, h) in SIZES {
        for ascii in [false, true] {
            let mut state = make(w, h);
            let text = render(&mut state, ascii, w, h);
            let glyphs = if ascii { "ascii" } else { "unicode" };
            shots.push((format!("{name}_{w}x{h}_{glyphs}"), text));
        }
    }
    shots
}
