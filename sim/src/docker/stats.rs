//! `GET /containers/{id}/stats`: cgroup-v2-shaped samples, one per second
//! when streaming. CPU and memory are smooth functions of the time since
//! the run started, so any two samples give a sensible CPU percentage.

use std::convert::Infallible;
use std::f64::consts::TAU;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::api::{ActiveGuard, AppState, Query, Ref, bool_or, bool_value, stopping};
use super::clock::{Nanos, SEC, ZERO_TIME, rfc3339};
use super::world::{ApiError, Container, Status};

pub(crate) const HOST_CPUS: u32 = 4;
pub(crate) const HOST_MEM: u64 = 16 * 1024 * 1024 * 1024;
const MIB: f64 = 1024.0 * 1024.0;

fn running(c: &Container) -> bool {
    matches!(c.status, Status::Running | Status::Paused)
}

fn run_secs(c: &Container, t: Nanos) -> f64 {
    c.started_at
        .map(|s| (t - s).max(0) as f64 / SEC as f64)
        .unwrap_or(0.0)
}

fn period(c: &Container) -> f64 {
    20.0 + (c.seed % 40) as f64
}

/// Cumulative CPU time of the run in ns: the integral of
/// `cpu * (1 + 0.35 sin(2πt/period))`, which never decreases.
fn cpu_total(c: &Container, t: Nanos) -> u64 {
    let e = run_secs(c, t);
    let base = c.spec.behaviour.cpu.max(0.0);
    let p = period(c);
    let secs = base * e + 0.35 * base * p / TAU * (1.0 - (TAU * e / p).cos());
    (secs * SEC as f64) as u64
}

fn mem_limit(c: &Container) -> u64 {
    c.spec
        .memory_limit_mib
        .map(|m| m * 1024 * 1024)
        .unwrap_or(HOST_MEM)
}

fn mem_usage(c: &Container, t: Nanos) -> u64 {
    let e = run_secs(c, t);
    let limit = mem_limit(c) as f64;
    let b = &c.spec.behaviour;
    let steady = (b.mem_mib as f64 * MIB) * (1.0 + 0.03 * (TAU * e / period(c)).sin());
    let usage = match b.crash {
        // Heading for the OOM killer: climb to the limit over the run.
        Some(k) if k.oom => {
            let frac = (e / k.after.as_secs_f64().max(1.0)).clamp(0.0, 1.0);
            limit * (0.35 + 0.63 * frac)
        }
        _ => steady,
    };
    usage.clamp(0.0, limit) as u64
}

fn cpu_stats(c: &Container, t: Nanos, host_boot: Nanos) -> Value {
    let total = cpu_total(c, t);
    json!({
        "cpu_usage": {
            "total_usage": total,
            "usage_in_kernelmode": total / 5,
            "usage_in_usermode": total - total / 5
        },
        "system_cpu_usage": u64::try_from(t - host_boot).unwrap_or(0) * u64::from(HOST_CPUS),
        "online_cpus": HOST_CPUS,
        "throttling_data": {"periods": 0, "throttled_periods": 0, "throttled_time": 0}
    })
}

fn empty_cpu() -> Value {
    json!({
        "cpu_usage": {"total_usage": 0, "usage_in_kernelmode": 0, "usage_in_usermode": 0},
        "throttling_data": {"periods": 0, "throttled_periods": 0, "throttled_time": 0}
    })
}

/// One sample at `t`; `pre` is the previous read, if the client has one.
pub(crate) fn sample(c: &Container, t: Nanos, pre: Option<Nanos>, host_boot: Nanos) -> Value {
    let name = format!("/{}", c.name);
    if !running(c) {
        return json!({
            "name": name, "id": c.id,
            "read": ZERO_TIME, "preread": ZERO_TIME,
            "pids_stats": {}, "blkio_stats": {}, "num_procs": 0, "storage_stats": {},
            "cpu_stats": empty_cpu(), "precpu_stats": empty_cpu(), "memory_stats": {}
        });
    }
    let e = run_secs(c, t);
    let usage = mem_usage(c, t);
    let rate = 1500.0 + (c.seed % 5000) as f64;
    let (rx, tx) = ((e * rate * 1.4) as u64, (e * rate) as u64);
    let (precpu, preread) = match pre {
        Some(p) => (cpu_stats(c, p, host_boot), rfc3339(p)),
        None => (empty_cpu(), ZERO_TIME.to_string()),
    };
    json!({
        "name": name,
        "id": c.id,
        "read": rfc3339(t),
        "preread": preread,
        "pids_stats": {"current": 4 + c.seed % 30, "limit": u64::MAX},
        "blkio_stats": {
            "io_service_bytes_recursive": [
                {"major": 259, "minor": 0, "op": "read", "value": (e * 4096.0) as u64},
                {"major": 259, "minor": 0, "op": "write", "value": (e * 16384.0) as u64}
            ],
            "io_serviced_recursive": null, "io_queue_recursive": null,
            "io_service_time_recursive": null, "io_wait_time_recursive": null,
            "io_merged_recursive": null, "io_time_recursive": null, "sectors_recursive": null
        },
        "num_procs": 0,
        "storage_stats": {},
        "cpu_stats": cpu_stats(c, t, host_boot),
        "precpu_stats": precpu,
        "memory_stats": {
            "usage": usage,
            "stats": {
                "anon": usage / 10 * 8,
                "file": usage / 10 * 2,
                "active_file": usage / 10,
                "inactive_file": usage / 20,
                "pgfault": (e * 120.0) as u64,
                "pgmajfault": 0
            },
            "limit": mem_limit(c)
        },
        "networks": {
            "eth0": {
                "rx_bytes": rx, "rx_packets": rx / 900, "rx_errors": 0, "rx_dropped": 0,
                "tx_bytes": tx, "tx_packets": tx / 700, "tx_errors": 0, "tx_dropped": 0
            }
        }
    })
}

fn line(v: &Value) -> Bytes {
    let mut s = v.to_string();
    s.push('\n');
    Bytes::from(s)
}

pub(crate) async fn stats(
    State(shared): State<AppState>,
    Ref(id): Ref,
    q: Query,
) -> Result<Response, ApiError> {
    shared
        .counters
        .stats_requests
        .fetch_add(1, Ordering::Relaxed);
    let stream = bool_or(&q, "stream", true);
    let one_shot = bool_value(&q, "one-shot");
    let (world, now) = shared.world_now().await;
    let c = world.get(&id).ok_or_else(|| ApiError::no_such(&id))?;
    let json_type = [(header::CONTENT_TYPE, "application/json")];
    if !stream {
        // The engine waits a second for a second sample unless one-shot;
        // the simulator computes that earlier point instead of waiting.
        let pre = (!one_shot).then_some(now - SEC);
        let body = line(&sample(c, now, pre, world.boot));
        return Ok((json_type, body).into_response());
    }
    let id = c.id.clone();
    let boot = world.boot;
    drop(world);
    let guard = ActiveGuard::new(shared.clone(), |c| &c.stats_streams_active);
    let mut ticker = tokio::time::interval(Duration::from_secs(1));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let state = (shared, id, None::<Nanos>, ticker, guard);
    let body = futures::stream::unfold(
        state,
        move |(shared, id, pre, mut ticker, guard)| async move {
            let mut shutdown = shared.shutdown.clone();
            tokio::select! {
                _ = ticker.tick() => {}
                _ = stopping(&mut shutdown) => return None,
            }
            let (world, now) = shared.world_now().await;
            let c = world.get(&id)?;
            // Like the engine, the first streamed sample has no previous CPU.
            let v = sample(c, now, pre, boot);
            let next_pre = running(c).then_some(now);
            drop(world);
            Some((
                Ok::<Bytes, Infallible>(line(&v)),
                (shared, id, next_pre, ticker, guard),
            ))
        },
    );
    Ok((json_type, Body::from_stream(body)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_time_never_goes_backwards() {
        let mut prev = 0;
        let spec = super::super::spec::ContainerSpec::new(
            "x",
            "img",
            super::super::spec::Behaviour::new(super::super::spec::LogStyle::Bench, 1.0),
        );
        let mut w = super::super::world::World::new(10, 0);
        w.create(spec, 0);
        w.start_at(0, 0);
        let Some(c) = w.containers.first() else {
            panic!("container missing");
        };
        for s in 0..200 {
            let t = cpu_total(c, s * SEC / 4);
            assert!(t >= prev);
            prev = t;
        }
        assert!(prev > 0);
    }
}
