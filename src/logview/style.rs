//! Compact SGR styles attached to byte ranges of a stored line.

use ratatui::style::{Color, Modifier, Style};
use vte::Params;

/// The SGR state in effect for a run of text: colours and attributes only.
///
/// Blink (5/6) and conceal (8) are deliberately not kept: blinking text is
/// noise during an incident and concealed text would let a log line hide
/// content from the person reading it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AnsiStyle {
    pub fg: Option<Color>,
    pub bg: Option<Color>,
    pub mods: Modifier,
}

/// A byte range of a line's message text drawn with a non-default SGR style.
/// Ranges are sorted, non-overlapping and relative to [`LogLine::text`].
///
/// [`LogLine::text`]: super::LogLine::text
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StyledSpan {
    pub start: u32,
    pub end: u32,
    pub style: AnsiStyle,
}

impl AnsiStyle {
    pub fn is_plain(&self) -> bool {
        *self == Self::default()
    }

    /// The ratatui style to patch over the line's base style.
    pub fn to_style(self) -> Style {
        let mut s = Style::new().add_modifier(self.mods);
        if let Some(fg) = self.fg {
            s = s.fg(fg);
        }
        if let Some(bg) = self.bg {
            s = s.bg(bg);
        }
        s
    }

    /// Applies the parameters of one `CSI ... m` sequence, in both the
    /// semicolon (`38;5;n`) and colon (`38:5:n`, `38:2::r:g:b`) forms.
    pub(crate) fn apply_sgr(&mut self, params: &Params) {
        let mut it = params.iter();
        while let Some(group) = it.next() {
            let code = group.first().copied().unwrap_or(0);
            match code {
                0 => *self = Self::default(),
                1 => self.mods.insert(Modifier::BOLD),
                2 => self.mods.insert(Modifier::DIM),
                3 => self.mods.insert(Modifier::ITALIC),
                4 => match group.get(1) {
                    Some(0) => self.mods.remove(Modifier::UNDERLINED),
                    _ => self.mods.insert(Modifier::UNDERLINED),
                },
                7 => self.mods.insert(Modifier::REVERSED),
                9 => self.mods.insert(Modifier::CROSSED_OUT),
                21 => self.mods.insert(Modifier::UNDERLINED),
                22 => self.mods.remove(Modifier::BOLD | Modifier::DIM),
                23 => self.mods.remove(Modifier::ITALIC),
                24 => self.mods.remove(Modifier::UNDERLINED),
                27 => self.mods.remove(Modifier::REVERSED),
                29 => self.mods.remove(Modifier::CROSSED_OUT),
                30..=37 => self.fg = Some(basic(code - 30)),
                38 => self.fg = extended(group, &mut it).or(self.fg),
                39 => self.fg = None,
                40..=47 => self.bg = Some(basic(code - 40)),
                48 => self.bg = extended(group, &mut it).or(self.bg),
                49 => self.bg = None,
                90..=97 => self.fg = Some(basic(code - 90 + 8)),
                100..=107 => self.bg = Some(basic(code - 100 + 8)),
                // Blink, conceal, fonts, underline colour, …: dropped.
                _ => {}
            }
        }
    }
}

fn to_u8(v: u16) -> u8 {
    u8::try_from(v).unwrap_or(u8::MAX)
}

/// The 16 named colours, so 16-colour terminals get what the program meant.
fn basic(n: u16) -> Color {
    match n {
        0 => Color::Black,
        1 => Color::Red,
        2 => Color::Green,
        3 => Color::Yellow,
        4 => Color::Blue,
        5 => Color::Magenta,
        6 => Color::Cyan,
        7 => Color::Gray,
        8 => Color::DarkGray,
        9 => Color::LightRed,
        10 => Color::LightGreen,
        11 => Color::LightYellow,
        12 => Color::LightBlue,
        13 => Color::LightMagenta,
        14 => Color::LightCyan,
        _ => Color::White,
    }
}

fn indexed(n: u16) -> Color {
    if n < 16 {
        basic(n)
    } else {
        Color::Indexed(to_u8(n))
    }
}

/// Reads a 38/48 colour either from the colon sub-parameters of `group` or
/// from the following semicolon-separated parameters.
fn extended<'a>(group: &[u16], rest: &mut impl Iterator<Item = &'a [u16]>) -> Option<Color> {
    if group.len() > 1 {
        return match group.get(1) {
            Some(5) => group.get(2).map(|&n| indexed(n)),
            Some(2) => {
                // `38:2:r:g:b` or, per ITU T.416, `38:2:<colour space>:r:g:b`.
                let rgb = if group.len() >= 6 {
                    group.get(3..6)
                } else {
                    group.get(2..5)
                };
                rgb.and_then(|c| match c {
                    [r, g, b] => Some(Color::Rgb(to_u8(*r), to_u8(*g), to_u8(*b))),
                    _ => None,
                })
            }
            _ => None,
        };
    }
    let mut next = || rest.next().and_then(|p| p.first().copied());
    match next() {
        Some(5) => next().map(indexed),
        Some(2) => {
            let (r, g, b) = (next()?, next()?, next()?);
            Some(Color::Rgb(to_u8(r), to_u8(g), to_u8(b)))
        }
        _ => None,
    }
}
