//! The view's side of filter mode: setting, clearing and reporting it.

use super::buffer::LogBuffer;
use super::filter::{Filter, FilterSpec};
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

    /// Whether `seq` is on screen as a line of its own (not filtered out,
    /// not inside a folded group).
    pub fn is_shown(&self, log: &LogBuffer, seq: u64) -> bool {
        self.nav(log).is_visible(seq)
    }
}
