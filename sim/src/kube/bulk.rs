//! Bulk objects for benchmarks: Events and old ReplicaSets beside the
//! pods of `Scenario::Scale`, so a client lists and watches what a busy
//! cluster holds (issue 11: 10,000 pods, 10,000 events, 2,000 ReplicaSets).
//!
//! Shapes follow the API reference: core/v1 Event (involvedObject, reason,
//! message, type, count, first/lastTimestamp, source;
//! https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/event-v1/)
//! and apps/v1 ReplicaSet scaled to 0, as a Deployment leaves its old
//! revisions (revisionHistoryLimit;
//! https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#clean-up-policy).

use chrono::{Duration, Utc};
use serde_json::{Value, json};

use super::KubeSim;
use super::objects::rfc3339;
use super::store::Kind;

impl KubeSim {
    /// Adds Events about the pods (round-robin, one in four a Warning)
    /// until there are at least `total`; returns how many there are.
    pub fn fill_events(&self, total: usize) -> usize {
        self.shared.mutate(|st| {
            let pods: Vec<(String, String, String)> = st
                .store
                .range(Kind::Pod, None, None)
                .map(|((ns, name), p)| {
                    (
                        ns.clone(),
                        name.clone(),
                        p.str_at("/metadata/uid").to_string(),
                    )
                })
                .collect();
            let mut have = st.store.range(Kind::Event, None, None).count();
            let now = Utc::now();
            let mut i = 0usize;
            while have < total && !pods.is_empty() {
                let Some((ns, pod, uid)) = pods.get(i % pods.len()) else {
                    break;
                };
                let warning = i.is_multiple_of(4);
                let (reason, message) = if warning {
                    ("BackOff", "Back-off restarting failed container app")
                } else {
                    ("Pulled", "Container image already present on machine")
                };
                let at = rfc3339(now - Duration::seconds((i % 3600) as i64));
                let event = json!({
                    "metadata": {"name": format!("{pod}.bench{i:08x}"), "namespace": ns},
                    "involvedObject": {"kind": "Pod", "namespace": ns, "name": pod, "uid": uid,
                        "apiVersion": "v1", "fieldPath": "spec.containers{app}"},
                    "reason": reason, "message": message,
                    "type": if warning { "Warning" } else { "Normal" },
                    "count": 1 + (i % 5), "firstTimestamp": at, "lastTimestamp": at,
                    "source": {"component": "kubelet"}, "reportingComponent": "kubelet",
                });
                have += usize::from(st.store.create(Kind::Event, event).is_ok());
                i += 1;
            }
            have
        })
    }

    /// Adds ReplicaSets scaled to 0 (old revisions) until there are at
    /// least `total`; returns how many there are.
    pub fn fill_replica_sets(&self, total: usize) -> usize {
        self.shared.mutate(|st| {
            let namespaces: Vec<String> = st
                .store
                .range(Kind::Namespace, None, None)
                .map(|((_, name), _)| name.clone())
                .collect();
            let mut have = st.store.range(Kind::ReplicaSet, None, None).count();
            let mut i = 0usize;
            while have < total && !namespaces.is_empty() {
                let Some(ns) = namespaces.get(i % namespaces.len()) else {
                    break;
                };
                have += usize::from(
                    st.store
                        .create(Kind::ReplicaSet, old_revision(ns, i))
                        .is_ok(),
                );
                i += 1;
            }
            have
        })
    }
}

fn old_revision(ns: &str, i: usize) -> Value {
    let app = format!("old-{:03}", i % 97);
    let labels = json!({"app": app, "pod-template-hash": format!("{i:010x}")});
    json!({
        "metadata": {"name": format!("{app}-{i:010x}"), "namespace": ns, "labels": labels,
            "annotations": {"deployment.kubernetes.io/revision": (i / 97 + 1).to_string()}},
        "spec": {"replicas": 0, "selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels},
                "spec": {"containers": [{"name": "app", "image": "registry.example.com/bench/app:0.9.0"}]}}},
        "status": {"replicas": 0, "observedGeneration": 1},
    })
}
