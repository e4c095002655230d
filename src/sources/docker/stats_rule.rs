//! How often a container's stats are asked for, and which samples are
//! worth a message to the loop. Pure: the stats task (`stats.rs`) feeds it
//! each answer and does what it says.
//!
//! Most containers on screen sit still: the CPU and MEM cells print the
//! same text second after second. Each sample costs an HTTP chunk, a JSON
//! parse and, as a message, a pass through `update`; the engine reads the
//! container's cgroup for each one. So:
//! - a sample whose cells print as the last sent ones is not sent;
//! - after `QUIET_AFTER` such samples in a row the held stream is dropped
//!   and a one-shot request is made every `POLL_EVERY` instead;
//! - the first poll whose cells differ goes back to the stream, so a
//!   container that gets busy is followed each second again.

use std::time::Duration;

use crate::core::docker::Usage;

/// Unchanged samples in a row after which a streamed container is polled.
pub const QUIET_AFTER: u32 = 3;
/// How often a quiet container is asked for one sample. A container that
/// gets busy shows it at the next poll: within this, plus the engine's
/// answer (a 20.10 engine waits for its next one-second collection), plus
/// the next one-second redraw. Each poll is a new connection (bollard
/// keeps no idle unix connections), which costs opsdeck about what a
/// streamed sample does: measured with 45 quiet rows on screen, polling
/// every 2 s saved nothing of opsdeck's CPU, every 3 s a fifth and a
/// third of the engine's (dockerd and containerd), every 5 s half of both.
pub const POLL_EVERY: Duration = Duration::from_secs(3);

/// How often a moving container's counters are read from its cgroup
/// files: the engine's stream sends one sample a second, and so does this.
pub const STREAM_EVERY: Duration = Duration::from_secs(1);

/// The figures of one stats answer that the cells are computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counters {
    /// CPU time the container used since it started, in ns.
    pub cpu_total: u64,
    /// CPU time of the whole host (all CPUs), in ns, read with it.
    pub system_total: u64,
    pub online_cpus: u32,
    /// Working set: usage without the page cache, as `docker stats`.
    pub mem_bytes: u64,
    pub mem_limit: u64,
}

/// How the next sample is to be fetched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pace {
    /// A held streaming request: the engine sends a sample a second.
    #[default]
    Stream,
    /// A one-shot request every `POLL_EVERY`.
    Poll,
}

/// One container's sampling state.
#[derive(Debug, Default)]
pub struct Sampler {
    /// False keeps the stream for good: over ssh each request is a login,
    /// over TLS a handshake, so polling would cost more than it saves.
    may_poll: bool,
    /// The previous answer: CPU use is the difference of two.
    last: Option<Counters>,
    /// The cells as last sent to the loop.
    sent: Option<(String, String)>,
    unchanged: u32,
    pace: Pace,
}

impl Sampler {
    pub fn new(may_poll: bool) -> Sampler {
        Sampler {
            may_poll,
            ..Sampler::default()
        }
    }

    pub fn pace(&self) -> Pace {
        self.pace
    }

    /// Takes one answer; returns the figures to send when the cells they
    /// print differ from the last sent ones. The first answer only sets
    /// the baseline: one sample gives no CPU figure (a one-shot answer
    /// has no previous reading, and a stream's first has none either).
    pub fn observe(&mut self, now: Counters) -> Option<Usage> {
        let before = self.last.replace(now)?;
        let Some(cpu_percent) = cpu_between(&before, &now) else {
            // Counters went backwards (a restart in between): start over.
            self.last = Some(now);
            return None;
        };
        let usage = Usage {
            cpu_percent,
            mem_bytes: now.mem_bytes,
            mem_limit: now.mem_limit,
        };
        let cells = usage.cells();
        if self.sent.as_ref() == Some(&cells) {
            self.unchanged = self.unchanged.saturating_add(1);
            if self.may_poll && self.unchanged >= QUIET_AFTER {
                self.pace = Pace::Poll;
            }
            return None;
        }
        self.sent = Some(cells);
        self.unchanged = 0;
        self.pace = Pace::Stream;
        Some(usage)
    }
}

/// CPU use between two readings as `docker stats` computes it: the
/// container's share of the host's CPU time, times the number of CPUs.
/// None when a counter went backwards.
pub fn cpu_between(before: &Counters, now: &Counters) -> Option<f64> {
    let used = now.cpu_total.checked_sub(before.cpu_total)? as f64;
    let host = now.system_total.checked_sub(before.system_total)? as f64;
    if host <= 0.0 {
        return Some(0.0);
    }
    Some(used / host * f64::from(now.online_cpus.max(1)) * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIB: u64 = 1024 * 1024;
    /// A millisecond of CPU time, in µs.
    const MS: u64 = 1_000;
    /// Host CPU time per second of a 2-CPU host, in ns.
    const HOST_SECOND: u64 = 2_000_000_000;

    /// A reading after `secs` seconds of a container that has used `cpu_us`
    /// µs of CPU time in all and holds `mem` bytes.
    fn at(secs: u64, cpu_us: u64, mem: u64) -> Counters {
        Counters {
            cpu_total: cpu_us * 1_000,
            system_total: 1_000 * HOST_SECOND + secs * HOST_SECOND,
            online_cpus: 2,
            mem_bytes: mem,
            mem_limit: 8 * 1024 * MIB,
        }
    }

    #[test]
    fn the_first_answer_is_a_baseline_and_the_second_gives_the_cpu() {
        let mut s = Sampler::new(true);
        assert_eq!(s.observe(at(0, 100 * MS, 10 * MIB)), None);
        // 250 ms of CPU in one second on 2 CPUs: 25 % of one, as `docker stats`.
        let u = s
            .observe(at(1, 350 * MS, 10 * MIB))
            .expect("a first figure");
        assert!((u.cpu_percent - 25.0).abs() < 1e-9, "{}", u.cpu_percent);
        assert_eq!(u.mem_bytes, 10 * MIB);
        assert_eq!(s.pace(), Pace::Stream);
    }

    #[test]
    fn samples_that_print_the_same_cells_are_not_sent() {
        let mut s = Sampler::new(true);
        s.observe(at(0, 100 * MS, 10 * MIB));
        let u = s.observe(at(1, 100 * MS, 10 * MIB)).expect("first figures");
        assert_eq!(u.cells(), ("0.0%".to_string(), "10.0MiB".to_string()));
        assert_eq!(s.observe(at(2, 100 * MS, 10 * MIB)), None);
        // 0.04 % prints 0.0 % as 0 % does; 4 KiB more prints 10.0MiB still.
        assert_eq!(s.observe(at(3, 100 * MS + 400, 10 * MIB + 4096)), None);
        // 0.5 % prints 0.5 %: sent.
        let u = s
            .observe(at(4, 105 * MS + 400, 10 * MIB))
            .expect("a changed cell");
        assert_eq!(u.cells().0, "0.5%");
        // The memory cell alone changing is sent too.
        s.observe(at(5, 110 * MS + 400, 10 * MIB));
        let u = s
            .observe(at(6, 115 * MS + 400, 12 * MIB))
            .expect("memory changed");
        assert_eq!(u.cells(), ("0.5%".to_string(), "12.0MiB".to_string()));
    }

    #[test]
    fn a_quiet_container_is_polled_and_goes_back_to_the_stream_when_it_moves() {
        let mut s = Sampler::new(true);
        s.observe(at(0, 100 * MS, 10 * MIB));
        s.observe(at(1, 100 * MS, 10 * MIB));
        for second in 2..2 + u64::from(QUIET_AFTER) {
            assert_eq!(s.pace(), Pace::Stream, "still streamed at {second} s");
            assert_eq!(s.observe(at(second, 100 * MS, 10 * MIB)), None);
        }
        assert_eq!(s.pace(), Pace::Poll);
        // Polls apart: still idle, still polled.
        let mut t = 1 + u64::from(QUIET_AFTER) + 2;
        assert_eq!(s.observe(at(t, 100 * MS, 10 * MIB)), None);
        assert_eq!(s.pace(), Pace::Poll);
        // Busy: a whole CPU for the two seconds since the last poll.
        t += 2;
        let u = s.observe(at(t, 2_100 * MS, 10 * MIB)).expect("busy shows");
        assert!((u.cpu_percent - 100.0).abs() < 1e-9, "{}", u.cpu_percent);
        assert_eq!(s.pace(), Pace::Stream);
    }

    #[test]
    fn an_engine_that_may_not_be_polled_keeps_the_stream() {
        let mut s = Sampler::new(false);
        for second in 0..10 {
            s.observe(at(second, 100 * MS, 10 * MIB));
        }
        assert_eq!(s.pace(), Pace::Stream);
    }

    #[test]
    fn a_changing_container_stays_on_the_stream() {
        let mut s = Sampler::new(true);
        let mut used = 0;
        s.observe(at(0, used, 10 * MIB));
        for second in 1..20 {
            // 3 % and 4 % of a CPU in turn: 30 and 40 ms a second.
            used += if second % 2 == 0 { 30 * MS } else { 40 * MS };
            let u = s.observe(at(second, used, 10 * MIB)).expect("sent");
            let want = if second % 2 == 0 { "3.0%" } else { "4.0%" };
            assert_eq!(u.cells().0, want);
            assert_eq!(s.pace(), Pace::Stream);
        }
    }

    #[test]
    fn counters_that_go_backwards_restart_the_baseline() {
        let mut s = Sampler::new(true);
        s.observe(at(0, 5_000 * MS, 10 * MIB));
        // The container restarted: its CPU time starts again from zero.
        assert_eq!(s.observe(at(1, 10 * MS, 10 * MIB)), None);
        // 200 ms in a second on 2 CPUs: 20 % of one.
        let u = s.observe(at(2, 210 * MS, 10 * MIB)).expect("figures again");
        assert!((u.cpu_percent - 20.0).abs() < 1e-9, "{}", u.cpu_percent);
    }

    #[test]
    fn no_host_time_between_two_readings_is_no_use() {
        let a = at(3, 100 * MS, MIB);
        assert_eq!(cpu_between(&a, &a), Some(0.0));
        let zero_cpus = Counters {
            online_cpus: 0,
            ..at(4, 600 * MS, MIB)
        };
        // An engine that reports no CPU count is read as one CPU.
        let pct = cpu_between(&a, &zero_cpus).expect("computed");
        assert!((pct - 25.0).abs() < 1e-9, "{pct}");
    }
}
