//! The lifecycle endpoints' semantics: state checks, status codes and the
//! events each call emits, in the engine's order.

use super::clock::Nanos;
use super::loggen;
use super::world::{ApiError, Cause, Status, World, touch};

/// A successful lifecycle call: 204, or 304 when there was nothing to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Done,
    NotModified,
}

const SIGKILL: i64 = 9;
const SIGTERM: i64 = 15;

/// A signal by name ("SIGHUP", "HUP") or number; `None` when unknown.
pub(crate) fn parse_signal(raw: &str) -> Option<i64> {
    let upper = raw.trim().to_ascii_uppercase();
    let name = upper.strip_prefix("SIG").unwrap_or(&upper);
    let num = match name {
        "HUP" => 1,
        "INT" => 2,
        "QUIT" => 3,
        "KILL" => 9,
        "USR1" => 10,
        "USR2" => 12,
        "TERM" => 15,
        "CONT" => 18,
        "STOP" => 19,
        "WINCH" => 28,
        other => other.parse::<i64>().ok().filter(|n| (1..=64).contains(n))?,
    };
    Some(num)
}

/// Whether a simulated process dies of this signal (the rest are handled,
/// e.g. SIGHUP makes nginx reload).
fn terminates(signal: i64) -> bool {
    matches!(signal, 2 | 3 | 9 | 15)
}

impl World {
    fn status_of(&self, idx: usize) -> Status {
        self.containers
            .get(idx)
            .map(|c| c.status)
            .unwrap_or(Status::Dead)
    }

    fn id_of(&self, idx: usize) -> String {
        self.containers
            .get(idx)
            .map(|c| c.id.clone())
            .unwrap_or_default()
    }

    fn set_manual(&mut self, idx: usize, manual: bool) {
        if let Some(c) = self.containers.get_mut(idx) {
            c.manually_stopped = manual;
            if manual {
                c.sched.restart_at = None;
            }
        }
    }

    /// Graceful stop of a running or paused process: the stop signal, then
    /// SIGKILL when `t == 0`, as the engine does after the grace period.
    fn stop_process(&mut self, idx: usize, now: Nanos, signal: i64, t: Option<i64>) {
        if let Some(c) = self.containers.get_mut(idx) {
            for (stream, line) in loggen::stop_lines(c.spec.behaviour.style) {
                c.push_line(now, stream, line);
            }
        }
        self.emit(idx, now, "kill", &[("signal", signal.to_string())]);
        let exit = if signal == SIGKILL || t == Some(0) {
            if signal != SIGKILL {
                self.emit(idx, now, "kill", &[("signal", SIGKILL.to_string())]);
            }
            137
        } else {
            0
        };
        self.die_at(idx, now, exit, false, Cause::User);
    }

    pub(crate) fn op_start(&mut self, reference: &str, now: Nanos) -> Result<Outcome, ApiError> {
        let idx = self.lookup(reference)?;
        match self.status_of(idx) {
            Status::Running | Status::Restarting => Ok(Outcome::NotModified),
            Status::Paused => Err(ApiError::new(
                409,
                "cannot start a paused container, try unpause instead",
            )),
            Status::Created | Status::Exited | Status::Dead => {
                if let Some(c) = self.containers.get_mut(idx) {
                    // A manual start resets the restart manager and its count.
                    c.restart_count = 0;
                }
                self.set_manual(idx, false);
                self.start_at(idx, now);
                Ok(Outcome::Done)
            }
        }
    }

    pub(crate) fn op_stop(
        &mut self,
        reference: &str,
        now: Nanos,
        signal: Option<&str>,
        t: Option<i64>,
    ) -> Result<Outcome, ApiError> {
        let idx = self.lookup(reference)?;
        let signal = match signal {
            Some(s) => {
                parse_signal(s).ok_or_else(|| ApiError::new(400, format!("Invalid signal: {s}")))?
            }
            None => SIGTERM,
        };
        match self.status_of(idx) {
            Status::Created | Status::Exited | Status::Dead => Ok(Outcome::NotModified),
            Status::Restarting => {
                self.set_manual(idx, true);
                if let Some(c) = self.containers.get_mut(idx) {
                    c.status = Status::Exited;
                    touch(c);
                }
                self.emit(idx, now, "stop", &[]);
                Ok(Outcome::Done)
            }
            Status::Running | Status::Paused => {
                self.set_manual(idx, true);
                self.stop_process(idx, now, signal, t);
                self.emit(idx, now, "stop", &[]);
                Ok(Outcome::Done)
            }
        }
    }

    pub(crate) fn op_restart(
        &mut self,
        reference: &str,
        now: Nanos,
        t: Option<i64>,
    ) -> Result<Outcome, ApiError> {
        let idx = self.lookup(reference)?;
        match self.status_of(idx) {
            Status::Running | Status::Paused => {
                self.set_manual(idx, true);
                self.stop_process(idx, now, SIGTERM, t);
                self.emit(idx, now, "stop", &[]);
            }
            Status::Restarting => self.set_manual(idx, true),
            Status::Created | Status::Exited | Status::Dead => {}
        }
        if let Some(c) = self.containers.get_mut(idx) {
            c.restart_count = 0;
        }
        self.set_manual(idx, false);
        self.start_at(idx, now);
        self.emit(idx, now, "restart", &[]);
        Ok(Outcome::Done)
    }

    pub(crate) fn op_kill(
        &mut self,
        reference: &str,
        now: Nanos,
        signal: &str,
    ) -> Result<Outcome, ApiError> {
        let idx = self.lookup(reference)?;
        let num = parse_signal(signal)
            .ok_or_else(|| ApiError::new(400, format!("Invalid signal: {signal}")))?;
        match self.status_of(idx) {
            Status::Running | Status::Paused => {
                self.emit(idx, now, "kill", &[("signal", num.to_string())]);
                if terminates(num) {
                    self.set_manual(idx, true);
                    self.die_at(idx, now, 128 + num, false, Cause::User);
                }
                Ok(Outcome::Done)
            }
            Status::Restarting => {
                self.emit(idx, now, "kill", &[("signal", num.to_string())]);
                self.set_manual(idx, true);
                if let Some(c) = self.containers.get_mut(idx) {
                    c.status = Status::Exited;
                    touch(c);
                }
                Ok(Outcome::Done)
            }
            Status::Created | Status::Exited | Status::Dead => Err(ApiError::new(
                409,
                format!(
                    "Cannot kill container: {reference}: container {} is not running",
                    self.id_of(idx)
                ),
            )),
        }
    }

    pub(crate) fn op_pause(&mut self, reference: &str, now: Nanos) -> Result<Outcome, ApiError> {
        let idx = self.lookup(reference)?;
        let id = self.id_of(idx);
        match self.status_of(idx) {
            Status::Running => {
                if let Some(c) = self.containers.get_mut(idx) {
                    c.status = Status::Paused;
                    c.sched.paused_at = Some(now);
                    touch(c);
                }
                self.emit(idx, now, "pause", &[]);
                Ok(Outcome::Done)
            }
            Status::Paused => Err(ApiError::new(
                409,
                format!("container {id} is already paused"),
            )),
            Status::Restarting => Err(ApiError::new(
                409,
                format!("container {id} is restarting, wait until the container is running"),
            )),
            _ => Err(ApiError::new(409, format!("container {id} is not running"))),
        }
    }

    pub(crate) fn op_unpause(&mut self, reference: &str, now: Nanos) -> Result<Outcome, ApiError> {
        let idx = self.lookup(reference)?;
        let id = self.id_of(idx);
        if self.status_of(idx) != Status::Paused {
            return Err(ApiError::new(409, format!("container {id} is not paused")));
        }
        if let Some(c) = self.containers.get_mut(idx) {
            // A frozen process neither logs nor ages: shift its schedule.
            let frozen = c.sched.paused_at.map(|p| now - p).unwrap_or(0).max(0);
            c.sched.origin += frozen;
            c.sched.crash_at = c.sched.crash_at.map(|t| t + frozen);
            c.sched.paused_at = None;
            c.status = Status::Running;
            touch(c);
        }
        self.emit(idx, now, "unpause", &[]);
        Ok(Outcome::Done)
    }

    pub(crate) fn op_remove(
        &mut self,
        reference: &str,
        now: Nanos,
        force: bool,
    ) -> Result<Outcome, ApiError> {
        let idx = self.lookup(reference)?;
        let status = self.status_of(idx);
        let name = self
            .containers
            .get(idx)
            .map(|c| format!("/{}", c.name))
            .unwrap_or_default();
        if status.running_flag() && !force {
            let why = match status {
                Status::Paused => "container is paused and must be unpaused first",
                Status::Restarting => {
                    "container is restarting: stop the container before removing or force remove"
                }
                _ => "container is running: stop the container before removing or force remove",
            };
            return Err(ApiError::new(
                409,
                format!("cannot remove container \"{name}\": {why}"),
            ));
        }
        if matches!(status, Status::Running | Status::Paused) {
            self.set_manual(idx, true);
            self.emit(idx, now, "kill", &[("signal", SIGKILL.to_string())]);
            self.die_at(idx, now, 137, false, Cause::User);
        }
        self.destroy(idx, now);
        Ok(Outcome::Done)
    }

    /// Test control: the process dies by itself now; the restart policy applies.
    pub(crate) fn ctl_crash(
        &mut self,
        reference: &str,
        now: Nanos,
        exit_code: i64,
        oom: bool,
    ) -> Result<(), ApiError> {
        let idx = self.lookup(reference)?;
        if self.status_of(idx) != Status::Running {
            return Err(ApiError::new(
                409,
                format!("container {} is not running", self.id_of(idx)),
            ));
        }
        let code = if oom { 137 } else { exit_code };
        self.die_at(idx, now, code, oom, Cause::Crash);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals_parse_by_name_and_number() {
        assert_eq!(parse_signal("SIGKILL"), Some(9));
        assert_eq!(parse_signal("term"), Some(15));
        assert_eq!(parse_signal("1"), Some(1));
        assert_eq!(parse_signal("SIGNOPE"), None);
        assert_eq!(parse_signal("99"), None);
        assert!(terminates(15) && !terminates(1));
    }
}
