//! k8s-openapi objects to opsdeck's domain types, at the source's edge.

use std::collections::BTreeMap;
use std::time::SystemTime;

use chrono::{DateTime, Utc};
use k8s_openapi::api::core::v1::{
    Container, ContainerState as K8sState, ContainerStatus, Event as K8sEvent, Pod,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference, Time};

use crate::core::kube::{
    ContainerInfo, ContainerState, OwnerRef, PodEvent, PodKey, PodRow, Termination,
};

use super::status::pod_status;

pub fn time(t: &Time) -> DateTime<Utc> {
    DateTime::<Utc>::from(SystemTime::from(t.0))
}

/// The controlling owner (`controller: true`), else the first owner.
pub fn controller(meta: &ObjectMeta) -> Option<OwnerRef> {
    let owners: &[OwnerReference] = meta.owner_references.as_deref().unwrap_or_default();
    owners
        .iter()
        .find(|o| o.controller == Some(true))
        .or_else(|| owners.first())
        .map(|o| OwnerRef {
            kind: o.kind.clone(),
            name: o.name.clone(),
        })
}

pub fn pod_row(pod: &Pod, context: &str, now: SystemTime) -> Option<PodRow> {
    let name = pod.metadata.name.as_deref()?;
    let namespace = pod.metadata.namespace.as_deref().unwrap_or("default");
    Some(pod_row_keyed(
        pod,
        PodKey::new(context, namespace, name),
        now,
    ))
}

/// As [`pod_row`], reusing the caller's shared key parts.
pub fn pod_row_keyed(pod: &Pod, key: PodKey, now: SystemTime) -> PodRow {
    let summary = pod_status(pod, now);
    let status = pod.status.as_ref();
    let spec = pod.spec.as_ref();
    let not_ready_since = status
        .and_then(|s| s.conditions.as_deref())
        .unwrap_or_default()
        .iter()
        .find(|c| c.type_ == "Ready" && c.status != "True")
        .and_then(|c| c.last_transition_time.as_ref().map(time));
    let mut containers = Vec::new();
    let statuses = |init: bool| -> &[ContainerStatus] {
        let s = status.and_then(|s| {
            if init {
                s.init_container_statuses.as_deref()
            } else {
                s.container_statuses.as_deref()
            }
        });
        s.unwrap_or_default()
    };
    if let Some(spec) = spec {
        for c in spec.init_containers.as_deref().unwrap_or_default() {
            containers.push(container_info(c, statuses(true), true));
        }
        for c in &spec.containers {
            containers.push(container_info(c, statuses(false), false));
        }
    }
    PodRow {
        key,
        status: summary.status,
        phase: status
            .and_then(|s| s.phase.clone())
            .unwrap_or_else(|| "Unknown".into()),
        ready: summary.ready,
        total: summary.total,
        restarts: summary.restarts,
        last_restart: summary.last_restart.map(DateTime::<Utc>::from),
        created: pod.metadata.creation_timestamp.as_ref().map(time),
        not_ready_since,
        node: spec.and_then(|s| s.node_name.clone()),
        ip: status.and_then(|s| s.pod_ip.clone()),
        owner: controller(&pod.metadata),
        containers,
    }
}

fn container_info(c: &Container, statuses: &[ContainerStatus], init: bool) -> ContainerInfo {
    let st = statuses.iter().find(|s| s.name == c.name);
    let resources = c.resources.as_ref();
    ContainerInfo {
        name: c.name.clone(),
        image: c.image.clone().unwrap_or_default(),
        init,
        ready: st.is_some_and(|s| s.ready),
        restarts: st
            .map(|s| u32::try_from(s.restart_count).unwrap_or(0))
            .unwrap_or(0),
        state: st
            .and_then(|s| s.state.as_ref())
            .map(state)
            .unwrap_or(ContainerState::Unknown),
        last_termination: st
            .and_then(|s| s.last_state.as_ref())
            .and_then(|s| s.terminated.as_ref())
            .map(|t| Termination {
                reason: t.reason.clone().unwrap_or_default(),
                exit_code: t.exit_code,
                finished_at: t.finished_at.as_ref().map(time),
            }),
        requests: quantities(resources.and_then(|r| r.requests.as_ref())),
        limits: quantities(resources.and_then(|r| r.limits.as_ref())),
    }
}

fn state(s: &K8sState) -> ContainerState {
    if let Some(r) = &s.running {
        return ContainerState::Running {
            since: r.started_at.as_ref().map(time),
        };
    }
    if let Some(t) = &s.terminated {
        return ContainerState::Terminated(Termination {
            reason: t.reason.clone().unwrap_or_default(),
            exit_code: t.exit_code,
            finished_at: t.finished_at.as_ref().map(time),
        });
    }
    if let Some(w) = &s.waiting {
        return ContainerState::Waiting {
            reason: w.reason.clone().unwrap_or_default(),
            message: w.message.clone().unwrap_or_default(),
        };
    }
    ContainerState::Unknown
}

/// `cpu=100m memory=128Mi`
fn quantities(map: Option<&BTreeMap<String, Quantity>>) -> String {
    map.map(|m| {
        m.iter()
            .map(|(k, v)| format!("{k}={}", v.0))
            .collect::<Vec<_>>()
            .join(" ")
    })
    .unwrap_or_default()
}

pub fn pod_event(e: &K8sEvent) -> PodEvent {
    let last_seen = e
        .last_timestamp
        .as_ref()
        .map(time)
        .or_else(|| {
            e.event_time
                .as_ref()
                .map(|t| DateTime::<Utc>::from(SystemTime::from(t.0)))
        })
        .or_else(|| e.first_timestamp.as_ref().map(time))
        .or_else(|| e.metadata.creation_timestamp.as_ref().map(time));
    PodEvent {
        kind: e.type_.clone().unwrap_or_default(),
        reason: e.reason.clone().unwrap_or_default(),
        message: e.message.clone().unwrap_or_default(),
        count: e.count.and_then(|c| u32::try_from(c).ok()).unwrap_or(1),
        last_seen,
    }
}
