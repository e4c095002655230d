//! The rate budget: how far apart polls must be so that the primary rate
//! limit lasts until it resets, without taking what other tools (and the
//! user's own actions) need. Pure: it is told the limit, the time and the
//! demand, and answers with a pace; the worker does the waiting.
//!
//! The rules, from GitHub's REST docs ("Rate limits for the REST API",
//! "Best practices for using the REST API"):
//! - every answer carries `x-ratelimit-limit`, `-remaining`, `-used`,
//!   `-reset` (epoch seconds) and `-resource`; the primary window is an hour;
//! - a 304 to a conditional request (`If-None-Match`) does not count against
//!   the primary limit, so a poll of an unchanged repository is free;
//! - the limit belongs to the login, shared with every other tool using it.
//!
//! Hence: polling never plans more than half the window's limit, slows so
//! that what is left lasts until the reset at the present pace, and stops
//! at a reserve kept for the user's re-runs, cancels, dispatches and logs.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::core::github::RateLimit;

/// GitHub's primary window.
pub const HOURLY_WINDOW: Duration = Duration::from_secs(3600);

/// Polling plans at most this share of the window's limit: the rest is for
/// the other tools of the same login.
const POLLING_SHARE: f64 = 0.5;

/// The least a poll is expected to cost: a repository that answered 304 for
/// an hour may still change with the next push.
const MIN_POLL_COST: f64 = 0.05;

/// How much one answer moves a repository's expected cost (an exponential
/// average over roughly the last eight polls).
const COST_WEIGHT: f64 = 0.125;

/// Requests kept for the user's own actions: polling stops before them.
pub fn reserve(limit: u32) -> u32 {
    (limit / 50).max(10)
}

/// A repository's expected counted requests per poll, after one more poll
/// that cost `counted` (0 for a 304, 1 for a fresh page).
pub fn learn(cost: f64, counted: u32) -> f64 {
    let seen = f64::from(counted);
    (cost + COST_WEIGHT * (seen - cost)).max(MIN_POLL_COST)
}

/// What polling may do now.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Pace {
    /// Poll, with every interval stretched by this factor (1 or more).
    Stretch(f64),
    /// Only the reserve is left: no poll until the window resets (in this
    /// long), so the user's actions still go through.
    Hold(Duration),
}

impl Pace {
    /// `base` under this pace. A stretched interval never reaches past the
    /// reset (`until_reset`): a new window brings a new plan.
    pub fn interval(self, base: Duration, until_reset: Option<Duration>) -> Duration {
        match self {
            Pace::Hold(wait) => wait.max(base),
            Pace::Stretch(by) => {
                let stretched = base.mul_f64(by);
                match until_reset {
                    Some(reset) if by > 1.0 => stretched.min(reset.max(base)),
                    _ => stretched,
                }
            }
        }
    }
}

/// The last limit seen and the length of its window.
#[derive(Debug, Clone)]
pub struct Budget {
    window: Duration,
    rate: Option<RateLimit>,
}

impl Budget {
    /// `window` is [`HOURLY_WINDOW`] against GitHub; the bench compresses it.
    pub fn new(window: Duration) -> Self {
        Budget { window, rate: None }
    }

    pub fn observe(&mut self, rate: RateLimit) {
        self.rate = Some(rate);
    }

    pub fn rate(&self) -> Option<RateLimit> {
        self.rate
    }

    /// Time until the window resets, if a limit was seen.
    pub fn until_reset(&self, now: DateTime<Utc>) -> Option<Duration> {
        let rate = self.rate?;
        Some((rate.reset - now).to_std().unwrap_or(Duration::ZERO))
    }

    /// The pace for `demand`: counted requests per second that polling
    /// would spend at its base intervals.
    pub fn pace(&self, now: DateTime<Utc>, demand: f64) -> Pace {
        let Some(rate) = self.rate else {
            return Pace::Stretch(1.0);
        };
        let until_reset = self.until_reset(now).unwrap_or(Duration::ZERO);
        if until_reset.is_zero() {
            // The window is over: the next answer brings a full one.
            return Pace::Stretch(1.0);
        }
        let usable = rate.remaining.saturating_sub(reserve(rate.limit));
        if usable == 0 {
            return Pace::Hold(until_reset);
        }
        // At least a second: a reset due in under one is as good as now.
        let secs_left = until_reset.as_secs_f64().max(1.0);
        let lasting = f64::from(usable) / secs_left;
        let share = f64::from(rate.limit) * POLLING_SHARE / self.window.as_secs_f64().max(1.0);
        let allowed = lasting.min(share);
        if demand <= allowed || allowed <= 0.0 {
            return Pace::Stretch(1.0);
        }
        Pace::Stretch(demand / allowed)
    }
}

impl Budget {
    /// Whether a one-off read (the timeline's backfill of older runs) may
    /// go now: only while polling at `demand` keeps its base pace, so what
    /// the backfill takes never slows the polls that show the present.
    /// Nothing is known before the first answer: it waits for one. Each
    /// read lowers `remaining` like any request, so a long backfill stops
    /// itself once the plan would have to stretch.
    pub fn allows_extra(&self, now: DateTime<Utc>, demand: f64) -> bool {
        let Some(rate) = self.rate else {
            return false;
        };
        rate.remaining > reserve(rate.limit) + 1 && self.pace(now, demand) == Pace::Stretch(1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(secs: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_800_000_000 + secs, 0)
            .single()
            .unwrap_or_default()
    }

    fn budget(remaining: u32, reset_in: i64) -> Budget {
        let mut b = Budget::new(HOURLY_WINDOW);
        b.observe(RateLimit {
            remaining,
            limit: 5000,
            reset: at(reset_in),
        });
        b
    }

    fn stretch(pace: Pace) -> f64 {
        match pace {
            Pace::Stretch(by) => by,
            Pace::Hold(wait) => panic!("held for {wait:?}"),
        }
    }

    /// 20 busy repositories polled every 10 s, each answer fresh.
    const BUSY: f64 = 20.0 / 10.0;

    #[test]
    fn nothing_known_or_little_wanted_keeps_the_base_intervals() {
        let none = Budget::new(HOURLY_WINDOW);
        assert_eq!(none.pace(at(0), BUSY), Pace::Stretch(1.0));
        // 20 quiet repositories every 60 s at the least cost: 72 an hour.
        let quiet = 20.0 * MIN_POLL_COST / 60.0;
        assert_eq!(budget(5000, 3600).pace(at(0), quiet), Pace::Stretch(1.0));
    }

    #[test]
    fn busy_polling_plans_at_most_half_the_hourly_limit() {
        let by = stretch(budget(5000, 3600).pace(at(0), BUSY));
        let per_hour = BUSY / by * 3600.0;
        assert!((per_hour - 2500.0).abs() < 1.0, "{per_hour} an hour");
    }

    #[test]
    fn a_draining_budget_stretches_the_intervals_so_it_lasts_until_the_reset() {
        let mut last = 0.0;
        // The same demand as `remaining` falls, 30 minutes from the reset.
        for remaining in [2000, 1000, 500, 200] {
            let by = stretch(budget(remaining, 1800).pace(at(0), BUSY));
            assert!(by > last, "{remaining} left: stretch {by} after {last}");
            last = by;
            // What polling spends until the reset fits in what is left.
            let spent = BUSY / by * 1800.0;
            let usable = f64::from(remaining - reserve(5000));
            assert!(spent <= usable + 0.5, "{spent} of {usable}");
        }
    }

    #[test]
    fn a_passing_reset_brings_the_base_pace_back() {
        let low = budget(120, 600);
        assert!(stretch(low.pace(at(0), BUSY)) > 10.0);
        // The reset time passed before the next answer came.
        assert_eq!(low.pace(at(601), BUSY), Pace::Stretch(1.0));
        // The next answer opens a full window.
        let mut renewed = low.clone();
        renewed.observe(RateLimit {
            remaining: 4999,
            limit: 5000,
            reset: at(4201),
        });
        let by = stretch(renewed.pace(at(601), BUSY));
        assert!(by < 3.0, "{by}");
    }

    #[test]
    fn the_reserve_is_left_for_the_users_actions() {
        let b = budget(reserve(5000), 600);
        assert_eq!(b.pace(at(0), BUSY), Pace::Hold(Duration::from_secs(600)));
        // Even a demand of almost nothing does not touch it.
        assert_eq!(b.pace(at(0), 0.001), Pace::Hold(Duration::from_secs(600)));
        // A held poll waits for the reset; a stretched one no longer than it.
        let held = b.pace(at(0), BUSY);
        let base = Duration::from_secs(10);
        assert_eq!(held.interval(base, None), Duration::from_secs(600));
        let long = Pace::Stretch(100.0).interval(base, Some(Duration::from_secs(120)));
        assert_eq!(long, Duration::from_secs(120));
    }

    #[test]
    fn one_off_reads_wait_for_a_known_limit_and_never_slow_the_polls() {
        let quiet = 3.0 / 60.0;
        assert!(!Budget::new(HOURLY_WINDOW).allows_extra(at(0), quiet));
        assert!(budget(4000, 1800).allows_extra(at(0), quiet));
        // Polling already stretched: nothing extra.
        assert!(!budget(4000, 1800).allows_extra(at(0), BUSY));
        // Draining: the same quiet polls, but little left for the window.
        assert!(!budget(120, 1800).allows_extra(at(0), quiet));
        assert!(!budget(reserve(5000), 60).allows_extra(at(0), 0.0));
    }

    #[test]
    fn answers_304_cost_nothing_so_quiet_repositories_keep_their_pace() {
        let mut cost = 1.0;
        for _ in 0..40 {
            cost = learn(cost, 0);
        }
        assert!((cost - MIN_POLL_COST).abs() < 1e-9, "{cost}");
        // 20 such repositories every 60 s, with only 300 left for 30 min:
        // still the base interval.
        let demand = 20.0 * cost / 60.0;
        assert_eq!(budget(300, 1800).pace(at(0), demand), Pace::Stretch(1.0));
        // Fresh answers raise the cost again.
        let busy = (0..8).fold(cost, |c, _| learn(c, 1));
        assert!(busy > 0.6, "{busy}");
    }
}
