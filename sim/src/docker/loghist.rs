//! A bounded per-container log history.
//!
//! Generated lines are stored as their index only and rendered when read,
//! so thousands of chatty containers cost a few bytes per line.

use std::collections::VecDeque;
use std::sync::Arc;

use super::clock::Nanos;
use super::spec::LogStream;

#[derive(Debug, Clone)]
pub(crate) enum LineText {
    /// The n-th generated line of the container's style.
    Gen(u64),
    Lit(Arc<str>),
}

#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub ts: Nanos,
    pub stream: LogStream,
    pub text: LineText,
}

pub(crate) struct LogHistory {
    entries: VecDeque<Entry>,
    /// Sequence number of `entries[0]`; sequence numbers never repeat.
    first_seq: u64,
    cap: usize,
}

impl LogHistory {
    pub(crate) fn new(cap: usize) -> Self {
        LogHistory {
            entries: VecDeque::new(),
            first_seq: 0,
            cap: cap.max(1),
        }
    }

    pub(crate) fn push(&mut self, entry: Entry) {
        if self.entries.len() >= self.cap {
            self.entries.pop_front();
            self.first_seq += 1;
        }
        self.entries.push_back(entry);
    }

    pub(crate) fn next_seq(&self) -> u64 {
        self.first_seq + self.entries.len() as u64
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Up to `max` entries with sequence numbers in `[from, end)`; lines
    /// already dropped from the front are skipped. Returns the entries and
    /// the sequence number to continue from.
    pub(crate) fn range(&self, from: u64, end: u64, max: usize) -> (Vec<Entry>, u64) {
        let start = from.max(self.first_seq);
        let end = end.min(self.next_seq());
        if start >= end {
            return (Vec::new(), from.max(start.min(end)));
        }
        let skip = usize::try_from(start - self.first_seq).unwrap_or(usize::MAX);
        let want = usize::try_from(end - start).unwrap_or(usize::MAX).min(max);
        let out: Vec<Entry> = self.entries.iter().skip(skip).take(want).cloned().collect();
        let next = start + out.len() as u64;
        (out, next)
    }

    pub(crate) fn iter(&self) -> impl DoubleEndedIterator<Item = &Entry> {
        self.entries.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(n: u64) -> Entry {
        Entry {
            ts: n as Nanos,
            stream: LogStream::Stdout,
            text: LineText::Gen(n),
        }
    }

    #[test]
    fn keeps_only_the_newest_lines_and_counts_on() {
        let mut h = LogHistory::new(3);
        for n in 0..5 {
            h.push(line(n));
        }
        assert_eq!(h.len(), 3);
        assert_eq!(h.next_seq(), 5);
        let (got, next) = h.range(0, u64::MAX, 10);
        let ts: Vec<Nanos> = got.iter().map(|e| e.ts).collect();
        assert_eq!(ts, vec![2, 3, 4]);
        assert_eq!(next, 5);
        let (got, next) = h.range(3, 4, 10);
        assert_eq!(got.len(), 1);
        assert_eq!(next, 4);
        let (got, next) = h.range(5, u64::MAX, 10);
        assert!(got.is_empty());
        assert_eq!(next, 5);
    }
}
