//! The timeline's history of runs on start: each repository's first page
//! holds only its newest runs, so in a busy repository the last hours
//! reach further back. After a repository's poll is answered, its older
//! pages are read one at a time (the same pages scrolling reads, so none
//! is read twice) until the oldest run read is older than the window, the
//! list ends, or the timeline's cap is reached.
//!
//! Not blindly: a page is asked for only while the rate budget lets
//! polling keep its base pace (`Budget::allows_extra`); otherwise the
//! backfill waits for a later answer, and a page that fails is not asked
//! again. Each older page is read once, without an `If-None-Match` (there
//! is nothing to compare with); the first page stays conditional as ever.

use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::time::Instant;

use crate::core::github::Run;

use super::Worker;

/// How far back the runs are read on start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backfill {
    /// The last this long; zero turns the backfill off.
    pub window: Duration,
    /// At most this many runs per repository (the timeline keeps two
    /// entries of each, within its own cap).
    pub max_runs: usize,
}

impl Backfill {
    pub const OFF: Backfill = Backfill {
        window: Duration::ZERO,
        max_runs: 0,
    };
}

/// Whether the runs read so far leave part of the window unread. The
/// window counts back from now, or from the newest run when the server's
/// clock is ahead of ours (a run from "the future" is the server's now).
pub(super) fn reaches_back<'r>(
    runs: impl Iterator<Item = &'r Run> + Clone,
    total: Option<u64>,
    backfill: Backfill,
    now: DateTime<Utc>,
) -> bool {
    let read = runs.clone().count();
    if backfill.window.is_zero() || read >= backfill.max_runs {
        return false;
    }
    if total.is_none_or(|t| t <= read as u64) {
        return false;
    }
    let newest = runs.clone().map(|r| r.created_at).max();
    let Some(oldest) = runs.map(|r| r.created_at).min() else {
        return false;
    };
    let window = chrono::Duration::from_std(backfill.window).unwrap_or(chrono::Duration::MAX);
    let from = newest.map_or(now, |n| n.max(now));
    match from.checked_sub_signed(window) {
        Some(cutoff) => oldest >= cutoff,
        None => true,
    }
}

impl Worker {
    /// After an answered poll or page of repository `i`: its next older
    /// page, if the window is not read yet and the budget allows.
    pub(super) fn backfill(&mut self, i: usize) {
        if self.paused(Instant::now()) || self.probing {
            return;
        }
        let setup = self.backfill_setup;
        let now = Utc::now();
        let allowed = self.budget.allows_extra(now, self.demand());
        let Some(repo) = self.repos.get_mut(i) else {
            return;
        };
        if repo.older.backfilled || repo.older.page_busy {
            return;
        }
        let runs = repo.page.iter().chain(repo.older.pages.iter());
        if !reaches_back(runs, repo.total, setup, now) {
            repo.older.backfilled = true;
            if repo.older.pages_read > 0 {
                tracing::debug!(repo = %repo.name, pages = repo.older.pages_read, "runs backfilled");
            }
            return;
        }
        if allowed {
            self.start_older_page(i);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::github::Status;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 7, 12, 0, 0).unwrap()
    }

    /// Runs every `gap_mins`, the newest `newest_ago` minutes ago.
    fn runs(count: u64, gap_mins: i64, newest_ago: i64) -> Vec<Run> {
        (0..count)
            .map(|i| {
                let at = now() - chrono::Duration::minutes(newest_ago + i as i64 * gap_mins);
                Run::fixture("acme/web", 1000 - i, Status::Completed, None, at)
            })
            .collect()
    }

    const SIX_HOURS: Backfill = Backfill {
        window: Duration::from_secs(6 * 3600),
        max_runs: 1000,
    };

    #[test]
    fn pages_are_read_until_the_oldest_run_is_older_than_the_window() {
        // 50 runs 5 minutes apart reach back 4 h 5 min: more to read.
        let page = runs(50, 5, 0);
        assert!(reaches_back(page.iter(), Some(200), SIX_HOURS, now()));
        // 100 runs reach back 8 h 15 min: enough.
        let two = runs(100, 5, 0);
        assert!(!reaches_back(two.iter(), Some(200), SIX_HOURS, now()));
    }

    #[test]
    fn the_end_of_the_list_the_cap_and_off_stop_it() {
        let page = runs(50, 5, 0);
        assert!(!reaches_back(page.iter(), Some(50), SIX_HOURS, now()));
        assert!(!reaches_back(page.iter(), None, SIX_HOURS, now()));
        let capped = Backfill {
            max_runs: 50,
            ..SIX_HOURS
        };
        assert!(!reaches_back(page.iter(), Some(200), capped, now()));
        assert!(!reaches_back(page.iter(), Some(200), Backfill::OFF, now()));
        assert!(!reaches_back([].iter(), Some(200), SIX_HOURS, now()));
    }

    #[test]
    fn a_server_clock_ahead_of_ours_counts_back_from_its_newest_run() {
        // The newest run is 3 hours "ahead"; 50 runs 5 minutes apart then
        // cover 4 h 5 min of the server's time, not 7 h of ours.
        let ahead = runs(50, 5, -180);
        assert!(reaches_back(ahead.iter(), Some(200), SIX_HOURS, now()));
        let longer = runs(80, 5, -180);
        assert!(!reaches_back(longer.iter(), Some(200), SIX_HOURS, now()));
    }
}
