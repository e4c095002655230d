//! Toasts get lines of their own, between the body and the status bar,
//! rather than a box over the body: drawn over a list or a log they hid
//! its last lines (where a crash is) and the frame's key hints. The body
//! gives up those lines only while a toast is shown. Each toast shows as
//! much of its text as the room allows, wrapped; `:messages` has it all.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::Look;
use crate::core::action::Action;
use crate::core::state::State;
use crate::core::toast::{Toast, ToastLevel};

/// At most this many lines, and never more than a third of the screen.
const MAX_LINES: u16 = 4;

/// The lines the toasts want for a screen `width` x `height`.
pub fn height(state: &State, width: u16, height: u16) -> u16 {
    let wanted: usize = state
        .toasts
        .visible()
        .iter()
        .map(|t| wrap(&text_of(t, "x"), usize::from(width.saturating_sub(2))).len())
        .sum();
    let cap = MAX_LINES.min(height / 3);
    u16::try_from(wanted).unwrap_or(u16::MAX).min(cap)
}

fn text_of(toast: &Toast, times: &str) -> String {
    if toast.count > 1 {
        format!("{} {times}{}", toast.text, toast.count)
    } else {
        toast.text.clone()
    }
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, look: &Look) {
    if area.height == 0 || area.width < 4 {
        return;
    }
    let theme = &look.theme;
    let times = if look.ascii { "x" } else { "×" };
    let text_width = usize::from(area.width - 2);
    // Newest first gets the room; each keeps at least its first line.
    let toasts: Vec<&Toast> = state.toasts.visible().iter().rev().collect();
    let mut budget = usize::from(area.height);
    let mut blocks: Vec<(&Toast, Vec<String>, bool)> = Vec::new();
    for (i, toast) in toasts.iter().enumerate() {
        if budget == 0 {
            break;
        }
        let lines = wrap(&text_of(toast, times), text_width);
        let keep_for_others = (toasts.len() - i - 1).min(budget - 1);
        let room = (budget - keep_for_others).max(1);
        let cut = lines.len() > room;
        let shown: Vec<String> = lines.into_iter().take(room).collect();
        budget -= shown.len();
        blocks.push((toast, shown, cut));
    }
    let hint = format!(
        " {} hide {} :messages ",
        state.keymap.key_for(Action::DismissToasts),
        look.symbols.separator
    );
    let mut y = area.y;
    for (toast, lines, cut) in &blocks {
        let (symbol, style) = match toast.level {
            ToastLevel::Info => ("i", theme.text),
            ToastLevel::Success => (look.symbols.ok, theme.ok),
            ToastLevel::Warning => ("!", theme.warning),
            ToastLevel::Error => (look.symbols.broken, theme.error),
        };
        let last = lines.len().saturating_sub(1);
        for (i, text) in lines.iter().enumerate() {
            let mut spans = vec![
                Span::styled(if i == 0 { symbol } else { " " }, style),
                Span::raw(" "),
            ];
            let mut text = text.clone();
            if *cut && i == last {
                // The rest is in `:messages`; say so where it is cut.
                let more = format!("{} (:messages)", look.symbols.ellipsis);
                let keep = text_width.saturating_sub(more.width());
                text = take_width(&text, keep) + &more;
            }
            spans.push(Span::styled(text, style));
            frame.render_widget(
                Line::from(spans),
                Rect {
                    y,
                    height: 1,
                    ..area
                },
            );
            y += 1;
        }
    }
    // On the last line with room for it.
    for line in (area.y..y).rev() {
        if draw_hint(frame, area, line, &hint, look) {
            break;
        }
    }
}

/// The hint at the right of line `y`, when the text leaves room.
fn draw_hint(frame: &mut Frame, area: Rect, y: u16, hint: &str, look: &Look) -> bool {
    let width = u16::try_from(hint.width()).unwrap_or(u16::MAX);
    let buf = frame.buffer_mut();
    let x_end = area.x + area.width;
    let free_from = (area.x..x_end)
        .rev()
        .take_while(|x| buf[(*x, y)].symbol() == " ")
        .last()
        .unwrap_or(x_end);
    let fits = x_end.saturating_sub(free_from) > width;
    if fits {
        buf.set_string(x_end - width, y, hint, look.theme.muted);
    }
    fits
}

/// `text` in lines of at most `width` columns, broken at spaces where
/// one is near, mid-word otherwise; the text's own line breaks are kept.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    for para in text.lines() {
        let mut rest = para.trim_end();
        if rest.is_empty() {
            continue;
        }
        while rest.width() > width {
            let head = take_width(rest, width);
            let cut = match head.rfind(' ') {
                Some(i) if i > head.len() / 2 => i,
                // A character wider than the line still moves on.
                _ => head
                    .len()
                    .max(rest.chars().next().map_or(1, char::len_utf8)),
            };
            out.push(rest[..cut].trim_end().to_string());
            rest = rest[cut..].trim_start();
        }
        if !rest.is_empty() {
            out.push(rest.to_string());
        }
    }
    if out.is_empty() {
        out.push(String::new());
    }
    out
}

fn take_width(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_spaces_and_keeps_every_word() {
        let text = "cannot connect to the Docker daemon. Is the docker daemon running?";
        let lines = wrap(text, 30);
        assert!(lines.iter().all(|l| l.width() <= 30), "{lines:?}");
        assert_eq!(lines.join(" "), text);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("one\ntwo", 10), ["one", "two"]);
        assert_eq!(
            wrap("日本", 1),
            ["日", "本"],
            "no endless loop on wide characters"
        );
    }
}
