//! Filter mode: only the lines matching a query (or, inverted, the lines
//! not matching it), each with `context` lines around it, as `grep -C N`
//! and `grep -v` print them.
//!
//! Kept up to date like the search: the sequence numbers of the selected
//! lines are kept in order, each new line is tested once when the view
//! syncs, and lines leaving the ring pop off the front. Whether a line is
//! shown, and the next or previous shown line, are then binary searches, so
//! moving through a filtered 200,000-line log costs the rows moved over,
//! never a scan of the hidden lines.

use std::collections::VecDeque;

use super::buffer::LogBuffer;
use super::line::LineKind;
use super::search::Matcher;

/// More context than any screen shows; keeps the arithmetic far from overflow.
const MAX_CONTEXT: u64 = 10_000;

/// What the user asked for at the filter prompt.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FilterSpec {
    /// Case-insensitive substring, as in the search.
    pub query: String,
    /// Show the lines that do NOT match (`grep -v`, less's `&!`).
    pub invert: bool,
    /// Lines shown before and after each selected line (`grep -C N`).
    pub context: u64,
}

impl FilterSpec {
    /// Reads the prompt as a grep or less user types it: leading options
    /// `-v`, `-C N` (also `-C3`, `-vC 3`), `--` to end them, then the
    /// pattern; a pattern starting with `!` is inverted, as less's `&!`.
    /// A dash word that is no option starts the pattern (`-Xmx` finds
    /// `-Xmx`). An option still being typed (`-C` without its number)
    /// leaves the pattern empty, so nothing flashes while typing.
    pub fn parse(text: &str) -> FilterSpec {
        let mut spec = FilterSpec::default();
        let mut rest = text.trim_start();
        loop {
            let word_end = rest.find(' ').unwrap_or(rest.len());
            let (word, after) = rest.split_at(word_end);
            if word == "--" {
                rest = after.trim_start();
                break;
            }
            let Some(flags) = word.strip_prefix('-') else {
                break;
            };
            match parse_flags(flags, after) {
                Flags::Parsed {
                    invert,
                    context,
                    rest: r,
                } => {
                    spec.invert ^= invert;
                    if let Some(c) = context {
                        spec.context = c.min(MAX_CONTEXT);
                    }
                    rest = r.trim_start();
                }
                Flags::Incomplete => return FilterSpec::default(),
                Flags::NotOptions => break,
            }
        }
        if let Some(p) = rest.strip_prefix('!') {
            spec.invert = !spec.invert;
            rest = p;
        }
        spec.query = rest.to_string();
        spec
    }

    /// The prompt text that parses back to this spec.
    pub fn to_prompt(&self) -> String {
        let mut s = String::new();
        if self.context > 0 {
            s.push_str(&format!("-C {} ", self.context));
        }
        if self.invert {
            s.push('!');
        }
        s.push_str(&self.query);
        s
    }
}

enum Flags<'a> {
    Parsed {
        invert: bool,
        context: Option<u64>,
        rest: &'a str,
    },
    Incomplete,
    NotOptions,
}

/// `flags` is a dash word without its dash; `after` what follows it.
fn parse_flags<'a>(flags: &'a str, after: &'a str) -> Flags<'a> {
    if flags.is_empty() {
        return if after.trim().is_empty() {
            Flags::Incomplete
        } else {
            Flags::NotOptions
        };
    }
    let mut invert = false;
    for (i, ch) in flags.char_indices() {
        match ch {
            'v' => invert = !invert,
            'C' => {
                let digits = &flags[i + 1..];
                if !digits.is_empty() {
                    return match digits.parse::<u64>() {
                        Ok(n) => Flags::Parsed {
                            invert,
                            context: Some(n),
                            rest: after,
                        },
                        Err(_) => Flags::NotOptions,
                    };
                }
                let after = after.trim_start();
                let end = after.find(' ').unwrap_or(after.len());
                let (num, rest) = after.split_at(end);
                return match num.parse::<u64>() {
                    Ok(n) => Flags::Parsed {
                        invert,
                        context: Some(n),
                        rest,
                    },
                    Err(_) if num.is_empty() => Flags::Incomplete,
                    Err(_) => Flags::NotOptions,
                };
            }
            _ => return Flags::NotOptions,
        }
    }
    Flags::Parsed {
        invert,
        context: None,
        rest: after,
    }
}

pub(crate) struct Filter {
    pub spec: FilterSpec,
    pub matcher: Matcher,
    /// Lines selected by the query (matching, or not when inverted), in order.
    hits: VecDeque<u64>,
    scanned_to: u64,
}

impl Filter {
    /// None for an empty query: no filter.
    pub fn new(spec: FilterSpec, log: &LogBuffer) -> Option<Filter> {
        let matcher = Matcher::new(&spec.query)?;
        let mut f = Filter {
            spec,
            matcher,
            hits: VecDeque::new(),
            scanned_to: log.first_seq(),
        };
        f.sync(log);
        Some(f)
    }

    fn selects(&self, log: &LogBuffer, seq: u64) -> bool {
        log.get(seq).is_some_and(|l| {
            // The closing marker of a group is never a line of its own.
            l.kind() != LineKind::GroupEnd && (self.matcher.count(l.text()) > 0) != self.spec.invert
        })
    }

    /// Catches up with lines added and dropped since the last call.
    pub fn sync(&mut self, log: &LogBuffer) {
        if self.scanned_to > log.end_seq() {
            // Not the buffer this filter was built on: start over.
            self.hits.clear();
            self.scanned_to = log.first_seq();
        }
        let first = log.first_seq();
        while self
            .hits
            .front()
            .is_some_and(|&h| h.saturating_add(self.spec.context) < first)
        {
            self.hits.pop_front();
        }
        for seq in self.scanned_to.max(first)..log.end_seq() {
            if self.selects(log, seq) {
                self.hits.push_back(seq);
            }
        }
        self.scanned_to = log.end_seq();
    }

    /// Lines the query selected (not counting context lines).
    pub fn count(&self, log: &LogBuffer) -> usize {
        let first = log.first_seq();
        self.hits.len() - self.hits.partition_point(|&h| h < first)
    }

    /// Whether `seq` itself was selected (not only context).
    pub fn is_hit(&self, seq: u64) -> bool {
        self.hits.binary_search(&seq).is_ok()
    }

    /// Whether `seq` is a selected line or within its context.
    pub fn shows(&self, seq: u64) -> bool {
        let c = self.spec.context;
        let i = self.hits.partition_point(|&h| h.saturating_add(c) < seq);
        self.hits
            .get(i)
            .is_some_and(|&h| h.saturating_sub(c) <= seq)
    }

    /// The first shown line in `from..end`.
    pub fn next_shown(&self, from: u64, end: u64) -> Option<u64> {
        let c = self.spec.context;
        let i = self.hits.partition_point(|&h| h.saturating_add(c) < from);
        let h = *self.hits.get(i)?;
        let at = from.max(h.saturating_sub(c));
        (at < end).then_some(at)
    }

    /// The last shown line in `first..before`.
    pub fn prev_shown(&self, before: u64, first: u64) -> Option<u64> {
        let last = before.checked_sub(1)?;
        let c = self.spec.context;
        let i = self
            .hits
            .partition_point(|&h| h.saturating_sub(c) <= last)
            .checked_sub(1)?;
        let h = *self.hits.get(i)?;
        let at = last.min(h.saturating_add(c));
        (at >= first).then_some(at)
    }
}
