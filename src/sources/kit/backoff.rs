//! Exponential backoff with jitter. Every retry loop of every source uses
//! one of the named policies below instead of limits written inline, so a
//! change of policy is one line and the sources behave alike.

use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

/// How a retry loop waits: `first`, doubling up to `max`, each wait
/// shortened by up to `jitter` (a fraction) so that many watchers that
/// failed together do not come back together.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Policy {
    pub first: Duration,
    pub max: Duration,
    pub jitter: f64,
}

impl Policy {
    /// A lost engine, API server or watch: retry soon, at most every 30 s.
    pub const RECONNECT: Policy = Policy {
        first: Duration::from_secs(1),
        max: Duration::from_secs(30),
        jitter: 0.2,
    };
    /// A failed stream inside a healthy connection (a pod's events, a
    /// workload's pod list): the same pace as a reconnect.
    pub const STREAM: Policy = Policy::RECONNECT;
    /// A cheap probe while a server is away (a `/readyz`, a log resume):
    /// about once a second, so a server back is seen within a second
    /// however long it was away. Only for requests that cost the server
    /// next to nothing.
    pub const PROBE: Policy = Policy {
        first: Duration::from_millis(500),
        max: Duration::from_secs(1),
        jitter: 0.2,
    };
    /// GitHub outages (5xx, no answer): GitHub asks clients to back off
    /// harder than a local engine needs, and every try costs API budget.
    pub const GITHUB: Policy = Policy {
        first: Duration::from_secs(2),
        max: Duration::from_secs(60),
        jitter: 0.2,
    };
    /// A rejected token (401): each try is a failed login, and GitHub may
    /// refuse every login from the client after too many; the waits grow
    /// further than an outage's.
    pub const GITHUB_AUTH: Policy = Policy {
        first: Duration::from_secs(2),
        max: Duration::from_secs(300),
        jitter: 0.2,
    };
}

/// The state of one retry loop. `next_wait` after each failure, `reset`
/// after a success.
#[derive(Debug, Clone)]
pub struct Backoff {
    policy: Policy,
    base: Duration,
    rng: u64,
}

impl Backoff {
    /// Seeded from the process's random hasher keys: different loops (and
    /// processes) spread out without a random-number crate.
    pub fn new(policy: Policy) -> Backoff {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(policy.first.as_nanos() as u64);
        Backoff::seeded(policy, h.finish())
    }

    /// A fixed seed gives the same waits every time (tests).
    pub fn seeded(policy: Policy, seed: u64) -> Backoff {
        Backoff {
            policy,
            base: policy.first,
            rng: seed,
        }
    }

    /// The wait before the next try; the one after it will be twice as long
    /// (up to the cap).
    pub fn next_wait(&mut self) -> Duration {
        let base = self.base.min(self.policy.max);
        self.base = base.saturating_mul(2).min(self.policy.max);
        let jitter = self.policy.jitter.clamp(0.0, 1.0);
        base.mul_f64(1.0 - jitter * self.unit())
    }

    /// After a success the next failure starts from `first` again.
    pub fn reset(&mut self) {
        self.base = self.policy.first;
    }

    /// A number in [0, 1) from splitmix64: good enough to spread retries.
    fn unit(&mut self) -> f64 {
        self.rng = self.rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn within(wait: Duration, base: Duration, jitter: f64) -> bool {
        wait <= base && wait >= base.mul_f64(1.0 - jitter)
    }

    #[test]
    fn doubles_from_first_up_to_the_cap_with_bounded_jitter() {
        let p = Policy::RECONNECT;
        let mut b = Backoff::seeded(p, 7);
        let bases = [1, 2, 4, 8, 16, 30, 30, 30];
        for secs in bases {
            let wait = b.next_wait();
            assert!(
                within(wait, Duration::from_secs(secs), p.jitter),
                "{wait:?} for {secs}s"
            );
        }
    }

    #[test]
    fn a_success_starts_again_from_first() {
        let mut b = Backoff::seeded(Policy::GITHUB, 1);
        for _ in 0..10 {
            b.next_wait();
        }
        b.reset();
        let wait = b.next_wait();
        assert!(within(wait, Duration::from_secs(2), 0.2), "{wait:?}");
    }

    #[test]
    fn the_same_seed_gives_the_same_waits_and_jitter_varies_them() {
        let waits = |seed| {
            let mut b = Backoff::seeded(Policy::RECONNECT, seed);
            (0..6).map(|_| b.next_wait()).collect::<Vec<_>>()
        };
        assert_eq!(waits(42), waits(42));
        assert_ne!(waits(42), waits(43));
    }

    #[test]
    fn without_jitter_the_waits_are_exact() {
        let p = Policy {
            jitter: 0.0,
            ..Policy::RECONNECT
        };
        let mut b = Backoff::seeded(p, 0);
        let got: Vec<u64> = (0..7).map(|_| b.next_wait().as_secs()).collect();
        assert_eq!(got, vec![1, 2, 4, 8, 16, 30, 30]);
    }
}
