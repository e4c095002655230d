//! Drawing the visible rows into a ratatui `Buffer`.
//!
//! Layout of a row: an optional gutter, then the content.
//! - Stderr column (2 cells, shown once the buffer has seen any stderr
//!   line): `┃` (ascii `|`) on every row of a stderr line, so stderr is told
//!   apart without colour.
//! - Fold column (2 cells, GitHub format only): `▸` folded / `▾` open
//!   (ascii `>` / `v`) on a group header.
//! - Content: `[timestamp ][tag ][Error: |Warning: |Notice: ]message[ [… N bytes cut]]`.
//!   Under a filter, context lines are dimmed and what matched is highlighted.
//!
//! Only the rows on screen are visited; the cost does not depend on how
//! many lines the buffer holds.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use unicode_width::UnicodeWidthStr;

use super::buffer::LogBuffer;
use super::layout::{LineParts, Part};
use super::line::{LineKind, LogFormat, LogLine, Stream};
use super::nav::Anchor;
use super::view::LogViewState;

/// The styles the log view draws with. The app maps its theme onto this.
#[derive(Clone, Debug, PartialEq)]
pub struct LogStyles {
    pub normal: Style,
    /// Patched over `normal` for stderr lines and their gutter bar.
    pub stderr: Style,
    pub timestamp: Style,
    pub tag: Style,
    pub search_match: Style,
    pub current_match: Style,
    pub error: Style,
    pub warning: Style,
    pub notice: Style,
    pub command: Style,
    pub group_header: Style,
    /// Cut markers, `##[debug]` lines.
    pub marker: Style,
    /// Patched over every cell of the selected line's rows.
    pub cursor: Style,
    /// `>`/`v`/`|`/`...` instead of `▸`/`▾`/`┃`/`…`.
    pub ascii: bool,
}

impl Default for LogStyles {
    fn default() -> Self {
        LogStyles {
            normal: Style::new(),
            stderr: Style::new().fg(Color::LightRed),
            timestamp: Style::new().fg(Color::DarkGray),
            tag: Style::new().fg(Color::Cyan),
            search_match: Style::new().fg(Color::Black).bg(Color::Yellow),
            current_match: Style::new()
                .fg(Color::Black)
                .bg(Color::LightMagenta)
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            error: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            warning: Style::new().fg(Color::Yellow),
            notice: Style::new().fg(Color::Cyan),
            command: Style::new().fg(Color::Blue),
            group_header: Style::new().add_modifier(Modifier::BOLD),
            marker: Style::new().fg(Color::DarkGray),
            cursor: Style::new().add_modifier(Modifier::REVERSED),
            ascii: false,
        }
    }
}

/// Draws the log view into `area` of `buf` (clipped to the buffer). Also
/// updates `state` with the viewport size, so scrolling and jumps that
/// follow use it.
pub fn render(
    buf: &mut Buffer,
    area: Rect,
    log: &LogBuffer,
    state: &mut LogViewState,
    styles: &LogStyles,
) {
    let area = area.intersection(buf.area);
    clear(buf, area, styles);
    let stderr_col = log.has_stderr();
    let fold_col = log.format() == LogFormat::GitHubActions;
    let mut gutter = 2 * u16::from(stderr_col) + 2 * u16::from(fold_col);
    if area.width <= gutter {
        gutter = 0;
    }
    let content_width = usize::from(area.width - gutter);
    state.cursor_row = None;
    state.sync(log, content_width, usize::from(area.height), styles.ascii);
    if area.is_empty() {
        return;
    }
    let Some(top) = state.resolve_top(log) else {
        return;
    };
    if !state.follow {
        state.top = top;
    }
    let height = usize::from(area.height);
    let gutters = Gutters {
        width: gutter,
        stderr: stderr_col && gutter > 0,
        fold: fold_col && gutter > 0,
    };
    let (first, last, row) =
        Painter::new(buf, area, gutters, styles, state, log).draw_rows(top, height);
    state.cursor_row = row;
    if state.follow {
        return;
    }
    // A paused view always has a cursor line (drawn in the cursor style), so
    // Space and `y` act on a line one can see. It stays on a shown line on screen: the one it was on, else
    // the nearest (a line scrolled off, folded away or filtered out).
    let nav = state.nav(log);
    let want = state
        .cursor
        .and_then(|c| nav.normalize(Anchor { seq: c, row: 0 }))
        .map_or(first, |a| a.seq.clamp(first, last.max(first)));
    if state.cursor != Some(want) {
        state.cursor = Some(want);
        // Drawn again with the cursor where it now is; only when it moved.
        clear(buf, area, styles);
        let (_, _, row) =
            Painter::new(buf, area, gutters, styles, state, log).draw_rows(top, height);
        state.cursor_row = row;
    }
}

fn clear(buf: &mut Buffer, area: Rect, styles: &LogStyles) {
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            if let Some(cell) = buf.cell_mut((x, y)) {
                cell.reset();
                cell.set_style(styles.normal);
            }
        }
    }
}

/// The columns left of the content, in this order, 2 cells each.
#[derive(Clone, Copy)]
struct Gutters {
    width: u16,
    stderr: bool,
    fold: bool,
}

struct Painter<'a> {
    buf: &'a mut Buffer,
    area: Rect,
    gutter: u16,
    gutters: Gutters,
    styles: &'a LogStyles,
    state: &'a LogViewState,
    log: &'a LogBuffer,
}

impl<'a> Painter<'a> {
    fn new(
        buf: &'a mut Buffer,
        area: Rect,
        gutters: Gutters,
        styles: &'a LogStyles,
        state: &'a LogViewState,
        log: &'a LogBuffer,
    ) -> Painter<'a> {
        Painter {
            buf,
            area,
            gutter: gutters.width,
            gutters,
            styles,
            state,
            log,
        }
    }

    /// Draws from `top` down; returns the first and last line drawn and
    /// the screen row the cursor line starts on.
    fn draw_rows(&mut self, top: Anchor, height: usize) -> (u64, u64, Option<usize>) {
        let nav = self.state.nav(self.log);
        let mut y = 0;
        let mut a = top;
        let mut last = top.seq;
        let mut cursor_row = None;
        while let Some(line) = self.log.get(a.seq) {
            last = a.seq;
            if self.state.cursor == Some(a.seq) && !self.state.follow {
                cursor_row = Some(y);
            }
            y += self.draw_line(a.seq, line, a.row, y, height - y);
            if y >= height {
                break;
            }
            match nav.next_visible(a.seq) {
                Some(seq) => a = Anchor { seq, row: 0 },
                None => break,
            }
        }
        (top.seq, last, cursor_row)
    }

    fn kind_style(&self, line: &LogLine, base: Style) -> Style {
        let s = self.styles;
        match line.kind() {
            LineKind::Normal | LineKind::GroupEnd => base,
            LineKind::GroupStart => base.patch(s.group_header),
            LineKind::Error => base.patch(s.error),
            LineKind::Warning => base.patch(s.warning),
            LineKind::Notice => base.patch(s.notice),
            LineKind::Command => base.patch(s.command),
            LineKind::Debug => base.patch(s.marker),
        }
    }

    /// Draws rows `skip..` of one line from screen row `y`, at most `avail`
    /// rows. Returns the rows used.
    fn draw_line(
        &mut self,
        seq: u64,
        line: &LogLine,
        skip: usize,
        y: usize,
        avail: usize,
    ) -> usize {
        let state = self.state;
        let styles = self.styles;
        let width = usize::from(self.area.width - self.gutter);
        let parts = LineParts::new(self.log, line, state.show_timestamps, styles.ascii);
        let wrap = state.wrap;
        let rows = if wrap { parts.rows(width) } else { 1 };
        let used = rows.saturating_sub(skip).min(avail).max(1).min(avail);
        let base = match line.stream() {
            Stream::Stderr => styles.normal.patch(styles.stderr),
            _ => styles.normal,
        };
        let filter = state.filter.as_ref();
        // Context lines of a filter are dimmed, as grep sets them apart.
        let context = filter.is_some_and(|f| !f.is_hit(seq));
        let kind_style = if context {
            base.patch(styles.marker)
        } else {
            self.kind_style(line, base)
        };
        let matches = match (state.search.matcher(), filter) {
            (Some(m), _) if state.search.count_in(seq) > 0 => m.ranges(line.text()),
            // Without a search, what the filter matched is highlighted.
            (None, Some(f)) if !f.spec.invert && !context => f.matcher.ranges(line.text()),
            _ => Vec::new(),
        };
        let current = state.search.current.filter(|c| c.seq == seq).map(|c| c.nth);
        let spans = line.spans();
        let (mut span_i, mut match_i) = (0usize, 0usize);
        let h_off = if wrap { 0 } else { state.h_offset };
        // The last cell written and the columns it owns, for zero-width
        // characters that attach to it.
        let mut last_cell: Option<(u16, u16, usize)> = None;
        parts.walk(width, wrap, |p| {
            if p.row < skip {
                return true;
            }
            let row = p.row - skip;
            if row >= used {
                return false;
            }
            let style = match p.part {
                Part::Timestamp => base.patch(styles.timestamp),
                Part::Tag => base.patch(styles.tag),
                Part::Sep => base,
                Part::Marker => base.patch(styles.marker),
                Part::Label => kind_style,
                Part::Msg => {
                    let off = u32::try_from(p.off).unwrap_or(u32::MAX);
                    while spans.get(span_i).is_some_and(|s| s.end <= off) {
                        span_i += 1;
                    }
                    let mut st = match spans.get(span_i) {
                        Some(s) if s.start <= off => kind_style.patch(s.style.to_style()),
                        _ => kind_style,
                    };
                    while matches.get(match_i).is_some_and(|m| m.1 <= p.off) {
                        match_i += 1;
                    }
                    if let Some(m) = matches.get(match_i)
                        && m.0 <= p.off
                    {
                        let is_current = current == Some(match_i as u64);
                        st = st.patch(if is_current {
                            styles.current_match
                        } else {
                            styles.search_match
                        });
                    }
                    st
                }
            };
            let sy = self.area.y + u16::try_from(y + row).unwrap_or(u16::MAX);
            if p.width == 0 {
                if let Some((x, cy, owned)) = last_cell
                    && cy == sy
                {
                    self.attach(x, sy, p.ch, owned);
                }
                return true;
            }
            if p.col < h_off {
                last_cell = None;
                return true;
            }
            let col = p.col - h_off;
            if col + p.width > width {
                // Only reachable without wrap: the rest is off screen.
                return false;
            }
            let x = self.area.x + self.gutter + u16::try_from(col).unwrap_or(u16::MAX);
            if let Some(cell) = self.buf.cell_mut((x, sy)) {
                cell.set_char(p.ch).set_style(style);
            }
            for extra in 1..p.width {
                let ex = x.saturating_add(u16::try_from(extra).unwrap_or(u16::MAX));
                if let Some(cell) = self.buf.cell_mut((ex, sy)) {
                    cell.reset();
                    cell.set_style(style);
                }
            }
            last_cell = Some((x, sy, p.width));
            true
        });
        for row in 0..used {
            let sy = self.area.y + u16::try_from(y + row).unwrap_or(u16::MAX);
            self.draw_gutter(seq, line, skip + row, sy, base);
            if state.cursor == Some(seq) && !state.follow {
                for x in self.area.left()..self.area.right() {
                    if let Some(cell) = self.buf.cell_mut((x, sy)) {
                        cell.set_style(styles.cursor);
                    }
                }
            }
        }
        used
    }

    /// Appends a combining character to the cell it follows, unless the
    /// result would be wider than the cells it owns.
    fn attach(&mut self, x: u16, y: u16, ch: char, owned: usize) {
        if let Some(cell) = self.buf.cell_mut((x, y)) {
            let mut sym = String::from(cell.symbol());
            sym.push(ch);
            if sym.width() <= owned {
                cell.set_symbol(&sym);
            }
        }
    }

    fn draw_gutter(&mut self, seq: u64, line: &LogLine, line_row: usize, y: u16, base: Style) {
        let mut x = self.area.x;
        let ascii = self.styles.ascii;
        if self.gutters.stderr {
            if line.stream() == Stream::Stderr
                && let Some(cell) = self.buf.cell_mut((x, y))
            {
                cell.set_symbol(if ascii { "|" } else { "┃" })
                    .set_style(self.styles.normal.patch(self.styles.stderr));
            }
            x += 2;
        }
        if self.gutters.fold && line_row == 0 && line.kind() == LineKind::GroupStart {
            let folded = self.state.is_folded(self.log, seq);
            let sym = match (folded, ascii) {
                (true, true) => ">",
                (true, false) => "▸",
                (false, true) => "v",
                (false, false) => "▾",
            };
            if let Some(cell) = self.buf.cell_mut((x, y)) {
                cell.set_symbol(sym)
                    .set_style(base.patch(self.styles.group_header));
            }
        }
    }
}
