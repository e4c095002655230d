//! The STATUS, READY and RESTARTS columns of `kubectl get pods`, derived from
//! a Pod the way kubectl's table printer derives them, so opsdeck shows the
//! same words an operator already knows. Pure: the clock is passed in.

use std::collections::HashSet;
use std::time::{Duration, SystemTime};

use k8s_openapi::api::core::v1::{ContainerState, ContainerStatus, Pod, PodCondition};

pub use crate::core::kube::{PENDING_TOO_LONG, PodHealth as Health, RECENT_RESTART};

/// The derived columns of one pod, as plain values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodStatusSummary {
    /// kubectl's STATUS word, e.g. `Running`, `CrashLoopBackOff`, `Init:0/2`.
    pub status: String,
    /// Ready containers (READY numerator).
    pub ready: u32,
    /// Containers counted by kubectl (READY denominator; includes sidecars).
    pub total: u32,
    /// RESTARTS as kubectl counts them.
    pub restarts: u32,
    /// When the most recent restart happened (the last termination's finish time).
    pub last_restart: Option<SystemTime>,
    pub health: Health,
}

impl PodStatusSummary {
    /// READY as kubectl prints it: `1/2`.
    pub fn ready_text(&self) -> String {
        format!("{}/{}", self.ready, self.total)
    }

    /// RESTARTS as kubectl prints it: `0`, or `5 (2m ago)`.
    pub fn restarts_text(&self, now: SystemTime) -> String {
        match self.last_restart {
            Some(at) if self.restarts != 0 => {
                format!("{} ({} ago)", self.restarts, human_duration(since(at, now)))
            }
            _ => self.restarts.to_string(),
        }
    }
}

/// Derives kubectl's columns for `pod`, judging "recent" and "too long"
/// against `now`.
pub fn pod_status(pod: &Pod, now: SystemTime) -> PodStatusSummary {
    let spec_containers = pod.spec.as_ref().map(|s| s.containers.len()).unwrap_or(0);
    let init_specs = pod
        .spec
        .as_ref()
        .and_then(|s| s.init_containers.as_deref())
        .unwrap_or_default();
    let status = pod.status.as_ref();
    let phase = status.and_then(|s| s.phase.as_deref()).unwrap_or_default();
    let status_reason = status.and_then(|s| s.reason.as_deref()).unwrap_or_default();
    let conditions: &[PodCondition] = status
        .and_then(|s| s.conditions.as_deref())
        .unwrap_or_default();
    let init_statuses: &[ContainerStatus] = status
        .and_then(|s| s.init_container_statuses.as_deref())
        .unwrap_or_default();
    let statuses: &[ContainerStatus] = status
        .and_then(|s| s.container_statuses.as_deref())
        .unwrap_or_default();

    // Sidecars (init containers that keep running) count as containers.
    let sidecars: HashSet<&str> = init_specs
        .iter()
        .filter(|c| c.restart_policy.as_deref() == Some("Always"))
        .map(|c| c.name.as_str())
        .collect();
    let total = spec_containers + sidecars.len();
    let mut ready = 0usize;

    let mut reason = if status_reason.is_empty() {
        phase.to_string()
    } else {
        status_reason.to_string()
    };
    if conditions
        .iter()
        .any(|c| c.type_ == "PodScheduled" && c.reason.as_deref() == Some("SchedulingGated"))
    {
        reason = "SchedulingGated".to_string();
    }

    let mut restarts = 0u32;
    let mut last_restart: Option<SystemTime> = None;
    let mut sidecar_restarts = 0u32;
    let mut sidecar_last_restart: Option<SystemTime> = None;
    let mut initializing = false;
    for (i, c) in init_statuses.iter().enumerate() {
        let count = clamp_count(c.restart_count);
        let finished = last_termination(c);
        restarts += count;
        last_restart = latest(last_restart, finished);
        let is_sidecar = sidecars.contains(c.name.as_str());
        if is_sidecar {
            sidecar_restarts += count;
            sidecar_last_restart = latest(sidecar_last_restart, finished);
        }
        let state = c.state.as_ref();
        let terminated = state.and_then(|s| s.terminated.as_ref());
        let waiting_reason = state
            .and_then(|s| s.waiting.as_ref())
            .and_then(|w| w.reason.as_deref())
            .unwrap_or_default();
        if terminated.is_some_and(|t| t.exit_code == 0) {
            continue;
        }
        if is_sidecar && c.started == Some(true) {
            if c.ready {
                ready += 1;
            }
            continue;
        }
        reason = if let Some(t) = terminated {
            match t.reason.as_deref() {
                Some(r) if !r.is_empty() => format!("Init:{r}"),
                _ => match t.signal {
                    Some(sig) if sig != 0 => format!("Init:Signal:{sig}"),
                    _ => format!("Init:ExitCode:{}", t.exit_code),
                },
            }
        } else if !waiting_reason.is_empty() && waiting_reason != "PodInitializing" {
            format!("Init:{waiting_reason}")
        } else {
            format!("Init:{i}/{}", init_specs.len())
        };
        initializing = true;
        break;
    }

    let initialized = conditions
        .iter()
        .any(|c| c.type_ == "Initialized" && c.status == "True");
    if !initializing || initialized {
        restarts = sidecar_restarts;
        last_restart = sidecar_last_restart;
        let mut has_running = false;
        // kubectl walks containers last to first, so the first container's
        // reason wins when several are unhealthy.
        for c in statuses.iter().rev() {
            restarts += clamp_count(c.restart_count);
            last_restart = latest(last_restart, last_termination(c));
            if let Some(word) = container_reason(c.state.as_ref()) {
                reason = word;
            } else if c.ready && c.state.as_ref().is_some_and(|s| s.running.is_some()) {
                has_running = true;
                ready += 1;
            }
        }
        if reason == "Completed" && has_running {
            let pod_ready = conditions
                .iter()
                .any(|c| c.type_ == "Ready" && c.status == "True");
            reason = if pod_ready { "Running" } else { "NotReady" }.to_string();
        }
    }

    let deleting = pod.metadata.deletion_timestamp.is_some();
    if deleting && status_reason == "NodeLost" {
        reason = "Unknown".to_string();
    } else if deleting && phase != "Failed" && phase != "Succeeded" {
        reason = "Terminating".to_string();
    }

    let created = pod
        .metadata
        .creation_timestamp
        .as_ref()
        .map(|t| SystemTime::from(t.0));
    let stuck_pending =
        phase == "Pending" && created.is_some_and(|c| since(c, now) >= PENDING_TOO_LONG);
    let health = classify(&reason, ready == total, stuck_pending, last_restart, now);
    PodStatusSummary {
        status: reason,
        ready: u32::try_from(ready).unwrap_or(u32::MAX),
        total: u32::try_from(total).unwrap_or(u32::MAX),
        restarts,
        last_restart,
        health,
    }
}

/// The word a single container contributes, if it is not simply running.
fn container_reason(state: Option<&ContainerState>) -> Option<String> {
    let state = state?;
    if let Some(r) = state.waiting.as_ref().and_then(|w| w.reason.as_deref())
        && !r.is_empty()
    {
        return Some(r.to_string());
    }
    let t = state.terminated.as_ref()?;
    Some(match t.reason.as_deref() {
        Some(r) if !r.is_empty() => r.to_string(),
        _ => match t.signal {
            Some(sig) if sig != 0 => format!("Signal:{sig}"),
            _ => format!("ExitCode:{}", t.exit_code),
        },
    })
}

fn last_termination(c: &ContainerStatus) -> Option<SystemTime> {
    let t = c.last_state.as_ref()?.terminated.as_ref()?;
    t.finished_at.as_ref().map(|f| SystemTime::from(f.0))
}

fn latest(a: Option<SystemTime>, b: Option<SystemTime>) -> Option<SystemTime> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

fn clamp_count(n: i32) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

fn since(at: SystemTime, now: SystemTime) -> Duration {
    now.duration_since(at).unwrap_or_default()
}

fn classify(
    word: &str,
    all_ready: bool,
    stuck_pending: bool,
    last_restart: Option<SystemTime>,
    now: SystemTime,
) -> Health {
    let recently_restarted = last_restart.is_some_and(|at| since(at, now) < RECENT_RESTART);
    crate::core::kube::classify(word, all_ready, stuck_pending, recently_restarted)
}

/// kubectl's compact age format (`45s`, `3m10s`, `5h2m`, `3d4h`, `2y10d`).
pub fn human_duration(d: Duration) -> String {
    let secs = d.as_secs();
    if secs < 120 {
        return format!("{secs}s");
    }
    let minutes = secs / 60;
    if minutes < 10 {
        let s = secs % 60;
        return if s == 0 {
            format!("{minutes}m")
        } else {
            format!("{minutes}m{s}s")
        };
    }
    if minutes < 180 {
        return format!("{minutes}m");
    }
    let hours = minutes / 60;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 {
            format!("{hours}h")
        } else {
            format!("{hours}h{m}m")
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    let days = hours / 24;
    if hours < 24 * 8 {
        let h = hours % 24;
        return if h == 0 {
            format!("{days}d")
        } else {
            format!("{days}d{h}h")
        };
    }
    if hours < 24 * 365 * 2 {
        return format!("{days}d");
    }
    let years = days / 365;
    if hours < 24 * 365 * 8 {
        let dy = days % 365;
        return if dy == 0 {
            format!("{years}y")
        } else {
            format!("{years}y{dy}d")
        };
    }
    format!("{years}y")
}

#[cfg(test)]
#[path = "status_tests.rs"]
mod tests;
