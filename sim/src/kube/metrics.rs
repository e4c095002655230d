//! The metrics API (`metrics.k8s.io/v1beta1`), as metrics-server serves it
//! through the API server's aggregation layer: PodMetrics per namespace and
//! cluster-wide, NodeMetrics, with figures that move over time.
//!
//! Wire format from the API reference,
//! https://kubernetes.io/docs/reference/external-api/metrics.v1beta1/ :
//! `PodMetricsList` / `NodeMetricsList` with `items`; each item has
//! `metadata`, `timestamp`, `window` (a Duration string such as `15.011s`)
//! and `usage` (a ResourceList of Quantities: `cpu` in nanocores as
//! metrics-server writes it, `memory` in `Ki`); a PodMetrics has
//! `containers[]` of `{name, usage}` instead. metrics-server reports only
//! pods that run on a node.
//!
//! The ways a cluster fails to serve it, each a [`MetricsMode`]:
//! - not installed: the group is not in `/apis` discovery and every path
//!   under `/apis/metrics.k8s.io` is the API server's plain 404;
//! - installed but down: the APIService stays registered (so the group is
//!   listed), and requests get 503 with the aggregator's text body
//!   `service unavailable` (kube-aggregator handler_proxy.go; kubernetes
//!   PR 58070 turned the earlier 404 into this 503);
//! - RBAC: a 403 `Status` like any forbidden list.

use std::collections::HashMap;
use std::sync::atomic::Ordering;

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde_json::{Value, json};

use super::KubeSim;
use super::errors::{ApiError, json_value};
use super::state::Shared;
use super::store::Kind;

pub(crate) const GROUP: &str = "metrics.k8s.io";
const GROUP_VERSION: &str = "metrics.k8s.io/v1beta1";

/// How the simulated cluster serves the metrics API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MetricsMode {
    /// metrics-server installed and answering.
    #[default]
    Served,
    /// No metrics-server: the group is missing (404).
    NotInstalled,
    /// Installed, but the aggregated server does not answer (503).
    Unavailable,
    /// The user may not read metrics (403).
    Forbidden,
}

/// What the metrics API does and how often it was asked.
#[derive(Debug, Default)]
pub(crate) struct MetricsSim {
    pub mode: MetricsMode,
}

impl KubeSim {
    /// Turns the metrics API on, off or broken (see [`MetricsMode`]).
    pub fn set_metrics(&self, mode: MetricsMode) {
        self.shared.mutate(|st| st.metrics.mode = mode);
    }

    /// Requests under `/apis/metrics.k8s.io` so far, discovery included.
    pub fn metrics_requests(&self) -> u64 {
        self.shared.metrics_requests.load(Ordering::Relaxed)
    }
}

/// `/apis` lists the group unless metrics-server is not installed.
pub(crate) fn listed(shared: &Shared) -> bool {
    shared.read(|st| st.metrics.mode != MetricsMode::NotInstalled)
}

/// The group's entry in `/apis` (an APIGroup).
pub(crate) fn group() -> Value {
    let v = json!({"groupVersion": GROUP_VERSION, "version": "v1beta1"});
    json!({"name": GROUP, "versions": [v.clone()], "preferredVersion": v})
}

/// Any GET under `/apis/metrics.k8s.io`; `rest` is the path after it.
pub(crate) fn handle(shared: &Shared, rest: &[&str]) -> Response {
    shared.metrics_requests.fetch_add(1, Ordering::Relaxed);
    match shared.read(|st| st.metrics.mode) {
        MetricsMode::Served => {}
        MetricsMode::NotInstalled => return ApiError::path_not_found().into_response(),
        MetricsMode::Unavailable => {
            let headers = [(header::CONTENT_TYPE, "text/plain; charset=utf-8")];
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                headers,
                "service unavailable\n",
            )
                .into_response();
        }
        MetricsMode::Forbidden => {
            let message = format!(
                "{} is forbidden: User \"{}\" cannot list resource \"{}\" in API group \"{GROUP}\" at the cluster scope",
                rest.last().copied().unwrap_or("pods"),
                shared.user,
                rest.last().copied().unwrap_or("pods"),
            );
            let e = ApiError {
                code: 403,
                reason: "Forbidden",
                message,
                details: None,
            };
            return e.into_response();
        }
    }
    match rest {
        [] => {
            let mut g = group();
            g["kind"] = json!("APIGroup");
            g["apiVersion"] = json!("v1");
            json_value(StatusCode::OK, &g)
        }
        ["v1beta1"] => json_value(StatusCode::OK, &resources()),
        ["v1beta1", "pods"] => json_value(StatusCode::OK, &shared.read(|st| pods(st, None))),
        ["v1beta1", "namespaces", ns, "pods"] => {
            json_value(StatusCode::OK, &shared.read(|st| pods(st, Some(ns))))
        }
        ["v1beta1", "nodes"] => json_value(StatusCode::OK, &shared.read(nodes)),
        _ => ApiError::path_not_found().into_response(),
    }
}

fn resources() -> Value {
    json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": GROUP_VERSION,
    "resources": [
        {"name": "nodes", "singularName": "", "namespaced": false, "kind": "NodeMetrics", "verbs": ["get", "list"]},
        {"name": "pods", "singularName": "", "namespaced": true, "kind": "PodMetrics", "verbs": ["get", "list"]},
    ]})
}

/// A stable number per name, so each pod has its own level.
fn seed(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// A container's CPU (nanocores) and memory (bytes) now: a level of its
/// own that drifts with the clock, so successive polls differ.
fn container_usage(pod: &str, container: &str, now_secs: i64) -> (u64, u64) {
    let s = seed(&format!("{pod}/{container}"));
    let base_milli = 5 + s % 400;
    let phase = (s >> 16) % 60;
    let swing = ((now_secs + phase as i64).rem_euclid(60) as f64 / 60.0 * std::f64::consts::TAU)
        .sin()
        * 0.3
        + 1.0;
    let cpu_nano = (base_milli as f64 * swing * 1_000_000.0) as u64;
    let mem = (16 + (s >> 8) % 480) * 1024 * 1024 + ((now_secs as u64 % 30) * 64 * 1024);
    (cpu_nano, mem)
}

fn usage(cpu_nano: u64, memory: u64) -> Value {
    json!({"cpu": format!("{cpu_nano}n"), "memory": format!("{}Ki", memory / 1024)})
}

fn meta(name: &str, ns: Option<&str>, now: &str) -> Value {
    let mut m = json!({"name": name, "creationTimestamp": now});
    if let Some(ns) = ns {
        m["namespace"] = json!(ns);
    }
    m
}

/// A running pod's figures: per container (name, nanocores, bytes).
struct Running {
    ns: String,
    name: String,
    node: String,
    containers: Vec<(String, u64, u64)>,
}

/// Running pods scheduled on a node, with their containers' figures.
fn running(st: &super::state::SimState, ns: Option<&str>) -> Vec<Running> {
    let now = Utc::now().timestamp();
    st.store
        .range(Kind::Pod, ns, None)
        .filter(|(_, p)| p.str_at("/status/phase") == "Running")
        .filter(|(_, p)| !p.str_at("/spec/nodeName").is_empty())
        .map(|((ns, name), p)| {
            let containers = p
                .value
                .pointer("/spec/containers")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|c| c.get("name").and_then(Value::as_str))
                .map(|c| {
                    let (cpu, mem) = container_usage(name, c, now);
                    (c.to_string(), cpu, mem)
                })
                .collect();
            Running {
                ns: ns.clone(),
                name: name.clone(),
                node: p.str_at("/spec/nodeName").to_string(),
                containers,
            }
        })
        .collect()
}

fn pods(st: &super::state::SimState, ns: Option<&str>) -> Value {
    let now = super::objects::now_rfc3339();
    let items: Vec<Value> = running(st, ns)
        .into_iter()
        .map(
            |Running {
                 ns,
                 name,
                 containers,
                 ..
             }| {
                let containers: Vec<Value> = containers
                    .into_iter()
                    .map(|(c, cpu, mem)| json!({"name": c, "usage": usage(cpu, mem)}))
                    .collect();
                json!({"metadata": meta(&name, Some(&ns), &now), "timestamp": now,
                "window": "15.011s", "containers": containers})
            },
        )
        .collect();
    json!({"kind": "PodMetricsList", "apiVersion": GROUP_VERSION, "metadata": {}, "items": items})
}

/// A node's figure: its pods' plus what the system itself uses.
fn nodes(st: &super::state::SimState) -> Value {
    let now = super::objects::now_rfc3339();
    let mut per_node: HashMap<String, (u64, u64)> = HashMap::new();
    for Running {
        node, containers, ..
    } in running(st, None)
    {
        let sum = per_node.entry(node).or_default();
        for (_, cpu, mem) in containers {
            sum.0 += cpu;
            sum.1 += mem;
        }
    }
    let items: Vec<Value> = st
        .store
        .range(Kind::Node, None, None)
        .map(|((_, name), _)| {
            let (cpu, mem) = per_node.get(name).copied().unwrap_or_default();
            let system = seed(name) % 200 + 100;
            let usage = usage(cpu + system * 1_000_000, mem + system * 4 * 1024 * 1024);
            json!({"metadata": meta(name, None, &now), "timestamp": now,
                "window": "20.03s", "usage": usage})
        })
        .collect();
    json!({"kind": "NodeMetricsList", "apiVersion": GROUP_VERSION, "metadata": {}, "items": items})
}
