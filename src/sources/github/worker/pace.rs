//! The poll intervals under the rate budget: the worker's side of
//! [`super::budget`], which does the planning.

use std::time::Duration;

use super::{Pace, Worker};

impl Worker {
    /// `base` stretched by the budget: counted requests per second that
    /// polling would spend at the base intervals, against what is left.
    pub(super) fn planned(&mut self, base: Duration) -> Duration {
        let rate_of = |cost: f64, active: bool| {
            let every = if active {
                self.poll_active
            } else {
                self.poll_idle
            };
            cost / every.as_secs_f64().max(0.001)
        };
        let demand: f64 = self
            .repos
            .iter()
            .map(|r| rate_of(r.cost, r.active))
            .chain(self.jobs.iter().map(|j| rate_of(j.cost, j.active)))
            .sum();
        let now = chrono::Utc::now();
        let pace = self.budget.pace(now, demand);
        if pace != self.pace {
            let slower =
                |p: Pace| matches!(p, Pace::Hold(_)) || matches!(p, Pace::Stretch(by) if by >= 1.5);
            // The change of regime is logged, not every re-plan.
            if slower(pace) != slower(self.pace)
                || matches!(pace, Pace::Hold(_)) != matches!(self.pace, Pace::Hold(_))
            {
                let left = self.budget.rate().map(|r| r.remaining);
                tracing::info!(
                    ?pace,
                    ?left,
                    "GitHub polling pace changed to save the rate limit"
                );
            }
            self.pace = pace;
        }
        pace.interval(base, self.budget.until_reset(now))
    }
}
