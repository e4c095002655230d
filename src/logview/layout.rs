//! How one stored line is laid out in cells: which parts are shown and
//! where each character lands when wrapping. Used both to count rows (for
//! scrolling) and to draw, so the two can never disagree.

use unicode_width::UnicodeWidthChar;

use super::buffer::LogBuffer;
use super::line::{LineKind, LogLine};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Part {
    Timestamp,
    Tag,
    Label,
    Msg,
    Marker,
    /// The space after the timestamp or tag.
    Sep,
}

/// The displayed parts of a line, in order.
pub(crate) struct LineParts<'a> {
    pub ts: Option<&'a str>,
    pub tag: Option<&'a str>,
    pub label: &'static str,
    pub msg: &'a str,
    pub marker: String,
}

impl<'a> LineParts<'a> {
    pub fn new(log: &'a LogBuffer, line: &'a LogLine, show_ts: bool, ascii: bool) -> Self {
        // GitHub prints these words too; they keep the kind readable
        // without colour.
        let label = match line.kind() {
            LineKind::Error => "Error: ",
            LineKind::Warning => "Warning: ",
            LineKind::Notice => "Notice: ",
            _ => "",
        };
        let marker = match line.cut_bytes() {
            0 => String::new(),
            n => cut_marker(n, ascii),
        };
        LineParts {
            ts: line.timestamp().filter(|_| show_ts),
            tag: log.tag_of(line),
            label,
            msg: line.text(),
            marker,
        }
    }

    pub fn parts(&self) -> [(&str, Part); 7] {
        let (ts, ts_sep) = match self.ts {
            Some(t) => (t, " "),
            None => ("", ""),
        };
        let (tag, tag_sep) = match self.tag {
            Some(t) => (t, " "),
            None => ("", ""),
        };
        [
            (ts, Part::Timestamp),
            (ts_sep, Part::Sep),
            (tag, Part::Tag),
            (tag_sep, Part::Sep),
            (self.label, Part::Label),
            (self.msg, Part::Msg),
            (self.marker.as_str(), Part::Marker),
        ]
    }

    /// Rows the line takes at `width` columns when wrapped (at least 1).
    pub fn rows(&self, width: usize) -> usize {
        if width == 0 {
            return 1;
        }
        let parts = self.parts();
        if parts.iter().all(|(s, _)| s.is_ascii()) {
            let total: usize = parts.iter().map(|(s, _)| s.len()).sum();
            return total.div_ceil(width).max(1);
        }
        let mut rows = 0;
        self.walk(width, true, |p| {
            rows = p.row;
            true
        });
        rows + 1
    }

    /// Visits every character with a cell, in order, with its position.
    /// Stops when `f` returns false. Zero-width characters are reported
    /// with `width == 0` at the position of the character they follow.
    pub fn walk(&self, width: usize, wrap: bool, mut f: impl FnMut(Placed) -> bool) {
        let (mut row, mut col) = (0usize, 0usize);
        for (text, part) in self.parts() {
            for (off, ch) in text.char_indices() {
                if ch.is_control() {
                    continue;
                }
                let w = ch.width().unwrap_or(0);
                if w > 0 && wrap {
                    if w > width {
                        continue;
                    }
                    if col + w > width {
                        row += 1;
                        col = 0;
                    }
                }
                let placed = Placed {
                    part,
                    off,
                    ch,
                    width: w,
                    row,
                    col: if w == 0 { col.saturating_sub(1) } else { col },
                };
                if !f(placed) {
                    return;
                }
                col += w;
            }
        }
    }

    /// Row and column where the message byte `msg_off` is drawn.
    pub fn locate(&self, width: usize, wrap: bool, msg_off: usize) -> (usize, usize) {
        let mut at = (0, 0);
        self.walk(width, wrap, |p| {
            at = (p.row, p.col);
            !(p.part == Part::Msg && p.off >= msg_off)
        });
        at
    }
}

/// A character and where it goes.
pub(crate) struct Placed {
    pub part: Part,
    pub off: usize,
    pub ch: char,
    pub width: usize,
    pub row: usize,
    pub col: usize,
}

pub(crate) fn cut_marker(bytes: u64, ascii: bool) -> String {
    if ascii {
        format!(" [... {bytes} bytes cut]")
    } else {
        format!(" [… {bytes} bytes cut]")
    }
}
