//! Tests for the log viewer, split by area. They drive the public API and
//! read back what reached a ratatui `Buffer`.

mod buffer_tests;
mod filter_tests;
mod fuzz_tests;
mod github_tests;
mod render_tests;
mod sanitize_tests;
mod search_tests;
mod view_tests;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::{LineSource, LogBuffer, LogStyles, LogViewState, render};

/// Renders into a fresh `w`x`h` buffer and returns it.
pub(super) fn draw(log: &LogBuffer, state: &mut LogViewState, w: u16, h: u16) -> Buffer {
    draw_with(log, state, w, h, &LogStyles::default())
}

pub(super) fn draw_with(
    log: &LogBuffer,
    state: &mut LogViewState,
    w: u16,
    h: u16,
    styles: &LogStyles,
) -> Buffer {
    let area = Rect::new(0, 0, w, h);
    let mut buf = Buffer::empty(area);
    render(&mut buf, area, log, state, styles);
    buf
}

/// The rows of a buffer as strings, trailing spaces trimmed. Cells hidden
/// behind a wide character (reset to " ") are skipped so wide text reads
/// naturally.
pub(super) fn rows(buf: &Buffer) -> Vec<String> {
    let area = buf.area;
    (area.top()..area.bottom())
        .map(|y| {
            let mut s = String::new();
            let mut skip = 0;
            for x in area.left()..area.right() {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let sym = buf.cell((x, y)).map_or(" ", |c| c.symbol());
                skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
                s.push_str(sym);
            }
            s.trim_end().to_owned()
        })
        .collect()
}

/// Every symbol of the buffer, for "nothing dangerous got through" checks.
pub(super) fn all_text(buf: &Buffer) -> String {
    buf.content().iter().map(|c| c.symbol()).collect()
}

/// A plain stdout buffer holding `lines`.
pub(super) fn log_of(lines: &[&str]) -> LogBuffer {
    let mut log = LogBuffer::new(10_000);
    for l in lines {
        log.push_bytes(LineSource::stdout(), format!("{l}\n").as_bytes());
    }
    log
}

/// Pushes `bytes` as one stdout line and renders it at 80x1.
pub(super) fn render_one(bytes: &[u8]) -> Buffer {
    let mut log = LogBuffer::new(10);
    log.push_bytes(LineSource::stdout(), bytes);
    log.flush();
    let mut state = LogViewState::new();
    draw(&log, &mut state, 80, 1)
}
