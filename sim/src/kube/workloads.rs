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
    let ns = w.ns.as_str();
    let Some(owner) = create_owner(st, w, created) else {
        return Vec::new();
    };
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
        let mut rt = new_runtime(&pod, w.behavior.clone(), w.flavor);
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
