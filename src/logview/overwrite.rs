//! The cell grid a line switches to after a bare `\r`, so that what follows
//! overwrites from column 0 the way a terminal would (progress bars).
//!
//! Lines without `\r` never pay for this: they are appended straight into a
//! `String`. Each overwrite is O(1), so a line made of a million `x\r` costs a
//! million cheap writes, not a million copies of the line.

use unicode_width::UnicodeWidthChar;

use super::style::{AnsiStyle, StyledSpan};

#[derive(Clone, Copy)]
struct GridCell {
    ch: char,
    style: AnsiStyle,
    /// The right half of the wide character in the previous cell.
    wide_tail: bool,
}

const BLANK: GridCell = GridCell {
    ch: ' ',
    style: AnsiStyle {
        fg: None,
        bg: None,
        mods: ratatui::style::Modifier::empty(),
    },
    wide_tail: false,
};

pub(crate) struct Grid {
    cells: Vec<GridCell>,
    cursor: usize,
}

impl Grid {
    /// Lays out already-built text. Zero-width characters are dropped here
    /// (they have no cell of their own); this only affects lines with `\r`.
    pub fn from_text(text: &str, spans: &[StyledSpan]) -> Grid {
        let mut cells = Vec::with_capacity(text.len());
        let mut span_iter = spans.iter().peekable();
        for (off, ch) in text.char_indices() {
            let off = u32::try_from(off).unwrap_or(u32::MAX);
            while span_iter.peek().is_some_and(|s| s.end <= off) {
                span_iter.next();
            }
            let style = match span_iter.peek() {
                Some(s) if s.start <= off => s.style,
                _ => AnsiStyle::default(),
            };
            match ch.width().unwrap_or(0) {
                0 => {}
                1 => cells.push(GridCell {
                    ch,
                    style,
                    wide_tail: false,
                }),
                _ => {
                    cells.push(GridCell {
                        ch,
                        style,
                        wide_tail: false,
                    });
                    cells.push(GridCell {
                        ch: ' ',
                        style,
                        wide_tail: true,
                    });
                }
            }
        }
        Grid { cells, cursor: 0 }
    }

    pub fn carriage_return(&mut self) {
        self.cursor = 0;
    }

    /// Writes `ch` at the cursor. Returns false when it does not fit within
    /// `cap` columns (the caller counts it as cut).
    pub fn put(&mut self, ch: char, style: AnsiStyle, cap: usize) -> bool {
        let w = ch.width().unwrap_or(0);
        if w == 0 {
            return true;
        }
        let w = w.min(2);
        if self.cursor + w > cap {
            return false;
        }
        self.break_wide_at(self.cursor);
        if w == 2 {
            self.break_wide_at(self.cursor + 1);
        }
        while self.cells.len() < self.cursor + w {
            self.cells.push(BLANK);
        }
        if let Some(c) = self.cells.get_mut(self.cursor) {
            *c = GridCell {
                ch,
                style,
                wide_tail: false,
            };
        }
        if w == 2
            && let Some(c) = self.cells.get_mut(self.cursor + 1)
        {
            *c = GridCell {
                ch: ' ',
                style,
                wide_tail: true,
            };
        }
        self.cursor += w;
        true
    }

    /// Moves to the next multiple of 8 without erasing, padding past the end.
    pub fn tab(&mut self, style: AnsiStyle, cap: usize) {
        let target = ((self.cursor / 8 + 1) * 8).min(cap);
        while self.cells.len() < target {
            self.cells.push(GridCell { style, ..BLANK });
        }
        self.cursor = target.max(self.cursor);
    }

    /// Overwriting one half of a wide character blanks the other half, as a
    /// terminal does.
    fn break_wide_at(&mut self, i: usize) {
        let Some(cell) = self.cells.get(i).copied() else {
            return;
        };
        if cell.wide_tail {
            if let Some(head) = i.checked_sub(1).and_then(|h| self.cells.get_mut(h)) {
                head.ch = ' ';
            }
            if let Some(c) = self.cells.get_mut(i) {
                c.wide_tail = false;
            }
        } else if let Some(next) = self.cells.get_mut(i + 1)
            && next.wide_tail
        {
            next.wide_tail = false;
            next.ch = ' ';
        }
    }

    /// Converts the grid back to text and merged style spans.
    pub fn write_into(&self, text: &mut String, spans: &mut Vec<StyledSpan>, max_spans: usize) {
        for cell in self.cells.iter().filter(|c| !c.wide_tail) {
            let start = text.len();
            text.push(cell.ch);
            push_span(spans, start, text.len(), cell.style, max_spans);
        }
    }
}

/// Records `start..end` with `style`, merging with the previous span when it
/// continues it. Past `max_spans` further styling is dropped (the text is
/// kept) so a hostile line cannot make one span per byte.
pub(crate) fn push_span(
    spans: &mut Vec<StyledSpan>,
    start: usize,
    end: usize,
    style: AnsiStyle,
    max_spans: usize,
) {
    if style.is_plain() {
        return;
    }
    let (Ok(start), Ok(end)) = (u32::try_from(start), u32::try_from(end)) else {
        return;
    };
    if let Some(last) = spans.last_mut()
        && last.end == start
        && last.style == style
    {
        last.end = end;
        return;
    }
    if spans.len() < max_spans {
        spans.push(StyledSpan { start, end, style });
    }
}
