//! One list state for every pane: filter text, sort column and direction,
//! the display order (keys), the selection kept by key across refreshes,
//! the scroll offset and navigation. A pane keeps only its rows and says,
//! through [`RowSpec`], what a row's key, filter text and order are.
//!
//! The list knows nothing of the screen: how many rows are visible is
//! passed in ([`ListState::set_viewport`]) by the code that draws it.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::hash::Hash;
use std::ops::Range;

use super::filter::{Fields, Filter, Rank};

/// Every list on screen, so the UI can tell `update` which one it measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListId {
    Overview,
    Timeline,
    Containers,
    Runs,
    Jobs,
    /// A run's attempts (`a` in its jobs).
    Attempts,
    Pods,
    /// The open kind view (`:sts`, `:ev`...).
    Kind,
    /// The open `:images`, `:volumes` or `:networks` view.
    DockerObjects,
    /// `:pf`, the port-forwards.
    PortForwards,
}

/// A list's sort columns, cycled by one key.
pub trait SortColumn: Copy + PartialEq + Default + std::fmt::Debug {
    fn next(self) -> Self;
    fn label(self) -> &'static str;
}

/// For lists shown in the order their source gives (jobs, triage).
impl SortColumn for () {
    fn next(self) -> Self {}
    fn label(self) -> &'static str {
        "-"
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    /// The column's own order (e.g. newest first, broken first).
    #[default]
    Natural,
    Reversed,
}

/// What a pane tells the list about its rows. A spec may borrow the pane's
/// other data (e.g. the owners a pod's filter text names).
pub trait RowSpec<R: ?Sized> {
    type Key: Clone + Eq + Hash;
    type Sort: SortColumn;
    fn key(&self, row: &R) -> Self::Key;
    /// The row's name and named fields, for the `/` filter (see
    /// [`crate::core::filter`]): `out` is cleared before each row.
    fn fields(&self, row: &R, out: &mut Fields);
    /// The order of two rows by a sort column, in its natural direction.
    fn compare(&self, a: &R, b: &R, sort: Self::Sort) -> Ordering;
    /// Grouped lists (Docker's compose projects) keep a group together
    /// whatever the sort, and show a heading line above each group.
    fn grouped(&self) -> bool {
        false
    }
    fn group_cmp(&self, _a: &R, _b: &R) -> Ordering {
        Ordering::Equal
    }
    /// Rows that go after the others whatever the direction (no figure
    /// to sort by yet, e.g. a container without stats sorted by CPU).
    fn sorts_last(&self, _row: &R, _sort: Self::Sort) -> bool {
        false
    }
}

/// One move of the selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
}

#[derive(Debug, Clone)]
pub struct ListState<K, S = ()> {
    filter: String,
    /// The filter changed since the last rebuild: the selection then goes
    /// to the best match unless it is on one already.
    refilter: bool,
    sort: S,
    direction: Direction,
    order: Vec<K>,
    /// For grouped lists, whether each row starts a group; empty otherwise.
    group_starts: Vec<bool>,
    /// Index into `order`.
    selected: Option<usize>,
    /// The selection while no row shows it (an empty list, a filter that
    /// hides everything), so it comes back with its row.
    hidden: Option<K>,
    offset: usize,
    /// Lines the list has on screen; 0 until it has been drawn.
    viewport: usize,
}

impl<K, S: Default> Default for ListState<K, S> {
    fn default() -> Self {
        ListState {
            filter: String::new(),
            refilter: false,
            sort: S::default(),
            direction: Direction::Natural,
            order: Vec::new(),
            group_starts: Vec::new(),
            selected: None,
            hidden: None,
            offset: 0,
            viewport: 0,
        }
    }
}

impl<K: Clone + Eq + Hash, S: SortColumn> ListState<K, S> {
    pub fn filter(&self) -> &str {
        &self.filter
    }

    /// Sets the filter text; the pane rebuilds the order next.
    pub fn set_filter(&mut self, text: impl Into<String>) {
        let text = text.into();
        if text != self.filter {
            self.filter = text;
            self.refilter = true;
            self.offset = 0;
        }
    }

    pub fn sort(&self) -> S {
        self.sort
    }

    pub fn direction(&self) -> Direction {
        self.direction
    }

    /// Next sort column, in its natural direction; the pane rebuilds next.
    pub fn cycle_sort(&mut self) {
        self.sort = self.sort.next();
        self.direction = Direction::Natural;
    }

    /// The same column the other way round; the pane rebuilds next.
    pub fn reverse(&mut self) {
        self.direction = match self.direction {
            Direction::Natural => Direction::Reversed,
            Direction::Reversed => Direction::Natural,
        };
    }

    pub fn set_sort(&mut self, sort: S, direction: Direction) {
        self.sort = sort;
        self.direction = direction;
    }

    /// The sort indicator: the column, and the direction when reversed.
    pub fn sort_label(&self) -> String {
        match self.direction {
            Direction::Natural => self.sort.label().to_string(),
            Direction::Reversed => format!("{} (reversed)", self.sort.label()),
        }
    }

    /// Keys in display order.
    pub fn order(&self) -> &[K] {
        &self.order
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Whether the row at `index` gets a group heading above it, in a
    /// window of rows starting at `first`.
    pub fn heading_at(&self, index: usize, first: usize) -> bool {
        self.heading_in_window(index, first)
    }

    pub fn selected(&self) -> Option<&K> {
        self.selected.and_then(|i| self.order.get(i))
    }

    pub fn selected_index(&self) -> Option<usize> {
        self.selected
    }

    pub fn offset(&self) -> usize {
        self.offset
    }

    pub fn viewport(&self) -> usize {
        self.viewport
    }

    /// Records how many lines the list has on screen and keeps the
    /// selection inside them.
    pub fn set_viewport(&mut self, lines: usize) {
        self.viewport = lines;
        self.scroll_into_view();
    }

    /// Selects the row with `key`, if it is shown. Returns whether it is.
    pub fn select(&mut self, key: &K) -> bool {
        match self.order.iter().position(|k| k == key) {
            Some(i) => {
                self.selected = Some(i);
                self.hidden = None;
                self.scroll_into_view();
                true
            }
            None => false,
        }
    }

    pub fn select_first(&mut self) {
        self.selected = if self.order.is_empty() { None } else { Some(0) };
        self.scroll_into_view();
    }

    pub fn navigate(&mut self, nav: Nav) {
        let page = self.page_rows() as isize;
        let delta = match nav {
            Nav::Up => -1,
            Nav::Down => 1,
            Nav::PageUp => -page,
            Nav::PageDown => page,
            Nav::Top => isize::MIN / 2,
            Nav::Bottom => isize::MAX / 2,
        };
        self.move_by(delta);
    }

    /// Moves the selection by `delta` rows, clamped to the list.
    pub fn move_by(&mut self, delta: isize) {
        if self.order.is_empty() {
            return;
        }
        let last = self.order.len() as isize - 1;
        let current = self.selected.unwrap_or(0) as isize;
        self.selected = Some(current.saturating_add(delta).clamp(0, last) as usize);
        self.hidden = None;
        self.scroll_into_view();
    }

    /// Rows a page key moves: the rows on screen, at least one.
    fn page_rows(&self) -> usize {
        self.viewport.max(1)
    }

    /// The indices of the rows on screen (headings take lines too).
    pub fn visible(&self) -> Range<usize> {
        if self.viewport == 0 {
            let start = self.offset.min(self.order.len());
            return start..start;
        }
        self.window(self.viewport)
    }

    /// Keys of the rows on screen.
    pub fn visible_keys(&self) -> &[K] {
        &self.order[self.visible()]
    }

    /// The rows that show in `lines` lines with the selection in view,
    /// without changing the list: the drawing code uses it for the frame
    /// it draws before `update` hears the list's new size.
    pub fn window(&self, lines: usize) -> Range<usize> {
        let start = self.offset_for(lines, self.offset);
        let mut used = 0;
        let mut end = start;
        while end < self.order.len() {
            let need = 1 + usize::from(self.heading_in_window(end, start));
            if used + need > lines {
                break;
            }
            used += need;
            end += 1;
        }
        // One row at least, even in a list one line high.
        end = end.max((start + 1).min(self.order.len()));
        start..end
    }

    fn heading_in_window(&self, index: usize, first: usize) -> bool {
        !self.group_starts.is_empty()
            && (index == first || self.group_starts.get(index).copied().unwrap_or(false))
    }

    /// Moves the offset so the selected row is on screen.
    fn scroll_into_view(&mut self) {
        self.offset = if self.viewport == 0 {
            // Not measured yet: only keep the selection from being above the top.
            self.offset.min(self.selected.unwrap_or(0))
        } else {
            self.offset_for(self.viewport, self.offset)
        };
    }

    /// The offset nearest to `offset` that shows the selected row in
    /// `lines` lines, and does not end the list above the bottom of its
    /// area when it could fill it.
    fn offset_for(&self, lines: usize, offset: usize) -> usize {
        let len = self.order.len();
        if len == 0 {
            return 0;
        }
        let idx = self.selected.unwrap_or(0).min(len - 1);
        let mut offset = offset.min(idx);
        offset = offset.max(self.first_row_showing(idx, lines));
        offset.min(self.first_row_showing(len - 1, lines))
    }

    /// The smallest offset at which row `idx` still fits in `lines` lines.
    fn first_row_showing(&self, idx: usize, lines: usize) -> usize {
        let grouped = !self.group_starts.is_empty();
        // The first row on screen always has a heading in a grouped list.
        let mut used = 1 + usize::from(grouped);
        let mut first = idx;
        while first > 0 {
            let row_heading = grouped && self.group_starts.get(first).copied().unwrap_or(false);
            let more = 1 + usize::from(row_heading);
            if used + more > lines {
                break;
            }
            used += more;
            first -= 1;
        }
        first
    }

    /// Recomputes the order from `rows` (filtered, sorted) and keeps the
    /// selection on the same key. If that row is gone, the nearest row of
    /// the previous order that is still shown is selected.
    pub fn rebuild<'r, R, P>(&mut self, rows: impl IntoIterator<Item = &'r R>, spec: &P)
    where
        R: 'r + ?Sized,
        P: RowSpec<R, Key = K, Sort = S>,
    {
        let filter = Filter::parse(&self.filter);
        let (sort, direction) = (self.sort, self.direction);
        let by_column = |a: &R, b: &R| {
            let order = spec.compare(a, b, sort);
            let order = match direction {
                Direction::Natural => order,
                Direction::Reversed => order.reverse(),
            };
            spec.sorts_last(a, sort)
                .cmp(&spec.sorts_last(b, sort))
                .then(order)
        };
        // Without a filter every row ranks alike: sort bare references,
        // which is most lists most of the time, and half the data to move.
        let (kept, ranks): (Vec<&R>, Vec<Rank>) = if filter.is_empty() {
            let mut kept: Vec<&R> = rows.into_iter().collect();
            // A stable sort: rows a column calls equal keep the source's
            // order. The column is compared only when the groups tie.
            kept.sort_by(|a, b| spec.group_cmp(a, b).then_with(|| by_column(a, b)));
            let ranks = vec![0; kept.len()];
            (kept, ranks)
        } else {
            let mut fields = Fields::default();
            let mut ranked: Vec<(Rank, &R)> = rows
                .into_iter()
                .filter_map(|r| {
                    fields.clear();
                    spec.fields(r, &mut fields);
                    filter.rank(&fields).map(|rank| (rank, r))
                })
                .collect();
            // Best matches first, then the groups and the column.
            ranked.sort_by(|(rank_a, a), (rank_b, b)| {
                rank_a
                    .cmp(rank_b)
                    .then_with(|| spec.group_cmp(a, b))
                    .then_with(|| by_column(a, b))
            });
            ranked.into_iter().map(|(rank, r)| (r, rank)).unzip()
        };
        self.group_starts = if spec.grouped() {
            let mut starts = Vec::with_capacity(kept.len());
            for (i, row) in kept.iter().enumerate() {
                let start = i == 0 || spec.group_cmp(kept[i - 1], row) != Ordering::Equal;
                starts.push(start);
            }
            starts
        } else {
            Vec::new()
        };
        let order: Vec<K> = kept.into_iter().map(|r| spec.key(r)).collect();
        let kept_row = self.set_order(order);
        if std::mem::take(&mut self.refilter) {
            self.select_best_match(&ranks, kept_row);
        }
    }

    /// After the filter changed: typing `/fz-long` then `Enter` `l` must
    /// open fz-long, not a row that was selected before and merely still
    /// matches worse. The selection stays put only on a row as good as
    /// the best; it is kept when the filter is cleared (all rows equal).
    fn select_best_match(&mut self, ranks: &[Rank], kept_row: bool) {
        let (Some(&best), Some(i)) = (ranks.first(), self.selected) else {
            return;
        };
        if !kept_row || ranks.get(i) != Some(&best) {
            self.selected = Some(0);
            self.scroll_into_view();
        }
    }

    /// Sets the order directly (rows a pane already has in display order,
    /// ungrouped) with the same selection rules as [`ListState::rebuild`].
    pub fn replace_order(&mut self, order: Vec<K>) {
        self.group_starts.clear();
        self.set_order(order);
    }

    /// Returns whether the selection is still on its row (or there was
    /// none), rather than on a neighbour or nothing.
    /// For an ungrouped list that grows at its top and is trimmed
    /// anywhere (the timeline: new entries are the newest, evicted ones
    /// the oldest): `newest` goes on top, `gone` rows leave, the selection
    /// is kept as `rebuild` keeps it, and nothing is sorted again.
    pub fn follow(&mut self, newest: Vec<K>, gone: impl Fn(&K) -> bool) {
        self.group_starts.clear();
        // The selected row, or the nearest one kept (below first), found
        // while the survivors are copied: no search of the whole list.
        let keep = self
            .selected
            .filter(|_| self.hidden.is_none())
            .and_then(|was| {
                (was..self.order.len())
                    .find(|&i| !gone(&self.order[i]))
                    .or_else(|| (0..was).rev().find(|&i| !gone(&self.order[i])))
            });
        let Some(keep) = keep else {
            let mut order = newest;
            order.extend(self.order.iter().filter(|k| !gone(k)).cloned());
            self.set_order(order);
            return;
        };
        let mut order = newest;
        order.reserve(self.order.len());
        for (i, k) in std::mem::take(&mut self.order).into_iter().enumerate() {
            if i == keep {
                self.selected = Some(order.len());
            }
            if !gone(&k) {
                order.push(k);
            }
        }
        self.order = order;
        self.scroll_into_view();
    }

    fn set_order(&mut self, order: Vec<K>) -> bool {
        let previous = std::mem::replace(&mut self.order, order);
        let wanted = self
            .selected
            .and_then(|i| previous.get(i))
            .or(self.hidden.as_ref())
            .cloned();
        self.selected = self.reselect(&previous, wanted.as_ref());
        let kept_row = match (&wanted, self.selected) {
            (None, _) => true,
            (Some(w), Some(i)) => self.order.get(i) == Some(w),
            (Some(_), None) => false,
        };
        self.hidden = match self.selected {
            None => wanted,
            Some(_) => None,
        };
        self.scroll_into_view();
        kept_row
    }

    fn reselect(&self, previous: &[K], wanted: Option<&K>) -> Option<usize> {
        if self.order.is_empty() {
            return None;
        }
        let Some(wanted) = wanted else {
            return Some(0);
        };
        if let Some(i) = self.order.iter().position(|k| k == wanted) {
            return Some(i);
        }
        let Some(was) = previous.iter().position(|k| k == wanted) else {
            return Some(0);
        };
        let now: HashMap<&K, usize> = self.order.iter().enumerate().map(|(i, k)| (k, i)).collect();
        // The row below first: it is the one that moves into the gap.
        for distance in 1..previous.len() {
            let below = previous.get(was + distance);
            let above = was.checked_sub(distance).and_then(|i| previous.get(i));
            for candidate in [below, above].into_iter().flatten() {
                if let Some(&i) = now.get(candidate) {
                    return Some(i);
                }
            }
        }
        Some(0)
    }
}

#[cfg(test)]
#[path = "list_tests.rs"]
mod tests;
