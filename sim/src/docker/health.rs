//! Health checks: the status a check reports, its cycle over time, and the
//! `health_status: ...` events its changes emit.

use std::collections::VecDeque;

use super::clock::{Nanos, dur_nanos};
use super::world::{World, touch};

const HEALTH_LOG: usize = 5;

/// The status a container's health check reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HealthStatus {
    Starting,
    Healthy,
    Unhealthy,
}

impl HealthStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            HealthStatus::Starting => "starting",
            HealthStatus::Healthy => "healthy",
            HealthStatus::Unhealthy => "unhealthy",
        }
    }
}

pub(crate) struct Probe {
    pub start: Nanos,
    pub exit_code: i64,
    pub output: String,
}

pub(crate) struct HealthState {
    pub status: HealthStatus,
    pub failing_streak: u32,
    pub next_flip: Option<Nanos>,
    pub log: VecDeque<Probe>,
}

impl World {
    pub(crate) fn flip_health(&mut self, idx: usize, t: Nanos) {
        let Some(c) = self.containers.get_mut(idx) else {
            return;
        };
        let Some(cycle) = c.spec.behaviour.health else {
            return;
        };
        let Some(h) = c.health.as_mut() else {
            return;
        };
        let next = match h.status {
            HealthStatus::Starting | HealthStatus::Unhealthy => HealthStatus::Healthy,
            HealthStatus::Healthy => HealthStatus::Unhealthy,
        };
        h.next_flip = match next {
            HealthStatus::Healthy => cycle.healthy_for.map(|d| t.saturating_add(dur_nanos(d))),
            _ => Some(t.saturating_add(dur_nanos(cycle.unhealthy_for).max(1))),
        };
        set_health(h, next, t);
        touch(c);
        self.emit(idx, t, &format!("health_status: {}", next.as_str()), &[]);
    }

    /// Forces a health status now (a test control).
    pub(crate) fn force_health(&mut self, idx: usize, t: Nanos, status: HealthStatus) {
        let Some(c) = self.containers.get_mut(idx) else {
            return;
        };
        let h = c.health.get_or_insert_with(|| HealthState {
            status,
            failing_streak: 0,
            next_flip: None,
            log: VecDeque::new(),
        });
        h.next_flip = None;
        set_health(h, status, t);
        touch(c);
        self.emit(idx, t, &format!("health_status: {}", status.as_str()), &[]);
    }

    /// Puts a running container's health check in `status` until `next_flip`
    /// (scenario set-up, so a long-running container does not replay hours
    /// of flips).
    pub(crate) fn seed_health(
        &mut self,
        idx: usize,
        t: Nanos,
        status: HealthStatus,
        next_flip: Option<Nanos>,
    ) {
        if let Some(h) = self.containers.get_mut(idx).and_then(|c| c.health.as_mut()) {
            set_health(h, status, t);
            h.next_flip = next_flip;
        }
    }
}

fn set_health(h: &mut HealthState, status: HealthStatus, t: Nanos) {
    h.status = status;
    let (code, output) = match status {
        HealthStatus::Unhealthy => {
            h.failing_streak = 3;
            (1, "curl: (22) The requested URL returned error: 503\n")
        }
        _ => {
            h.failing_streak = 0;
            (0, "ok\n")
        }
    };
    if h.log.len() >= HEALTH_LOG {
        h.log.pop_front();
    }
    h.log.push_back(Probe {
        start: t,
        exit_code: code,
        output: output.to_string(),
    });
}
