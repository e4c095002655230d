//! The poll intervals under the rate budget: the worker's side of
//! [`super::budget`], which does the planning.

use std::time::Duration;

use super::{Pace, Worker};

impl Worker {
    /// `base` stretched by the budget: counted requests per second that
    /// polling would spend at the base intervals, against what is left.
    pub(super) fn planned(&mut self, base: Duration) -> Duration {
        let demand = self.demand();
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
            // Only a real slow-down: small moves of the plan must not push
            // every poll out again at each answer.
            let slowed = factor(pace) > 1.5 * factor(self.pace);
            self.pace = pace;
            // Polls planned at the old pace would spend what the new one
            // saves: they move out to the new interval. An action's own
            // poll (`again`) is set after this and still goes.
            if slowed {
                let until_reset = self.budget.until_reset(now);
                let at = tokio::time::Instant::now();
                let (active, idle) = (self.poll_active, self.poll_idle);
                let later = |is_active: bool| {
                    at + pace.interval(if is_active { active } else { idle }, until_reset)
                };
                for r in &mut self.repos {
                    r.due = r.due.max(later(r.active));
                }
                if let Some(j) = self.jobs.as_mut() {
                    j.due = j.due.max(later(j.active));
                }
            }
        }
        pace.interval(base, self.budget.until_reset(now))
    }
}

impl Worker {
    /// Counted requests per second that polling spends at its base
    /// intervals, by what each poll has been costing.
    pub(super) fn demand(&self) -> f64 {
        let rate_of = |cost: f64, active: bool| {
            let every = if active {
                self.poll_active
            } else {
                self.poll_idle
            };
            cost / every.as_secs_f64().max(0.001)
        };
        self.repos
            .iter()
            .map(|r| rate_of(r.cost, r.active))
            .chain(self.jobs.iter().map(|j| rate_of(j.cost, j.active)))
            .sum()
    }
}

/// How much slower than the base a pace polls.
fn factor(pace: Pace) -> f64 {
    match pace {
        Pace::Hold(_) => f64::INFINITY,
        Pace::Stretch(by) => by,
    }
}
