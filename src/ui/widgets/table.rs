//! The resource table every list is drawn with, split the way `bottom`
//! splits its data table: props (what the pane says about the frame and
//! the columns), state (the core's `ListState`) and draw (the visible rows
//! and the selection).
//!
//! Columns have priorities. When the terminal is narrow, the columns of
//! lowest priority first give up the room they would like, then drop out;
//! the column that names the row has the highest priority, so it is the
//! last to shrink.

use std::hash::Hash;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::core::action::Action;
use crate::core::keymap::KeyMap;
use crate::core::list::{ListState, SortColumn};
use crate::ui::Look;

/// Priority of the column that names the row: it shrinks last.
pub const NAME: u8 = u8::MAX;

/// Space between two columns.
const GAP: u16 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    /// Always this wide (symbols, ages, counters).
    Fixed(u16),
    /// As wide as its longest visible value, between `min` and `max`.
    Fit { min: u16, max: u16 },
    /// As wide as its longest visible value, at least `min`; what is left
    /// of the width is shared between these columns by `weight`.
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
    let mut shown: Vec<(Option<Line>, Option<Vec<Line>>, bool)> = Vec::new();
    for index in window.clone() {
        let Some(key) = body.list.order().get(index) else {
            continue;
        };
        let heading = match body.heading {
            Some(h) if body.list.heading_at(index, window.start) => Some(h(key)),
            _ => None,
        };
        let is_selected = selected == Some(index);
        shown.push((heading, (body.cells)(key, is_selected), is_selected));
    }
    let content: Vec<u16> = (0..body.columns.len())
        .map(|c| {
            shown
                .iter()
                .filter_map(|(_, cells, _)| cells.as_ref()?.get(c))
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
    put_cells(buf, area.x, y, &header, &widths);
    y += 1;
    for (heading, cells, is_selected) in shown {
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
        put_cells(buf, area.x, y, &cells, &widths);
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
) {
    let mut x = x0;
    let mut first = true;
    for (cell, width) in cells.iter().zip(widths) {
        let Some(width) = *width else {
            continue;
        };
        if !first {
            x = x.saturating_add(GAP);
        }
        first = false;
        if width > 0 {
            buf.set_line(x, y, cell, width);
        }
        x = x.saturating_add(width);
    }
}

/// Each column's width in `total` columns of screen, None for a column
/// that dropped out. `content` is each column's widest visible value.
///
/// Columns are served in priority order, each the width its values want
/// (the name column first); the first one that no longer fits at its least
/// width drops out with every column of lower priority. What is left over
/// goes to the filling columns by weight.
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
            break;
        };
        widths[i] = Some(width);
        used += gap + width;
    }
    let mut spare = total.saturating_sub(used);
    let fills: Vec<(usize, usize)> = by_priority
        .iter()
        .filter(|i| widths[**i].is_some())
        .filter_map(|&i| match columns[i].width {
            Width::Fill { weight, .. } => Some((i, usize::from(weight.max(1)))),
            _ => None,
        })
        .collect();
    let weights: usize = fills.iter().map(|(_, w)| w).sum();
    if weights > 0 && spare > 0 {
        let shares: Vec<usize> = fills.iter().map(|(_, w)| spare * w / weights).collect();
        for ((i, _), share) in fills.iter().zip(&shares) {
            widths[*i] = widths[*i].map(|w| w + share);
            spare -= share;
        }
        // The rounding's remainder to the most important one.
        if let Some((first, _)) = fills.first() {
            widths[*first] = widths[*first].map(|w| w + spare);
        }
    }
    widths
        .into_iter()
        .map(|w| w.map(|w| u16::try_from(w).unwrap_or(u16::MAX)))
        .collect()
}

#[cfg(test)]
#[path = "table_tests.rs"]
mod tests;
