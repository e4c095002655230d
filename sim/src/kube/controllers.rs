//! The control loop: an informer over the change history feeding the
//! ReplicaSet, Deployment and StatefulSet controllers, plus the kubelet's
//! timers and the EndpointSlice controller (`endpoint_slices.rs`). Runs on
//! a tick; each round handles what changed since the last.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use serde_json::{Value, json};
use tokio::time::Instant;

use super::events::Source;
use super::objects::{name_suffix, pod_from_template, rfc3339};
use super::state::SimState;
use super::store::{ChangeType, Key, Kind, Stored};
use super::{lifecycle, pod_ops, running_logs};

pub(crate) fn str_at<'a>(v: &'a Value, p: &str) -> &'a str {
    v.pointer(p).and_then(Value::as_str).unwrap_or_default()
}

pub(crate) fn u64_at(v: &Value, p: &str, default: u64) -> u64 {
    v.pointer(p).and_then(Value::as_u64).unwrap_or(default)
}

fn owner(v: &Value) -> Option<(&str, &str, &str)> {
    let o = v
        .pointer("/metadata/ownerReferences")?
        .as_array()?
        .first()?;
    Some((o["kind"].as_str()?, o["name"].as_str()?, o["uid"].as_str()?))
}

pub(crate) fn terminating(v: &Value) -> bool {
    v.pointer("/metadata/deletionTimestamp")
        .is_some_and(|t| !t.is_null())
}

pub(crate) fn pod_ready(v: &Value) -> bool {
    v.pointer("/status/conditions")
        .and_then(Value::as_array)
        .is_some_and(|cs| {
            cs.iter()
                .any(|c| c["type"] == "Ready" && c["status"] == "True")
        })
}

pub(crate) fn owned(st: &SimState, kind: Kind, ns: &str, uid: &str) -> Vec<Arc<Stored>> {
    st.store
        .range(kind, Some(ns), None)
        .filter(|(_, o)| owner(&o.value).is_some_and(|(_, _, u)| u == uid))
        .map(|(_, o)| o.clone())
        .collect()
}

pub(crate) fn tick(st: &mut SimState, now: Instant) {
    lifecycle::run_timers(st, now);
    if st.config.dynamics {
        running_logs::generate_logs(st, now);
        auto_rollouts(st, now);
    }
    reconcile(st, now);
    super::endpoint_slices::tick(st);
    super::eviction::refresh_budgets(st);
}

fn reconcile(st: &mut SimState, now: Instant) {
    for _ in 0..8 {
        let mut rs = BTreeSet::new();
        let mut deploys = BTreeSet::new();
        let mut sets = BTreeSet::new();
        let fresh = if st.resync {
            Err(())
        } else {
            st.store
                .changes_after(st.controller_cursor, 200_000)
                .map_err(drop)
        };
        let changes = match fresh {
            Ok(c) => c,
            Err(()) => {
                // First tick, or fell out of the window (a huge burst):
                // look at everything, as an informer does after a re-list.
                st.resync = false;
                st.controller_cursor = st.store.rv();
                let keys = |k: Kind| {
                    st.store
                        .range(k, None, None)
                        .map(|(k, _)| k.clone())
                        .collect::<Vec<_>>()
                };
                rs.extend(keys(Kind::ReplicaSet));
                deploys.extend(keys(Kind::Deployment));
                sets.extend(keys(Kind::StatefulSet));
                let orphans: Vec<(Key, Arc<Stored>)> = st
                    .store
                    .range(Kind::Pod, None, None)
                    .filter(|(k, _)| !st.kubelet.pods.contains_key(*k))
                    .map(|(k, p)| (k.clone(), p.clone()))
                    .collect();
                for (k, p) in orphans {
                    lifecycle::adopt(st, &k, &p.value, now);
                }
                Vec::new()
            }
        };
        if let Some(last) = changes.last() {
            st.controller_cursor = last.rv;
        }
        for c in &changes {
            let key = (
                str_at(&c.obj.value, "/metadata/namespace").to_string(),
                str_at(&c.obj.value, "/metadata/name").to_string(),
            );
            match c.kind {
                Kind::Pod => {
                    match c.ty {
                        ChangeType::Added => lifecycle::adopt(st, &key, &c.obj.value, now),
                        ChangeType::Deleted => {
                            let uid = str_at(&c.obj.value, "/metadata/uid");
                            if st.kubelet.pods.get(&key).is_some_and(|rt| rt.uid == uid) {
                                st.kubelet.pods.remove(&key);
                                st.logs.remove_pod(&key.0, &key.1);
                            }
                        }
                        ChangeType::Modified => {}
                    }
                    match owner(&c.obj.value) {
                        Some(("ReplicaSet", name, _)) => {
                            rs.insert((key.0.clone(), name.to_string()));
                        }
                        Some(("StatefulSet", name, _)) => {
                            sets.insert((key.0.clone(), name.to_string()));
                        }
                        _ => {}
                    }
                }
                Kind::ReplicaSet => {
                    if let Some(("Deployment", name, _)) = owner(&c.obj.value) {
                        deploys.insert((key.0.clone(), name.to_string()));
                    }
                    if c.ty == ChangeType::Deleted {
                        cascade(st, Kind::Pod, &c.obj, now);
                    } else {
                        rs.insert(key);
                    }
                }
                Kind::Deployment if c.ty == ChangeType::Deleted => {
                    cascade(st, Kind::ReplicaSet, &c.obj, now)
                }
                Kind::Deployment => {
                    deploys.insert(key);
                }
                Kind::StatefulSet if c.ty == ChangeType::Deleted => {
                    cascade(st, Kind::Pod, &c.obj, now)
                }
                Kind::StatefulSet => {
                    sets.insert(key);
                }
                _ => {}
            }
        }
        if rs.is_empty() && deploys.is_empty() && sets.is_empty() {
            return;
        }
        // ReplicaSets first, so deployments decide on fresh pod counts.
        for k in &rs {
            reconcile_replica_set(st, k, now);
        }
        for k in &sets {
            super::statefulset::reconcile(st, k, now);
        }
        for k in &deploys {
            super::deployment::reconcile(st, k);
        }
    }
}

/// Garbage collection: dependents of a deleted owner go too.
fn cascade(st: &mut SimState, dependents: Kind, owner_obj: &Stored, now: Instant) {
    let ns = str_at(&owner_obj.value, "/metadata/namespace").to_string();
    let uid = str_at(&owner_obj.value, "/metadata/uid").to_string();
    for d in owned(st, dependents, &ns, &uid) {
        let name = str_at(&d.value, "/metadata/name").to_string();
        if dependents == Kind::Pod {
            let _ = pod_ops::begin_delete(st, &ns, &name, Duration::from_secs(30), now);
        } else {
            st.store.delete(dependents, &ns, &name);
        }
    }
}

fn reconcile_replica_set(st: &mut SimState, key: &Key, now: Instant) {
    let Some(rs) = st.store.get(Kind::ReplicaSet, &key.0, &key.1) else {
        return;
    };
    let uid = str_at(&rs.value, "/metadata/uid").to_string();
    let want = u64_at(&rs.value, "/spec/replicas", 1) as usize;
    let template = rs
        .value
        .pointer("/spec/template")
        .cloned()
        .unwrap_or(json!({}));
    let pods = owned(st, Kind::Pod, &key.0, &uid);
    let mut active: Vec<&Arc<Stored>> = pods.iter().filter(|p| !terminating(&p.value)).collect();
    let t = Utc::now();
    if active.len() < want {
        for _ in active.len()..want {
            let name = loop {
                let candidate = format!("{}-{}", key.1, name_suffix(st.rng.next()));
                if st.store.get(Kind::Pod, &key.0, &candidate).is_none() {
                    break candidate;
                }
            };
            let pod =
                pod_from_template(&key.0, &name, &template, ("ReplicaSet", &key.1, &uid), &[]);
            if st.store.create(Kind::Pod, pod).is_ok() {
                let msg = format!("Created pod: {name}");
                st.events.record(
                    &mut st.store,
                    &rs.value,
                    None,
                    false,
                    "SuccessfulCreate",
                    &msg,
                    Source::ReplicaSetController,
                    t,
                );
            }
        }
    } else if active.len() > want {
        // Unscheduled, then unready, then newest pods go first.
        active.sort_by_key(|p| {
            let v = &p.value;
            (
                v.pointer("/spec/nodeName").is_some(),
                pod_ready(v),
                std::cmp::Reverse(str_at(v, "/metadata/creationTimestamp").to_string()),
            )
        });
        for p in active.iter().take(active.len() - want) {
            let name = str_at(&p.value, "/metadata/name").to_string();
            if pod_ops::begin_delete(st, &key.0, &name, Duration::from_secs(30), now).is_ok() {
                let msg = format!("Deleted pod: {name}");
                st.events.record(
                    &mut st.store,
                    &rs.value,
                    None,
                    false,
                    "SuccessfulDelete",
                    &msg,
                    Source::ReplicaSetController,
                    t,
                );
            }
        }
    }
    let pods = owned(st, Kind::Pod, &key.0, &uid);
    let live: Vec<_> = pods.iter().filter(|p| !terminating(&p.value)).collect();
    let ready = live.iter().filter(|p| pod_ready(&p.value)).count();
    let generation = u64_at(&rs.value, "/metadata/generation", 1);
    let _ = st.store.update(Kind::ReplicaSet, &key.0, &key.1, |v| {
        v["status"] = json!({"replicas": live.len(), "fullyLabeledReplicas": live.len(),
                             "readyReplicas": ready, "availableReplicas": ready,
                             "observedGeneration": generation});
        Ok(())
    });
}

/// What `kubectl rollout restart` does: stamp the template so its hash changes.
pub(crate) fn restart_template(st: &mut SimState, kind: Kind, ns: &str, name: &str) -> bool {
    let stamp = rfc3339(Utc::now());
    st.store
        .update(kind, ns, name, |v| {
            v["spec"]["template"]["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"] =
                json!(stamp);
            let g = u64_at(v, "/metadata/generation", 1);
            v["metadata"]["generation"] = json!(g + 1);
            Ok(())
        })
        .is_ok()
}

fn auto_rollouts(st: &mut SimState, now: Instant) {
    let due: Vec<Key> = st
        .auto_rollouts
        .iter_mut()
        .filter(|(_, (_, next))| *next <= now)
        .map(|(k, (every, next))| {
            *next = now + *every;
            k.clone()
        })
        .collect();
    for k in due {
        restart_template(st, Kind::Deployment, &k.0, &k.1);
    }
}
