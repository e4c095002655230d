//! Case-insensitive substring search, kept up to date incrementally.
//!
//! The search keeps, for each line with matches, its sequence number and the
//! running total of matches up to it. New lines are scanned once when the
//! view syncs (O(new lines)); lines leaving the ring pop off the front. A
//! match count, the current index and the next/previous match are then
//! O(log lines-with-matches); positions inside a line are only computed for
//! the lines being drawn.

use std::collections::VecDeque;

use super::buffer::LogBuffer;

/// Folds case per character; multi-character lowercases (rare) are compared
/// unfolded.
fn fold(ch: char) -> char {
    let mut lower = ch.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => ch,
    }
}

pub(crate) enum Matcher {
    /// ASCII needle, lowercased: compared bytewise ignoring ASCII case, which
    /// can never match inside a multi-byte character.
    Ascii(Vec<u8>),
    Unicode(Vec<char>),
}

impl Matcher {
    pub fn new(query: &str) -> Option<Matcher> {
        if query.is_empty() {
            None
        } else if query.is_ascii() {
            Some(Matcher::Ascii(
                query.bytes().map(|b| b.to_ascii_lowercase()).collect(),
            ))
        } else {
            Some(Matcher::Unicode(query.chars().map(fold).collect()))
        }
    }

    /// Calls `f(start, end)` for each non-overlapping match, left to right;
    /// stops early when `f` returns false.
    pub fn for_each(&self, hay: &str, mut f: impl FnMut(usize, usize) -> bool) {
        match self {
            Matcher::Ascii(needle) => {
                let (Some(&first), h) = (needle.first(), hay.as_bytes()) else {
                    return;
                };
                let upper = first.to_ascii_uppercase();
                let mut i = 0;
                while i + needle.len() <= h.len() {
                    let Some(rel) = h
                        .get(i..=h.len() - needle.len())
                        .and_then(|w| w.iter().position(|&b| b == first || b == upper))
                    else {
                        return;
                    };
                    let at = i + rel;
                    let end = at + needle.len();
                    if h.get(at..end)
                        .is_some_and(|w| w.eq_ignore_ascii_case(needle))
                    {
                        if !f(at, end) {
                            return;
                        }
                        i = end;
                    } else {
                        i = at + 1;
                    }
                }
            }
            Matcher::Unicode(needle) => {
                let mut skip_until = 0;
                for (at, _) in hay.char_indices() {
                    if at < skip_until {
                        continue;
                    }
                    let Some(tail) = hay.get(at..) else { return };
                    let mut chars = tail.char_indices();
                    let matched = needle
                        .iter()
                        .all(|n| chars.next().is_some_and(|(_, c)| fold(c) == *n));
                    if matched {
                        let len = chars.next().map_or(tail.len(), |(i, _)| i);
                        if !f(at, at + len) {
                            return;
                        }
                        skip_until = at + len;
                    }
                }
            }
        }
    }

    pub fn count(&self, hay: &str) -> u64 {
        let mut n = 0;
        self.for_each(hay, |_, _| {
            n += 1;
            true
        });
        n
    }

    pub fn ranges(&self, hay: &str) -> Vec<(usize, usize)> {
        let mut v = Vec::new();
        self.for_each(hay, |s, e| {
            v.push((s, e));
            true
        });
        v
    }

    /// Byte range of the `nth` match in `hay`.
    pub fn nth(&self, hay: &str, nth: u64) -> Option<(usize, usize)> {
        let mut i = 0;
        let mut found = None;
        self.for_each(hay, |s, e| {
            if i == nth {
                found = Some((s, e));
                return false;
            }
            i += 1;
            true
        });
        found
    }
}

#[derive(Clone, Copy)]
struct Hit {
    seq: u64,
    /// Matches in all kept-or-dropped lines up to and including this one.
    cum: u64,
}

/// A match: the line and which match within it (0-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MatchPos {
    pub seq: u64,
    pub nth: u64,
}

#[derive(Default)]
pub(crate) struct Search {
    query: String,
    matcher: Option<Matcher>,
    hits: VecDeque<Hit>,
    /// `cum` of the last hit that left the ring.
    base: u64,
    scanned_to: u64,
    pub current: Option<MatchPos>,
}

impl Search {
    pub fn query(&self) -> &str {
        &self.query
    }

    pub fn matcher(&self) -> Option<&Matcher> {
        self.matcher.as_ref()
    }

    pub fn set_query(&mut self, log: &LogBuffer, query: &str) {
        let narrowing = !self.query.is_empty()
            && query.to_lowercase().contains(&self.query.to_lowercase())
            && self.scanned_to <= log.end_seq();
        self.query = query.to_owned();
        self.matcher = Matcher::new(query);
        self.current = None;
        let Some(m) = &self.matcher else {
            self.hits.clear();
            return;
        };
        if narrowing {
            // Every line matching the longer query matched the shorter one.
            let old = std::mem::take(&mut self.hits);
            let mut cum = 0;
            for h in old {
                let n = log.get(h.seq).map_or(0, |l| m.count(l.text()));
                if n > 0 {
                    cum += n;
                    self.hits.push_back(Hit { seq: h.seq, cum });
                }
            }
            self.base = 0;
        } else {
            self.hits.clear();
            self.base = 0;
            self.scanned_to = log.first_seq();
        }
        self.sync(log);
    }

    /// Catches up with lines added and dropped since the last call.
    pub fn sync(&mut self, log: &LogBuffer) {
        if self.scanned_to > log.end_seq() {
            // Not the buffer this search was built on: start over.
            self.hits.clear();
            self.base = 0;
            self.scanned_to = log.first_seq();
            self.current = None;
        }
        while let Some(h) = self.hits.front().copied()
            && h.seq < log.first_seq()
        {
            self.base = h.cum;
            self.hits.pop_front();
        }
        if self.current.is_some_and(|c| c.seq < log.first_seq()) {
            self.current = None;
        }
        self.scanned_to = self.scanned_to.max(log.first_seq());
        let Some(m) = &self.matcher else {
            self.scanned_to = log.end_seq();
            return;
        };
        let mut cum = self.hits.back().map_or(self.base, |h| h.cum);
        for seq in self.scanned_to..log.end_seq() {
            let n = log.get(seq).map_or(0, |l| m.count(l.text()));
            if n > 0 {
                cum += n;
                self.hits.push_back(Hit { seq, cum });
            }
        }
        self.scanned_to = log.end_seq();
    }

    /// Lines holding at least one match.
    pub fn hit_lines(&self) -> usize {
        self.hits.len()
    }

    pub fn total(&self) -> u64 {
        self.hits.back().map_or(0, |h| h.cum - self.base)
    }

    fn cum_before(&self, idx: usize) -> u64 {
        idx.checked_sub(1)
            .and_then(|i| self.hits.get(i))
            .map_or(self.base, |h| h.cum)
    }

    fn count_at(&self, idx: usize) -> u64 {
        self.hits
            .get(idx)
            .map_or(0, |h| h.cum - self.cum_before(idx))
    }

    fn index_of_seq(&self, seq: u64) -> Result<usize, usize> {
        self.hits.binary_search_by_key(&seq, |h| h.seq)
    }

    /// 0-based index of the current match among all matches.
    pub fn current_index(&self) -> Option<u64> {
        let c = self.current?;
        let idx = self.index_of_seq(c.seq).ok()?;
        Some(self.cum_before(idx) - self.base + c.nth)
    }

    /// Matches in line `seq` (0 when none).
    pub fn count_in(&self, seq: u64) -> u64 {
        self.index_of_seq(seq).map_or(0, |i| self.count_at(i))
    }

    /// The match after the current one, or the first at/after `from` when
    /// there is no current match; wraps around.
    pub fn next(&self, from: u64) -> Option<MatchPos> {
        let first = self.hits.front()?;
        let idx = match self.current {
            Some(c) => match self.index_of_seq(c.seq) {
                Ok(i) if c.nth + 1 < self.count_at(i) => {
                    return Some(MatchPos {
                        seq: c.seq,
                        nth: c.nth + 1,
                    });
                }
                Ok(i) => i + 1,
                Err(i) => i,
            },
            None => self.hits.partition_point(|h| h.seq < from),
        };
        let seq = self.hits.get(idx).map_or(first.seq, |h| h.seq);
        Some(MatchPos { seq, nth: 0 })
    }

    /// The match before the current one, or the last at/before `from` when
    /// there is no current match; wraps around.
    pub fn prev(&self, from: u64) -> Option<MatchPos> {
        let last_idx = self.hits.len().checked_sub(1)?;
        let idx = match self.current {
            Some(c) => match self.index_of_seq(c.seq) {
                Ok(i) if c.nth > 0 => {
                    return Some(MatchPos {
                        seq: c.seq,
                        nth: (c.nth - 1).min(self.count_at(i).saturating_sub(1)),
                    });
                }
                Ok(i) | Err(i) => i.checked_sub(1),
            },
            None => self.hits.partition_point(|h| h.seq <= from).checked_sub(1),
        };
        let idx = idx.unwrap_or(last_idx);
        let seq = self.hits.get(idx)?.seq;
        Some(MatchPos {
            seq,
            nth: self.count_at(idx).saturating_sub(1),
        })
    }
}
