//! What the user is looking at: follow/paused, scroll position, wrap,
//! timestamps, search, folds and the cursor line.

use std::collections::HashSet;

use super::buffer::LogBuffer;
use super::filter::Filter;
use super::layout::LineParts;
use super::line::LogFormat;
use super::nav::{Anchor, Nav};
use super::search::{MatchPos, Search};

/// Viewport size assumed before the first render.
const DEFAULT_SIZE: (usize, usize) = (80, 24);

/// For a status line: `current` is 1-based.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SearchStatus {
    pub current: Option<u64>,
    pub total: u64,
}

/// View state of one log pane; keep one per [`LogBuffer`] (or call
/// [`LogViewState::reset`] when the buffer is replaced).
///
/// Scrolling is by display rows (a wrapped line has several). The position
/// is anchored on a line's sequence number, so lines arriving while paused
/// do not move the view, and lines dropped from the ring front only move it
/// when the top line itself was dropped.
pub struct LogViewState {
    pub(crate) follow: bool,
    pub(crate) top: Anchor,
    pub(crate) wrap: bool,
    pub(crate) show_timestamps: bool,
    pub(crate) h_offset: usize,
    pub(crate) cursor: Option<u64>,
    /// The screen row the cursor line started on in the last render.
    pub(crate) cursor_row: Option<usize>,
    pub(crate) expanded: HashSet<u64>,
    pub(crate) search: Search,
    /// Filter mode (`&`): only matching lines and their context are shown.
    pub(crate) filter: Option<Filter>,
    /// Content columns and rows of the last render.
    pub(crate) size: (usize, usize),
    pub(crate) ascii: bool,
}

impl Default for LogViewState {
    fn default() -> Self {
        LogViewState {
            follow: true,
            top: Anchor::default(),
            wrap: false,
            show_timestamps: false,
            h_offset: 0,
            cursor: None,
            cursor_row: None,
            expanded: HashSet::new(),
            search: Search::default(),
            filter: None,
            size: DEFAULT_SIZE,
            ascii: false,
        }
    }
}

impl LogViewState {
    pub fn new() -> LogViewState {
        LogViewState::default()
    }

    /// Back to following, no search, folds closed.
    pub fn reset(&mut self) {
        let (wrap, ts, size, ascii) = (self.wrap, self.show_timestamps, self.size, self.ascii);
        *self = LogViewState {
            wrap,
            show_timestamps: ts,
            size,
            ascii,
            ..LogViewState::default()
        };
    }

    pub(crate) fn nav<'a>(&'a self, log: &'a LogBuffer) -> Nav<'a> {
        Nav {
            log,
            expanded: &self.expanded,
            filter: self.filter.as_ref(),
            wrap: self.wrap,
            show_ts: self.show_timestamps,
            ascii: self.ascii,
            width: self.size.0,
        }
    }

    fn height(&self) -> usize {
        self.size.1.max(1)
    }

    /// The top row shown (computed from the bottom while following).
    pub(crate) fn resolve_top(&self, log: &LogBuffer) -> Option<Anchor> {
        let nav = self.nav(log);
        if self.follow {
            return nav.bottom_top(self.height());
        }
        let top = nav.normalize(self.top)?;
        if nav.fills(top, self.height()) {
            Some(top)
        } else {
            nav.bottom_top(self.height())
        }
    }

    /// Stops following where the view is. The cursor appears on the last
    /// line, where the eye was, so Space and `y` act on a line one can see.
    pub(crate) fn pause(&mut self, log: &LogBuffer) {
        if self.follow {
            self.top = self.resolve_top(log).unwrap_or_default();
            self.follow = false;
            if self.cursor.is_none() {
                self.cursor = self.nav(log).last_visible();
            }
        }
    }

    /// Pauses a following view where it is, or resumes following at the end.
    pub fn toggle_follow(&mut self, log: &LogBuffer) {
        if self.follow {
            self.pause(log);
        } else {
            self.bottom();
        }
    }

    pub fn is_following(&self) -> bool {
        self.follow
    }

    /// Jump to the end and follow new lines.
    pub fn bottom(&mut self) {
        self.follow = true;
        self.cursor = None;
        self.h_offset = 0;
    }

    pub fn top(&mut self, log: &LogBuffer) {
        self.follow = false;
        self.h_offset = 0;
        self.top = self
            .nav(log)
            .first_visible()
            .map_or(Anchor::default(), |seq| Anchor { seq, row: 0 });
    }

    /// Scrolls up `n` rows; pauses following.
    pub fn scroll_up(&mut self, log: &LogBuffer, n: usize) {
        self.pause(log);
        let top = self.resolve_top(log).unwrap_or_default();
        self.top = self.nav(log).retreat(top, n);
    }

    /// Scrolls down `n` rows; reaching the end resumes following.
    pub fn scroll_down(&mut self, log: &LogBuffer, n: usize) {
        if self.follow {
            return;
        }
        let nav = self.nav(log);
        let Some(top) = self.resolve_top(log) else {
            return;
        };
        let moved = nav.advance(top, n);
        match nav.bottom_top(self.height()) {
            Some(last_page) if moved >= last_page => {
                self.follow = true;
                self.cursor = None;
            }
            _ => self.top = moved,
        }
    }

    pub fn page_up(&mut self, log: &LogBuffer) {
        self.scroll_up(log, self.height());
    }

    pub fn page_down(&mut self, log: &LogBuffer) {
        self.scroll_down(log, self.height());
    }

    /// Columns of horizontal scroll when not wrapping.
    pub fn scroll_right(&mut self, n: usize) {
        if !self.wrap {
            self.h_offset = self.h_offset.saturating_add(n);
        }
    }

    pub fn scroll_left(&mut self, n: usize) {
        self.h_offset = self.h_offset.saturating_sub(n);
    }

    pub fn h_offset(&self) -> usize {
        self.h_offset
    }

    pub fn wrap(&self) -> bool {
        self.wrap
    }

    pub fn set_wrap(&mut self, on: bool) {
        self.wrap = on;
        self.top.row = 0;
        self.h_offset = 0;
    }

    pub fn toggle_wrap(&mut self) {
        self.set_wrap(!self.wrap);
    }

    pub fn show_timestamps(&self) -> bool {
        self.show_timestamps
    }

    pub fn set_show_timestamps(&mut self, on: bool) {
        self.show_timestamps = on;
        self.top.row = 0;
    }

    pub fn toggle_timestamps(&mut self) {
        self.set_show_timestamps(!self.show_timestamps);
    }

    /// The selected line (set by cursor moves and jumps; `None` while
    /// following).
    pub fn cursor(&self) -> Option<u64> {
        self.cursor
    }

    /// The row (from the top of the log area) the cursor line was drawn
    /// on by the last render, for a marker beside it; None while following
    /// or when it was not on screen.
    pub fn cursor_row(&self) -> Option<usize> {
        self.cursor_row
    }

    fn cursor_or_top(&self, log: &LogBuffer) -> Option<u64> {
        let nav = self.nav(log);
        match self.cursor.filter(|&c| nav.is_visible(c)) {
            Some(c) => Some(c),
            None => self.resolve_top(log).map(|a| a.seq),
        }
    }

    pub fn cursor_down(&mut self, log: &LogBuffer, n: usize) {
        self.move_cursor(log, n, true);
    }

    pub fn cursor_up(&mut self, log: &LogBuffer, n: usize) {
        self.move_cursor(log, n, false);
    }

    fn move_cursor(&mut self, log: &LogBuffer, n: usize, down: bool) {
        // A following view is looking at its last line: the cursor starts there.
        let start = match self.cursor {
            None if self.follow => self.nav(log).last_visible(),
            _ => self.cursor_or_top(log),
        };
        let Some(mut c) = start else {
            return;
        };
        self.pause(log);
        let nav = self.nav(log);
        for _ in 0..n {
            let next = if down {
                nav.next_visible(c)
            } else {
                nav.prev_visible(c)
            };
            match next {
                Some(s) => c = s,
                None => break,
            }
        }
        self.cursor = Some(c);
        let context = if down {
            self.height().saturating_sub(1)
        } else {
            0
        };
        let rows = self.nav(log).rows(c);
        let target = Anchor {
            seq: c,
            row: if down { rows - 1 } else { 0 },
        };
        self.reveal(log, target, context);
    }

    /// Scrolls the least needed to show `target`; when it is off screen it
    /// lands `context` rows below the top.
    pub(crate) fn reveal(&mut self, log: &LogBuffer, target: Anchor, context: usize) {
        self.pause(log);
        let top = self.resolve_top(log).unwrap_or_default();
        let nav = self.nav(log);
        if nav.distance(top, target, self.height() - 1).is_some() {
            self.top = top;
        } else {
            self.top = nav.retreat(target, context);
        }
    }

    /// Jumps to a line (and a byte of its message): unfolds its group,
    /// selects it and scrolls it into view.
    pub(crate) fn jump_to(&mut self, log: &LogBuffer, seq: u64, msg_off: usize) {
        if let Some(g) = self.nav(log).folded_group_of(seq) {
            self.expanded.insert(g.start);
        }
        self.cursor = Some(seq);
        let Some(line) = log.get(seq) else { return };
        let (width, wrap) = (self.size.0, self.wrap);
        let (row, col) = LineParts::new(log, line, self.show_timestamps, self.ascii).locate(
            width.max(1),
            wrap,
            msg_off,
        );
        if !wrap {
            // Keep the match in the middle third when it is off screen.
            if col < self.h_offset || col >= self.h_offset + width.max(1) {
                self.h_offset = col.saturating_sub(width / 3);
            }
        }
        let context = self.height() / 3;
        self.reveal(log, Anchor { seq, row }, context);
    }

    /// Sets the search query (case-insensitive substring of the sanitized
    /// message). Does not move; call `next_match` to jump. Returns the
    /// number of matches.
    pub fn set_query(&mut self, log: &LogBuffer, query: &str) -> u64 {
        self.search.set_query(log, query);
        self.search.total()
    }

    pub fn clear_query(&mut self) {
        self.search = Search::default();
    }

    pub fn query(&self) -> &str {
        self.search.query()
    }

    /// Match count and current match, synced with the buffer.
    pub fn search_status(&mut self, log: &LogBuffer) -> SearchStatus {
        self.search.sync(log);
        SearchStatus {
            current: self.search.current_index().map(|i| i + 1),
            total: self.search.total(),
        }
    }

    /// The current match, if any.
    pub fn current_match(&self) -> Option<MatchPos> {
        self.search.current
    }

    /// Jumps to the next match (wrapping). Returns false when there is none.
    pub fn next_match(&mut self, log: &LogBuffer) -> bool {
        self.search.sync(log);
        let from = self.cursor_or_top(log).unwrap_or(log.first_seq());
        let Some(m) = self.shown_match(log, true, |s| s.next(from)) else {
            return false;
        };
        self.go_to_match(log, m);
        true
    }

    /// Jumps to the previous match (wrapping).
    pub fn prev_match(&mut self, log: &LogBuffer) -> bool {
        self.search.sync(log);
        let from = self.cursor_or_top(log).unwrap_or(log.end_seq());
        let Some(m) = self.shown_match(log, false, |s| s.prev(from)) else {
            return false;
        };
        self.go_to_match(log, m);
        true
    }

    fn go_to_match(&mut self, log: &LogBuffer, m: MatchPos) {
        self.search.current = Some(m);
        let off = match (self.search.matcher(), log.get(m.seq)) {
            (Some(matcher), Some(line)) => matcher.nth(line.text(), m.nth).map_or(0, |r| r.0),
            _ => 0,
        };
        self.jump_to(log, m.seq, off);
    }

    /// Jumps to the first `##[error]` line still in the buffer.
    pub fn first_error(&mut self, log: &LogBuffer) -> bool {
        let Some(&seq) = log.error_lines().front() else {
            return false;
        };
        self.jump_to(log, seq, 0);
        true
    }

    /// Folds or unfolds the group at the cursor (its header or a line in
    /// it). A following view pauses first, so the cursor it acts at shows.
    /// Returns whether a group was toggled.
    pub fn toggle_fold_at_cursor(&mut self, log: &LogBuffer) -> bool {
        // Folds are set aside while a filter is on.
        if log.format() != LogFormat::GitHubActions || self.filter.is_some() {
            return false;
        }
        self.pause(log);
        let Some(at) = self.cursor_or_top(log) else {
            return false;
        };
        let group = log.group_at(at).or_else(|| log.group_containing(at));
        let Some(g) = group else {
            return false;
        };
        if !self.expanded.remove(&g.start) {
            self.expanded.insert(g.start);
        }
        if self.cursor.is_some() {
            self.cursor = Some(g.start);
        }
        if !self.follow
            && self.top.seq > g.start
            && self.nav(log).folded_group_of(self.top.seq).is_some()
        {
            self.top = Anchor {
                seq: g.start,
                row: 0,
            };
        }
        true
    }

    pub fn is_folded(&self, log: &LogBuffer, group_start: u64) -> bool {
        log.group_at(group_start)
            .is_some_and(|g| self.nav(log).folded(&g))
    }

    pub fn expand_all(&mut self, log: &LogBuffer) {
        self.expanded.extend(log.groups().map(|g| g.start));
    }

    pub fn collapse_all(&mut self) {
        self.expanded.clear();
    }

    /// Called by render: the content area and forgetting folds of groups
    /// that left the ring.
    pub(crate) fn sync(&mut self, log: &LogBuffer, width: usize, height: usize, ascii: bool) {
        self.size = (width, height);
        self.ascii = ascii;
        self.search.sync(log);
        if let Some(f) = self.filter.as_mut() {
            f.sync(log);
        }
        if self.expanded.len() > 64 {
            let first = log.first_seq();
            self.expanded.retain(|&s| s >= first);
        }
        if self.follow {
            self.cursor = None;
        }
    }
}
