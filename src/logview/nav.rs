//! Moving through the displayed rows: visible lines (folded groups and
//! `##[endgroup]` lines are skipped), rows per line when wrapping, and
//! anchors (a line plus a row inside it). Every operation costs in proportion
//! to the rows it moves over, never to the size of the buffer.

use std::collections::HashSet;

use super::buffer::{Group, LogBuffer};
use super::filter::Filter;
use super::layout::LineParts;
use super::line::{LineKind, LogFormat};

/// A display row: row `row` of the wrapped line `seq`. Ordered like the
/// screen is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub(crate) struct Anchor {
    pub seq: u64,
    pub row: usize,
}

pub(crate) struct Nav<'a> {
    pub log: &'a LogBuffer,
    pub expanded: &'a HashSet<u64>,
    /// While a filter is on, it alone decides what is shown: folds are set
    /// aside so a match inside a folded group is not hidden.
    pub filter: Option<&'a Filter>,
    pub wrap: bool,
    pub show_ts: bool,
    pub ascii: bool,
    /// Columns for the line content (after the gutter).
    pub width: usize,
}

impl Nav<'_> {
    pub fn folded(&self, g: &Group) -> bool {
        self.filter.is_none()
            && self.log.format() == LogFormat::GitHubActions
            && !self.expanded.contains(&g.start)
    }

    fn kind(&self, seq: u64) -> LineKind {
        self.log.get(seq).map_or(LineKind::Normal, |l| l.kind())
    }

    /// The folded group hiding `seq`, if any.
    pub fn folded_group_of(&self, seq: u64) -> Option<Group> {
        self.log.group_containing(seq).filter(|g| self.folded(g))
    }

    pub fn is_visible(&self, seq: u64) -> bool {
        let in_ring = seq >= self.log.first_seq() && seq < self.log.end_seq();
        if let Some(f) = self.filter {
            return in_ring && f.shows(seq) && self.kind(seq) != LineKind::GroupEnd;
        }
        in_ring && self.kind(seq) != LineKind::GroupEnd && self.folded_group_of(seq).is_none()
    }

    pub fn next_visible(&self, seq: u64) -> Option<u64> {
        let mut c = seq.checked_add(1)?.max(self.log.first_seq());
        if let Some(f) = self.filter {
            // A group's closing marker has no text: never a line of context.
            loop {
                c = f.next_shown(c, self.log.end_seq())?;
                if self.kind(c) != LineKind::GroupEnd {
                    return Some(c);
                }
                c += 1;
            }
        }
        loop {
            if c >= self.log.end_seq() {
                return None;
            }
            if let Some(g) = self.folded_group_of(c) {
                c = g.end?.checked_add(1)?;
                continue;
            }
            if self.kind(c) == LineKind::GroupEnd {
                c += 1;
                continue;
            }
            return Some(c);
        }
    }

    pub fn prev_visible(&self, seq: u64) -> Option<u64> {
        let mut c = seq.min(self.log.end_seq());
        if let Some(f) = self.filter {
            loop {
                c = f.prev_shown(c, self.log.first_seq())?;
                if self.kind(c) != LineKind::GroupEnd {
                    return Some(c);
                }
            }
        }
        loop {
            if c <= self.log.first_seq() {
                return None;
            }
            c -= 1;
            if let Some(g) = self.folded_group_of(c) {
                // Groups do not nest, so a header is always visible.
                return Some(g.start);
            }
            if self.kind(c) != LineKind::GroupEnd {
                return Some(c);
            }
        }
    }

    pub fn first_visible(&self) -> Option<u64> {
        let first = self.log.first_seq();
        if self.is_visible(first) {
            Some(first)
        } else {
            self.next_visible(first)
        }
    }

    pub fn last_visible(&self) -> Option<u64> {
        self.prev_visible(self.log.end_seq())
    }

    pub fn rows(&self, seq: u64) -> usize {
        if !self.wrap || self.width == 0 {
            return 1;
        }
        self.log.get(seq).map_or(1, |line| {
            LineParts::new(self.log, line, self.show_ts, self.ascii).rows(self.width)
        })
    }

    /// The nearest visible anchor: a dropped line moves to the first line, a
    /// hidden one to its group header, a row past the end to the last row.
    pub fn normalize(&self, a: Anchor) -> Option<Anchor> {
        let seq = if a.seq < self.log.first_seq() {
            return self.first_visible().map(|seq| Anchor { seq, row: 0 });
        } else if a.seq >= self.log.end_seq() {
            let seq = self.last_visible()?;
            return Some(Anchor {
                seq,
                row: self.rows(seq) - 1,
            });
        } else if let Some(g) = self.folded_group_of(a.seq) {
            return Some(Anchor {
                seq: g.start,
                row: 0,
            });
        } else if self.is_visible(a.seq) {
            a.seq
        } else {
            match self.next_visible(a.seq) {
                Some(s) => s,
                None => self.prev_visible(a.seq)?,
            }
        };
        let row = if seq == a.seq { a.row } else { 0 };
        Some(Anchor {
            seq,
            row: row.min(self.rows(seq) - 1),
        })
    }

    /// `n` rows further down, stopping at the last row.
    pub fn advance(&self, mut a: Anchor, mut n: usize) -> Anchor {
        while n > 0 {
            let rows = self.rows(a.seq);
            if a.row + n < rows {
                a.row += n;
                return a;
            }
            match self.next_visible(a.seq) {
                Some(seq) => {
                    n -= rows - a.row;
                    a = Anchor { seq, row: 0 };
                }
                None => {
                    a.row = rows - 1;
                    return a;
                }
            }
        }
        a
    }

    /// `n` rows further up, stopping at the first row.
    pub fn retreat(&self, mut a: Anchor, mut n: usize) -> Anchor {
        while n > 0 {
            if a.row >= n {
                a.row -= n;
                return a;
            }
            match self.prev_visible(a.seq) {
                Some(seq) => {
                    n -= a.row + 1;
                    a = Anchor {
                        seq,
                        row: self.rows(seq) - 1,
                    };
                }
                None => {
                    a.row = 0;
                    return a;
                }
            }
        }
        a
    }

    /// The top anchor that puts the last row at the bottom of `height` rows.
    pub fn bottom_top(&self, height: usize) -> Option<Anchor> {
        let last = self.last_visible()?;
        let end = Anchor {
            seq: last,
            row: self.rows(last) - 1,
        };
        Some(self.retreat(end, height.saturating_sub(1)))
    }

    /// Rows from `from` down to `to` (0 when equal), if `to` is within
    /// `limit` rows below `from`.
    pub fn distance(&self, from: Anchor, to: Anchor, limit: usize) -> Option<usize> {
        if to < from {
            return None;
        }
        let mut a = from;
        let mut d = 0;
        while d <= limit {
            if a.seq == to.seq {
                let d = d + to.row.checked_sub(a.row)?;
                return (d <= limit).then_some(d);
            }
            d += self.rows(a.seq) - a.row;
            a = Anchor {
                seq: self.next_visible(a.seq)?,
                row: 0,
            };
        }
        None
    }

    /// Whether `top` leaves empty rows below the last line.
    pub fn fills(&self, top: Anchor, height: usize) -> bool {
        let Some(last) = self.last_visible() else {
            return true;
        };
        let end = Anchor {
            seq: last,
            row: self.rows(last) - 1,
        };
        self.distance(top, end, height)
            .is_none_or(|d| d + 1 >= height)
    }
}
