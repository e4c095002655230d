//! The view's side of filter mode: setting, clearing and reporting it.

use super::buffer::LogBuffer;
use super::filter::{Filter, FilterSpec};
use super::search::{MatchPos, Search};
use super::view::LogViewState;

impl LogViewState {
    /// Shows only the lines `spec` selects (with its context); an empty
    /// query turns the filter off. A paused view stays near where it was
    /// (its top moves to the next shown line). Returns the number of lines
    /// the query selected.
    pub fn set_filter(&mut self, log: &LogBuffer, spec: FilterSpec) -> usize {
        if self.filter.as_ref().is_some_and(|f| f.spec == spec) {
            return self.filter_count(log);
        }
        self.filter = Filter::new(spec, log);
        self.top.row = 0;
        self.filter_count(log)
    }

    pub fn clear_filter(&mut self) {
        self.filter = None;
        self.top.row = 0;
    }

    /// The filter in force, if any.
    pub fn filter(&self) -> Option<&FilterSpec> {
        self.filter.as_ref().map(|f| &f.spec)
    }

    /// Lines the filter selected, synced with the buffer (0 without one).
    pub fn filter_count(&mut self, log: &LogBuffer) -> usize {
        match self.filter.as_mut() {
            Some(f) => {
                f.sync(log);
                f.count(log)
            }
            None => 0,
        }
    }

    /// The last line a following view shows (the newest one the filter
    /// lets through).
    pub fn last_shown(&self, log: &LogBuffer) -> Option<u64> {
        self.nav(log).last_visible()
    }

    /// Whether `seq` is on screen as a line of its own (not filtered out,
    /// not inside a folded group).
    pub fn is_shown(&self, log: &LogBuffer, seq: u64) -> bool {
        self.nav(log).is_visible(seq)
    }

    /// The match `step` finds, passing over lines the filter hides (a
    /// folded match is unfolded instead, by `jump_to`). Costs at most one
    /// step per line with matches, on a key press, never per frame.
    pub(crate) fn shown_match(
        &mut self,
        log: &LogBuffer,
        forward: bool,
        step: impl Fn(&Search) -> Option<MatchPos>,
    ) -> Option<MatchPos> {
        let saved = self.search.current;
        let mut m = step(&self.search)?;
        if self.filter.is_none() {
            return Some(m);
        }
        for _ in 0..=self.search.hit_lines() {
            if self.nav(log).is_visible(m.seq) {
                self.search.current = saved;
                return Some(m);
            }
            // Past every match of this hidden line at once.
            let nth = if forward {
                self.search.count_in(m.seq).saturating_sub(1)
            } else {
                0
            };
            self.search.current = Some(MatchPos { seq: m.seq, nth });
            match step(&self.search) {
                Some(next) => m = next,
                None => break,
            }
        }
        self.search.current = saved;
        None
    }
}
