//! OSC 8 hyperlinks (https://gist.github.com/egmontkob/eb114294efbcd5adb1944c9f3cb5feda)
//! on text already drawn in the buffer: a terminal that knows them makes
//! the text clickable (Ctrl/Cmd+click opens the browser), one that does
//! not ignores the sequence.
//!
//! ratatui has no hyperlink cell, and an escape sequence written as text
//! is split into cells and counted as visible width. So each visible cell
//! of the link carries its own complete sequence, opened and closed around
//! its one grapheme, and `CellDiffOption::ForcedWidth` tells the diff the
//! cell's real width (the sequence's bytes would otherwise count as
//! columns and shift the rest of the row). A cell redrawn alone is still a
//! whole link; the shared `id` makes the terminal treat the cells as one.

use std::num::NonZeroU16;

use ratatui::buffer::{Buffer, CellDiffOption};
use ratatui::layout::Rect;
use unicode_width::UnicodeWidthStr;

/// Links the drawn text in `area` (one row; trailing blanks are left
/// alone) to `url`. A URL that is not plain printable http(s) is not
/// linked: it came from an API and must not smuggle a control sequence.
pub fn link(buf: &mut Buffer, area: Rect, url: &str) {
    if !is_safe(url) {
        return;
    }
    let area = area.intersection(buf.area);
    if area.is_empty() {
        return;
    }
    let y = area.y;
    let cells: Vec<u16> = (area.x..area.right())
        .filter(|x| buf[(*x, y)].symbol().trim() != "")
        .collect();
    let (Some(&first), Some(&last)) = (cells.first(), cells.last()) else {
        return;
    };
    let id = link_id(url);
    for x in first..=last {
        let cell = &mut buf[(x, y)];
        if matches!(cell.diff_option, CellDiffOption::Skip) || cell.symbol().is_empty() {
            continue;
        }
        let symbol = cell.symbol().to_string();
        // Already linked (drawn twice in one frame): leave it.
        if symbol.starts_with('\u{1b}') {
            continue;
        }
        let width = u16::try_from(symbol.width()).unwrap_or(1).max(1);
        cell.set_symbol(&format!(
            "\u{1b}]8;id={id};{url}\u{1b}\\{symbol}\u{1b}]8;;\u{1b}\\"
        ));
        if let Some(width) = NonZeroU16::new(width) {
            cell.set_diff_option(CellDiffOption::ForcedWidth(width));
        }
    }
}

/// http(s) and printable ASCII only: no ESC, BEL or other control that
/// could end the sequence early, no spaces (URLs have none).
pub fn is_safe(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() <= 2048
        && url.bytes().all(|b| (0x21..=0x7e).contains(&b))
}

/// A short stable id per URL: cells of one link hover together.
fn link_id(url: &str) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for b in url.bytes() {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    format!("od{h:08x}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::buffer::Buffer;

    fn row(text: &str) -> Buffer {
        let mut buf = Buffer::empty(Rect::new(0, 0, 12, 1));
        buf.set_string(0, 0, text, ratatui::style::Style::default());
        buf
    }

    #[test]
    fn each_visible_cell_carries_a_whole_link_and_keeps_its_width() {
        let mut buf = row("CI #12");
        link(
            &mut buf,
            Rect::new(0, 0, 12, 1),
            "https://github.com/a/b/actions/runs/1",
        );
        for x in 0..6 {
            let cell = &buf[(x, 0)];
            assert!(
                cell.symbol().starts_with("\u{1b}]8;id=od"),
                "{:?}",
                cell.symbol()
            );
            assert!(cell.symbol().ends_with("\u{1b}]8;;\u{1b}\\"));
            assert_eq!(
                cell.diff_option,
                CellDiffOption::ForcedWidth(NonZeroU16::MIN)
            );
        }
        // The blanks after the text are not part of the link.
        assert_eq!(buf[(6, 0)].symbol(), " ");
        // What the terminal shows, escapes removed, is the text unchanged.
        let shown: String = (0..12).map(|x| strip(buf[(x, 0)].symbol())).collect();
        assert_eq!(shown, "CI #12      ");
    }

    #[test]
    fn a_url_with_a_control_character_or_another_scheme_is_not_linked() {
        for url in [
            "https://x.test/\u{1b}]0;owned\u{7}",
            "javascript:alert(1)",
            "https://x.test/a b",
        ] {
            let mut buf = row("name");
            link(&mut buf, Rect::new(0, 0, 12, 1), url);
            assert_eq!(buf[(0, 0)].symbol(), "n", "{url:?}");
        }
    }

    fn strip(symbol: &str) -> String {
        let mut out = String::new();
        let mut rest = symbol;
        while let Some(start) = rest.find('\u{1b}') {
            out.push_str(&rest[..start]);
            let after = &rest[start..];
            let end = after.find("\u{1b}\\").map_or(after.len(), |e| e + 2);
            rest = &after[end..];
        }
        out.push_str(rest);
        out
    }
}
