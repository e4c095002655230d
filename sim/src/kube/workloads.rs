//! Workloads created whole at start-up: the owner (Deployment with its
//! ReplicaSet, or StatefulSet) and pods already running, aged as if they had
//! been up for a while.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::kubelet::{Behavior, PodRt, new_runtime};
use super::lifecycle::start_static;
use super::logtext::Flavor;
use super::objects::{
    ContainerSpec, deployment, name_suffix, pod_from_template, pod_template, replica_set, rfc3339,
    stateful_set, template_hash,
};
use super::state::SimState;
use super::store::Kind;

pub(crate) const DAY: u64 = 86_400;

pub(crate) struct Workload {
    pub ns: String,
    pub name: String,
    pub replicas: u32,
    pub containers: Vec<ContainerSpec>,
    pub init: Vec<ContainerSpec>,
    pub behavior: Behavior,
    pub flavor: Flavor,
    pub age: Duration,
    pub stateful: bool,
}

pub(crate) fn ago(d: Duration) -> DateTime<Utc> {
    Utc::now() - chrono::Duration::from_std(d).unwrap_or_default()
}

/// The controller that owns a workload's pods, and what it stamps them with.
struct Owner {
    kind: &'static str,
    name: String,
    uid: String,
    template: Value,
    pod_names: Vec<String>,
    labels: Vec<(String, String)>,
}

fn create_owner(st: &mut SimState, w: &Workload, created: DateTime<Utc>) -> Option<Owner> {
    let (ns, wname) = (w.ns.as_str(), w.name.as_str());
    let template = pod_template(wname, &w.containers, &w.init);
    if w.stateful {
        let set = stateful_set(ns, wname, w.replicas, template.clone(), created);
        let set = st.store.create(Kind::StatefulSet, set).ok()?;
        let rev = format!("{wname}-{}", template_hash(&template));
        return Some(Owner {
            kind: "StatefulSet",
            name: wname.to_string(),
            uid: set.str_at("/metadata/uid").to_string(),
            template,
            pod_names: (0..w.replicas).map(|i| format!("{wname}-{i}")).collect(),
            labels: vec![("controller-revision-hash".into(), rev)],
        });
    }
    let d = deployment(ns, wname, w.replicas, template.clone(), created);
    let d = st.store.create(Kind::Deployment, d).ok()?;
    let mut rs = replica_set(&d.value, &template_hash(&template), w.replicas, 1);
    rs["metadata"]["creationTimestamp"] = json!(rfc3339(created));
    let rs = st.store.create(Kind::ReplicaSet, rs).ok()?;
    let name = rs.str_at("/metadata/name").to_string();
    let pod_names = (0..w.replicas)
        .map(|_| format!("{name}-{}", name_suffix(st.rng.next())))
        .collect();
    Some(Owner {
        kind: "ReplicaSet",
        uid: rs.str_at("/metadata/uid").to_string(),
        template: rs
            .value
            .pointer("/spec/template")
            .cloned()
            .unwrap_or_default(),
        name,
        pod_names,
        labels: Vec::new(),
    })
}

/// Creates the workload, its ReplicaSet (or ordinals) and pods, aged as if
/// they had been running for a while. Returns the pods' runtimes.
pub(crate) fn spawn(st: &mut SimState, w: &Workload) -> Vec<(String, PodRt)> {
    let created = ago(w.age);
    match create_owner(st, w, created) {
        Some(owner) => start_pods(st, &w.ns, owner, w.behavior.clone(), w.flavor, created),
        None => Vec::new(),
    }
}

fn start_pods(
    st: &mut SimState,
    ns: &str,
    owner: Owner,
    behavior: Behavior,
    flavor: Flavor,
    created: DateTime<Utc>,
) -> Vec<(String, PodRt)> {
    let labels: Vec<(&str, &str)> = owner
        .labels
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let mut out = Vec::new();
    for name in owner.pod_names {
        let mut pod = pod_from_template(
            ns,
            &name,
            &owner.template,
            (owner.kind, &owner.name, &owner.uid),
            &labels,
        );
        pod["metadata"]["creationTimestamp"] = json!(rfc3339(created));
        let mut rt = new_runtime(&pod, behavior.clone(), flavor);
        start_static(&mut rt, &name);
        rt.start_time = Some(created);
        rt.update_conditions(created);
        pod["status"] = rt.render(&name);
        if let Some(n) = &rt.node {
            pod["spec"]["nodeName"] = json!(n);
        }
        if let Ok(p) = st.store.create(Kind::Pod, pod) {
            rt.uid = p.str_at("/metadata/uid").to_string();
            out.push((name, rt));
        }
    }
    out
}

/// A Deployment (made by [`spawn`]) rolled out to `containers` at `at`,
/// as `kubectl set image` and the controller leave it when the new pods
/// never become ready: the next revision's ReplicaSet holds maxSurge plus
/// maxUnavailable pods and the old one the rest (25% each, rounded up and
/// down, at least one unavailable when both round to zero: the rolling
/// update's rules, Kubernetes docs "Deployments", "Max Surge" and "Max
/// Unavailable"; what `deployment::reconcile` settles on). `old` is the
/// old pods' runtimes: the ones the old ReplicaSet no longer wants are
/// removed. Returns the new pods' runtimes, for `behavior`.
pub(crate) fn roll_out(
    st: &mut SimState,
    w: &Workload,
    old: &mut Vec<(String, PodRt)>,
    containers: &[ContainerSpec],
    at: DateTime<Utc>,
    behavior: Behavior,
) -> Vec<(String, PodRt)> {
    let (ns, name) = (w.ns.as_str(), w.name.as_str());
    let template = pod_template(name, containers, &w.init);
    let hash = template_hash(&template);
    let revision = 2;
    let Ok(d) = st.store.update(Kind::Deployment, ns, name, |v| {
        v["spec"]["template"] = template.clone();
        v["metadata"]["generation"] = json!(2);
        v["metadata"]["annotations"]["deployment.kubernetes.io/revision"] =
            json!(revision.to_string());
        Ok(())
    }) else {
        return Vec::new();
    };
    let surge = w.replicas.div_ceil(4);
    let unavailable = match (surge, w.replicas / 4) {
        (0, 0) => 1,
        (_, u) => u,
    };
    let keep = w.replicas.saturating_sub(unavailable);
    let gone = old.len().saturating_sub(keep as usize);
    for (pod, _) in old.drain(..gone) {
        st.store.delete(Kind::Pod, ns, &pod);
        st.logs.remove_pod(ns, &pod);
    }
    let uid = d.str_at("/metadata/uid").to_string();
    let old_sets: Vec<String> = super::controllers::owned(st, Kind::ReplicaSet, ns, &uid)
        .iter()
        .map(|r| r.str_at("/metadata/name").to_string())
        .collect();
    for set in old_sets {
        let _ = st.store.update(Kind::ReplicaSet, ns, &set, |v| {
            v["spec"]["replicas"] = json!(keep);
            Ok(())
        });
    }
    let wanted = w.replicas - keep + surge;
    let mut rs = replica_set(&d.value, &hash, wanted, revision);
    rs["metadata"]["creationTimestamp"] = json!(rfc3339(at));
    let Ok(rs) = st.store.create(Kind::ReplicaSet, rs) else {
        return Vec::new();
    };
    let set = rs.str_at("/metadata/name").to_string();
    let owner = Owner {
        kind: "ReplicaSet",
        uid: rs.str_at("/metadata/uid").to_string(),
        template: rs
            .value
            .pointer("/spec/template")
            .cloned()
            .unwrap_or_default(),
        pod_names: (0..wanted)
            .map(|_| format!("{set}-{}", name_suffix(st.rng.next())))
            .collect(),
        name: set,
        labels: Vec::new(),
    };
    start_pods(st, ns, owner, behavior, w.flavor, at)
}
