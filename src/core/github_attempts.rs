//! The attempts of one run (`run_attempt` 1…n): listed on `a` in a run's
//! jobs, newest first, so an older attempt's jobs and logs can be opened.

use std::cmp::Ordering;

use super::filter::Fields;
use super::github::Run;
use super::ids::StreamId;
use super::list::{ListState, RowSpec};
use super::loadable::Loadable;

/// The attempts list over a run's jobs; Esc goes back to the jobs.
#[derive(Debug)]
pub struct AttemptList {
    /// Replies for another request are dropped.
    pub request: StreamId,
    /// Each attempt as GitHub reports it (`/runs/{id}/attempts/{n}`).
    pub attempts: Loadable<Vec<Run>>,
    pub list: ListState<u32, ()>,
}

impl AttemptList {
    pub fn new(request: StreamId) -> AttemptList {
        AttemptList {
            request,
            attempts: Loadable::Loading { stale: None },
            list: ListState::default(),
        }
    }

    /// Takes the attempts and selects `current` (the one on screen).
    pub fn set(&mut self, mut attempts: Vec<Run>, current: u32) {
        attempts.sort_by_key(|r| std::cmp::Reverse(r.attempt));
        self.list.rebuild(&attempts, &AttemptRows);
        self.list.select(&current);
        self.attempts = Loadable::Loaded(attempts);
    }

    pub fn selected(&self) -> Option<&Run> {
        let n = self.list.selected()?;
        self.attempts.data()?.iter().find(|r| r.attempt == *n)
    }
}

struct AttemptRows;

impl RowSpec<Run> for AttemptRows {
    type Key = u32;
    type Sort = ();

    fn key(&self, r: &Run) -> u32 {
        r.attempt
    }

    fn fields(&self, r: &Run, out: &mut Fields) {
        out.name(&format!("attempt {}", r.attempt));
        out.field(&["status", "state", "conclusion"], r.word());
        out.field(&["actor", "user"], &r.actor);
    }

    fn compare(&self, _: &Run, _: &Run, _: ()) -> Ordering {
        // Kept as given: newest attempt first.
        Ordering::Equal
    }
}
