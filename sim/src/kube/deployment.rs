//! The Deployment controller: a new ReplicaSet per pod-template hash, a
//! rolling update bounded by maxSurge/maxUnavailable (25% each), revision
//! history pruning, and the status and conditions kubectl reads.

use chrono::Utc;
use serde_json::json;

use super::controllers::{owned, str_at, u64_at};
use super::events::Source;
use super::objects::{replica_set, rfc3339, template_hash};
use super::state::SimState;
use super::store::{Key, Kind};

struct RsView {
    name: String,
    replicas: u64,
    ready: u64,
    revision: u64,
    hash: String,
    /// Pods the ReplicaSet still reports (terminating ones are gone).
    pods: u64,
}

pub(crate) fn reconcile(st: &mut SimState, key: &Key) {
    let Some(d) = st.store.get(Kind::Deployment, &key.0, &key.1) else {
        return;
    };
    let uid = str_at(&d.value, "/metadata/uid").to_string();
    let desired = u64_at(&d.value, "/spec/replicas", 1);
    let template = d
        .value
        .pointer("/spec/template")
        .cloned()
        .unwrap_or(json!({}));
    let hash = template_hash(&template);
    let t = Utc::now();
    let view = |st: &SimState| -> Vec<RsView> {
        owned(st, Kind::ReplicaSet, &key.0, &uid)
            .iter()
            .map(|r| RsView {
                name: str_at(&r.value, "/metadata/name").to_string(),
                replicas: u64_at(&r.value, "/spec/replicas", 0),
                ready: u64_at(&r.value, "/status/readyReplicas", 0),
                revision: str_at(
                    &r.value,
                    "/metadata/annotations/deployment.kubernetes.io~1revision",
                )
                .parse()
                .unwrap_or(0),
                hash: str_at(&r.value, "/metadata/labels/pod-template-hash").to_string(),
                pods: u64_at(&r.value, "/status/replicas", 0),
            })
            .collect()
    };
    let mut sets = view(st);
    let scale = |st: &mut SimState, name: &str, from: u64, to: u64| {
        let _ = st.store.update(Kind::ReplicaSet, &key.0, name, |v| {
            v["spec"]["replicas"] = json!(to);
            // As the real controller's scaleReplicaSet does (kubernetes
            // pkg/controller/deployment/sync.go, SetReplicasAnnotations):
            // every scale stamps the deployment's current size on the set.
            v["metadata"]["annotations"]["deployment.kubernetes.io/desired-replicas"] =
                json!(desired.to_string());
            Ok(())
        });
        let verb = if to > from { "up" } else { "down" };
        let msg = format!("Scaled {verb} replica set {name} from {from} to {to}");
        st.events.record(
            &mut st.store,
            &d.value,
            None,
            false,
            "ScalingReplicaSet",
            &msg,
            Source::DeploymentController,
            t,
        );
    };
    if !sets.iter().any(|r| r.hash == hash) {
        let revision = sets.iter().map(|r| r.revision).max().unwrap_or(0) + 1;
        let initial = if sets.iter().all(|r| r.replicas == 0) {
            desired
        } else {
            0
        };
        let obj = replica_set(&d.value, &hash, 0, revision);
        if st.store.create(Kind::ReplicaSet, obj).is_err() {
            return;
        }
        let name = format!("{}-{hash}", key.1);
        if initial > 0 {
            scale(st, &name, 0, initial);
        }
        let _ = st.store.update(Kind::Deployment, &key.0, &key.1, |v| {
            v["metadata"]["annotations"]["deployment.kubernetes.io/revision"] =
                json!(revision.to_string());
            Ok(())
        });
        sets = view(st);
    }
    let Some(new) = sets.iter().find(|r| r.hash == hash) else {
        return;
    };
    let old: Vec<&RsView> = sets
        .iter()
        .filter(|r| r.hash != hash && r.replicas > 0)
        .collect();
    let surge = desired.div_ceil(4);
    let mut max_unavailable = desired / 4;
    if surge == 0 && max_unavailable == 0 {
        max_unavailable = 1;
    }
    if old.is_empty() {
        if new.replicas != desired {
            scale(st, &new.name, new.replicas, desired);
        }
    } else {
        let total: u64 = sets.iter().map(|r| r.replicas).sum();
        let room = (desired + surge).saturating_sub(total);
        if room > 0 && new.replicas < desired {
            scale(
                st,
                &new.name,
                new.replicas,
                desired.min(new.replicas + room),
            );
        }
        let available: u64 = sets.iter().map(|r| r.ready.min(r.replicas)).sum();
        let mut can_remove = available.saturating_sub(desired.saturating_sub(max_unavailable));
        let mut old_sorted = old.clone();
        old_sorted.sort_by_key(|r| r.revision);
        for r in old_sorted {
            // Unready old pods cost no availability; remove them first.
            let unhealthy = r.replicas - r.ready.min(r.replicas);
            let healthy_cut = can_remove.min(r.replicas - unhealthy);
            can_remove -= healthy_cut;
            let target = r.replicas - unhealthy - healthy_cut;
            if target != r.replicas {
                scale(st, &r.name, r.replicas, target);
            }
        }
    }
    let limit = u64_at(&d.value, "/spec/revisionHistoryLimit", 10);
    prune_history(st, key, &sets, &hash, limit);
    deployment_status(st, key, desired, max_unavailable, &hash);
}

/// Old ReplicaSets scaled to zero are kept for rollback up to the
/// deployment's `revisionHistoryLimit`; older ones are deleted, so a demo
/// that restarts every minute does not grow without bound.
fn prune_history(st: &mut SimState, key: &Key, sets: &[RsView], hash: &str, limit: u64) {
    let mut idle: Vec<&RsView> = sets
        .iter()
        .filter(|r| r.hash != hash && r.replicas == 0 && r.pods == 0)
        .collect();
    idle.sort_by_key(|r| r.revision);
    let excess = idle
        .len()
        .saturating_sub(usize::try_from(limit).unwrap_or(usize::MAX));
    for r in idle.into_iter().take(excess) {
        st.store.delete(Kind::ReplicaSet, &key.0, &r.name);
    }
}

fn deployment_status(st: &mut SimState, key: &Key, desired: u64, max_unavailable: u64, hash: &str) {
    let Some(d) = st.store.get(Kind::Deployment, &key.0, &key.1) else {
        return;
    };
    let uid = str_at(&d.value, "/metadata/uid").to_string();
    let sets = owned(st, Kind::ReplicaSet, &key.0, &uid);
    let sum = |p: &str| -> u64 { sets.iter().map(|r| u64_at(&r.value, p, 0)).sum() };
    let (replicas, ready) = (sum("/status/replicas"), sum("/status/readyReplicas"));
    let new = sets
        .iter()
        .find(|r| str_at(&r.value, "/metadata/labels/pod-template-hash") == hash);
    let updated = new.map_or(0, |r| u64_at(&r.value, "/status/replicas", 0));
    let new_name = new
        .map(|r| str_at(&r.value, "/metadata/name").to_string())
        .unwrap_or_default();
    let complete = updated == desired && replicas == desired && ready == desired;
    let available_ok = ready >= desired.saturating_sub(max_unavailable);
    let generation = u64_at(&d.value, "/metadata/generation", 1);
    let now = rfc3339(Utc::now());
    let _ = st.store.update(Kind::Deployment, &key.0, &key.1, |v| {
        let prev = v["status"]["conditions"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let cond = |kind: &str, ok: bool, reason: &str, msg: String| {
            let since = prev
                .iter()
                .find(|c| {
                    c["type"] == kind
                        && c["status"] == if ok { "True" } else { "False" }
                        && c["reason"] == reason
                })
                .and_then(|c| c["lastTransitionTime"].as_str().map(str::to_string))
                .unwrap_or_else(|| now.clone());
            json!({"type": kind, "status": if ok { "True" } else { "False" }, "reason": reason,
                   "message": msg, "lastUpdateTime": since, "lastTransitionTime": since})
        };
        let available = if available_ok {
            cond(
                "Available",
                true,
                "MinimumReplicasAvailable",
                "Deployment has minimum availability.".into(),
            )
        } else {
            cond(
                "Available",
                false,
                "MinimumReplicasUnavailable",
                "Deployment does not have minimum availability.".into(),
            )
        };
        let progressing = if complete {
            cond(
                "Progressing",
                true,
                "NewReplicaSetAvailable",
                format!("ReplicaSet \"{new_name}\" has successfully progressed."),
            )
        } else {
            cond(
                "Progressing",
                true,
                "ReplicaSetUpdated",
                format!("ReplicaSet \"{new_name}\" is progressing."),
            )
        };
        let mut status = json!({"observedGeneration": generation, "replicas": replicas,
            "updatedReplicas": updated, "readyReplicas": ready, "availableReplicas": ready,
            "conditions": [available, progressing]});
        if desired > ready {
            status["unavailableReplicas"] = json!(desired - ready);
        }
        v["status"] = status;
        Ok(())
    });
}
