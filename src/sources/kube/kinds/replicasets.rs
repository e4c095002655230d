//! `:rs`, like `kubectl get replicasets`: NAME, DESIRED, CURRENT, READY, AGE.

use k8s_openapi::api::apps::v1::ReplicaSet;

use crate::core::docker::Severity;
use crate::core::kube::OwnerRef;
use crate::core::kube_kind::{Cell, ColSpec, KindRow, KindSpec, Link};

use super::{KindSource, count, created, key, namespaced};

impl KindSource for ReplicaSet {
    const SPEC: &'static KindSpec = &KindSpec {
        kind: "ReplicaSet",
        plural: "replicasets",
        aliases: &["rs", "replicaset", "replicasets"],
        namespaced: true,
        shows_name: true,
        columns: &[
            ColSpec::new("DESIRED", 7, 7, 200),
            ColSpec::new("CURRENT", 7, 7, 140),
            ColSpec::new("READY", 5, 5, 240),
            ColSpec::new("AGE", 8, 8, 150),
        ],
        first_sort: 0,
    };

    fn row(&self, context: &str) -> Option<KindRow> {
        let status = self.status.as_ref();
        let desired = count(Some(self.spec.replicas.unwrap_or(1)));
        let current = count(status.map(|s| s.replicas));
        let ready = count(status.and_then(|s| s.ready_replicas));
        let name = self.metadata.name.clone()?;
        Some(KindRow {
            key: key(&self.metadata, context)?,
            cells: vec![
                Cell::Count(i64::from(desired)),
                Cell::Count(i64::from(current)),
                Cell::Count(i64::from(ready)),
                Cell::Age(created(&self.metadata)),
            ],
            severity: match (desired, ready) {
                (0, _) => Severity::Idle,
                (d, r) if r < d => Severity::Warning,
                _ => Severity::Ok,
            },
            link: Link::Pods(OwnerRef {
                kind: "ReplicaSet".into(),
                name,
            }),
            warning: false,
        })
    }

    fn api(client: kube::Client, namespace: Option<&str>) -> kube::Api<Self> {
        namespaced(client, namespace)
    }
}
