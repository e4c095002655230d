//! The resource table every list is drawn with, split the way `bottom`
//! splits its data table: props (what the pane says about the frame and
//! the columns), state (the core's `ListState`) and draw (the visible rows
//! and the selection).
//!
//! Columns have priorities. When the terminal is narrow, the columns of
//! lowest priority first give up the room they would like, then drop out;
//! the column that names the row has the highest priority, so it is the
//! last to shrink. A cut value says so with an ellipsis; a cut name keeps
//! its tail (`checkout-7c9f…-dxx6t`), which is what tells pods of one
//! workload apart. On a wide screen columns are as wide as their values,
//! not wider: the spare room stays at the right, where it hides nothing.

use std::hash::Hash;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::core::action::Action;
use crate::core::keymap::KeyMap;
use crate::core::list::{ListState, SortColumn};
use crate::ui::Look;

/// Priority of the column that names the row: it shrinks last.
pub const NAME: u8 = u8::MAX;

/// Priority of the row's one-character state symbol: served before the
/// name (it costs one column, and without it a long name left the row's
/// state to its colour alone).
pub const MARK: u8 = u8::MAX;

/// Space between two columns.
const GAP: u16 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    /// Always this wide (symbols, ages, counters).
    Fixed(u16),
    /// As wide as its longest visible value, between `min` and `max`.
    Fit { min: u16, max: u16 },
    /// As wide as its longest visible value, at least `min`, with no
    /// upper bound (names, titles). `weight` is kept for the panes' sake
    /// but no longer shares out spare room: that made a 25-character name
    /// 60 columns wide at 200 columns.
    Fill { min: u16, weight: u16 },
}

#[derive(Debug, Clone)]
pub struct Column {
    pub header: &'static str,
    pub width: Width,
    /// Higher stays longer; [`NAME`] for the column naming the row.
    pub priority: u8,
}

impl Column {
    pub fn new(header: &'static str, width: Width, priority: u8) -> Column {
        Column {
            header,
            width,
            priority,
        }
    }

    /// The width below which the column drops out rather than shrink.
    fn min(&self) -> u16 {
        match self.width {
            Width::Fixed(w) => w,
            Width::Fit { min, .. } | Width::Fill { min, .. } => min,
        }
    }

    /// The width it would like for values `content` wide.
    fn ideal(&self, content: u16) -> u16 {
        match self.width {
            Width::Fixed(w) => w,
            Width::Fit { min, max } => content.clamp(min, max.max(min)),
            Width::Fill { min, .. } => content.max(min),
        }
    }
}

/// What a pane says about its list's frame.
#[derive(Debug, Clone, Default)]
pub struct Props<'a> {
    /// E.g. `Docker`, or `Kubernetes · ctx kind · ns shop`.
    pub title: String,
    pub title_style: Style,
    /// E.g. `7 containers`.
    pub count: Option<String>,
    /// The filter text and how many rows match it, when one is set.
    pub filter: Option<(&'a str, usize)>,
    /// The sort indicator, for lists that sort.
    pub sort: Option<String>,
    /// The frame's colour: the source's health (or a dangerous context).
    pub border: Style,
    /// Key hints or the source's trouble, on the bottom border.
    pub footer: Option<Span<'a>>,
}

impl<'a> Props<'a> {
    /// The filter and sort parts of the title, from the list itself.
    pub fn with_list<K: Clone + Eq + Hash, S: SortColumn>(
        mut self,
        list: &'a ListState<K, S>,
    ) -> Self {
        if !list.filter().is_empty() {
            self.filter = Some((list.filter(), list.len()));
        }
        self.sort = Some(list.sort_label());
        self
    }

    fn title_text(&self, sep: &str) -> String {
        let mut title = format!(" {} ", self.title);
        if let Some(count) = &self.count {
            title.push_str(&format!("{sep} {count} "));
        }
        if let Some((text, matches)) = self.filter {
            title.push_str(&format!("{sep} filter \"{text}\" ({matches}) "));
        }
        if let Some(sort) = &self.sort {
            title.push_str(&format!("{sep} sort: {sort} "));
        }
        title
    }
}

/// Draws the frame and returns the area inside it.
pub fn draw_frame(frame: &mut Frame, area: Rect, props: &Props, look: &Look) -> Rect {
    let mut block = Block::default()
        .title(Span::styled(
            props.title_text(look.symbols.separator),
            props.title_style,
        ))
        .borders(Borders::ALL)
        .border_set(look.symbols.border)
        .border_style(props.border);
    if let Some(footer) = &props.footer {
        block = block.title_bottom(footer.clone());
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    inner
}

/// ` Enter jobs  R re-run all …`: hints built from the live key map.
pub fn hints(keymap: &KeyMap, items: &[(Action, &str)]) -> String {
    let mut out = String::from(" ");
    for (action, label) in items {
        out.push_str(&format!("{} {label}  ", keymap.key_for(*action)));
    }
    out.trim_end().to_string() + " "
}

/// A row's linked column and its URL.
pub type RowLink<'b, K> = dyn Fn(&K) -> Option<(usize, String)> + 'b;

/// The rows part: everything but the frame.
pub struct Body<'a, 'b, K, S> {
    pub columns: &'b [Column],
    pub list: &'b ListState<K, S>,
    /// The cells of a row (one per column), or None for a key whose row
    /// is gone; `true` for the selected row.
    pub cells: &'b dyn Fn(&K, bool) -> Option<Vec<Line<'a>>>,
    /// The heading above a group's first row, for grouped lists.
    pub heading: Option<&'b dyn Fn(&K) -> Line<'a>>,
    /// Shown instead of rows when there are none.
    pub empty: Line<'a>,
    /// The column of a row that links to a URL (OSC 8), and the URL.
    pub link: Option<&'b RowLink<'b, K>>,
}

/// Draws the header, the visible rows and the selection. Returns the lines
/// the list has for rows, for `update` to size its pages by.
pub fn draw_body<K: Clone + Eq + Hash, S: SortColumn>(
    frame: &mut Frame,
    area: Rect,
    body: &Body<'_, '_, K, S>,
    look: &Look,
) -> usize {
    let lines = usize::from(area.height.saturating_sub(1));
    if body.list.is_empty() {
        frame.render_widget(Paragraph::new(body.empty.clone()), area);
        return lines;
    }
    if area.height == 0 || area.width == 0 {
        return lines;
    }
    let window = body.list.window(lines);
    let selected = body.list.selected_index();
    type Shown<'l> = (
        Option<Line<'l>>,
        Option<Vec<Line<'l>>>,
        bool,
        Option<(usize, String)>,
    );
    let mut shown: Vec<Shown> = Vec::new();
    for index in window.clone() {
        let Some(key) = body.list.order().get(index) else {
            continue;
        };
        let heading = match body.heading {
            Some(h) if body.list.heading_at(index, window.start) => Some(h(key)),
            _ => None,
        };
        let is_selected = selected == Some(index);
        let link = body.link.filter(|_| look.hyperlinks).and_then(|l| l(key));
        shown.push((heading, (body.cells)(key, is_selected), is_selected, link));
    }
    let content: Vec<u16> = (0..body.columns.len())
        .map(|c| {
            shown
                .iter()
                .filter_map(|(_, cells, _, _)| cells.as_ref()?.get(c))
                .map(|l| l.width() as u16)
                .max()
                .unwrap_or(0)
        })
        .collect();
    let widths = layout(body.columns, &content, area.width);

    let theme = &look.theme;
    let buf = frame.buffer_mut();
    let mut y = area.y;
    let bottom = area.y + area.height;
    let header: Vec<Line> = body
        .columns
        .iter()
        .map(|c| Line::from(Span::styled(c.header, theme.header)))
        .collect();
    buf.set_style(Rect { height: 1, ..area }, theme.header);
    put_cells(buf, area.x, y, &header, &widths, body.columns, look);
    y += 1;
    for (heading, cells, is_selected, link) in shown {
        if let Some(line) = heading {
            if y >= bottom {
                break;
            }
            buf.set_line(area.x, y, &line, area.width);
            y += 1;
        }
        let Some(cells) = cells else {
            continue;
        };
        if y >= bottom {
            break;
        }
        if is_selected {
            buf.set_style(
                Rect {
                    y,
                    height: 1,
                    ..area
                },
                theme.selection,
            );
        }
        let spans = put_cells(buf, area.x, y, &cells, &widths, body.columns, look);
        if let Some((column, url)) = link
            && let Some(&(x, width)) = spans.get(column)
        {
            crate::ui::hyperlink::link(buf, Rect::new(x, y, width, 1), &url);
        }
        y += 1;
    }
    lines
}

fn put_cells(
    buf: &mut ratatui::buffer::Buffer,
    x0: u16,
    y: u16,
    cells: &[Line],
    widths: &[Option<u16>],
    columns: &[Column],
    look: &Look,
) -> Vec<(u16, u16)> {
    let mut x = x0;
    let mut first = true;
    // Where each column landed (x, width); a hidden column has width 0.
    let mut spans = Vec::with_capacity(columns.len());
    for ((cell, width), column) in cells.iter().zip(widths).zip(columns) {
        let Some(width) = *width else {
            spans.push((x, 0));
            continue;
        };
        if !first {
            x = x.saturating_add(GAP);
        }
        first = false;
        if width > 0 {
            let keep_tail = column.priority == NAME;
            let cut = fit(cell, usize::from(width), keep_tail, look.symbols.ellipsis);
            buf.set_line(x, y, cut.as_ref().unwrap_or(cell), width);
        }
        spans.push((x, width));
        x = x.saturating_add(width);
    }
    spans
}

/// The cell cut to `width` with an ellipsis, or None when it fits. Names
/// lose their middle (`checkout-7c9f…-dxx6t`): the tail tells the pods of
/// one workload apart. Other values lose their end.
fn fit<'a>(cell: &Line<'a>, width: usize, keep_tail: bool, ellipsis: &str) -> Option<Line<'a>> {
    if cell.width() <= width {
        return None;
    }
    let text: String = cell.spans.iter().map(|s| s.content.as_ref()).collect();
    let style = cell.spans.first().map(|s| s.style).unwrap_or_default();
    let cut = if keep_tail {
        middle_ellipsis(&text, width, ellipsis)
    } else {
        end_ellipsis(&text, width, ellipsis)
    };
    Some(Line::from(Span::styled(cut, style)).style(cell.style))
}

/// `text` cut at the end to `width` columns, the last one an ellipsis.
pub fn end_ellipsis(text: &str, width: usize, ellipsis: &str) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    if width < 2 {
        return take_width(text, width);
    }
    take_width(text, width - ellipsis.width()) + ellipsis
}

/// `text` cut in the middle to `width` columns. The tail kept is the last
/// `-`-separated part (a pod's or a replica's own suffix) when it takes at
/// most half the room, else half the room.
pub fn middle_ellipsis(text: &str, width: usize, ellipsis: &str) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let room = width.saturating_sub(ellipsis.width());
    if room < 3 {
        return take_width(text, width);
    }
    let half = room / 2;
    let tail_len = match text.rfind(['-', '_', '.', '/']) {
        Some(i) if text[i..].width() <= half && text[i..].width() > 1 => text[i..].width(),
        _ => half,
    };
    let tail = take_width_from_end(text, tail_len);
    let head = take_width(text, room - tail.width());
    format!("{head}{ellipsis}{tail}")
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

fn take_width_from_end(text: &str, width: usize) -> String {
    let mut out = Vec::new();
    let mut used = 0;
    for c in text.chars().rev() {
        let w = c.width().unwrap_or(0);
        if used + w > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out.into_iter().rev().collect()
}

/// Each column's width in `total` columns of screen, None for a column
/// that dropped out. `content` is each column's widest visible value.
///
/// Columns are served in priority order, each the width its values want
/// (the name column first); one that no longer fits at its least width
/// drops out, and a narrower one of lower priority may still take the room
/// left (the run's 6-column TIME where its 8-column RUN did not fit). What is left over
/// stays unused at the right: sized to their content, the columns sit
/// close enough for the eye to follow a row across.
pub fn layout(columns: &[Column], content: &[u16], total: u16) -> Vec<Option<u16>> {
    let total = usize::from(total);
    let mut by_priority: Vec<usize> = (0..columns.len()).collect();
    by_priority.sort_by_key(|i| (std::cmp::Reverse(columns[*i].priority), *i));
    let mut widths: Vec<Option<usize>> = vec![None; columns.len()];
    let mut used = 0;
    for &i in &by_priority {
        let column = &columns[i];
        let want = usize::from(column.ideal(content.get(i).copied().unwrap_or(0)));
        let gap = if used > 0 { usize::from(GAP) } else { 0 };
        let room = total.saturating_sub(used + gap);
        let width = if want <= room {
            want
        } else if usize::from(column.min()) <= room || used == 0 {
            // Shrunk to what is left; the first column is never dropped.
            room
        } else {
            continue;
        };
        widths[i] = Some(width);
        used += gap + width;
    }
    widths
        .into_iter()
        .map(|w| w.map(|w| u16::try_from(w).unwrap_or(u16::MAX)))
        .collect()
}

#[cfg(test)]
#[path = "table_tests.rs"]
mod tests;
