//! `:rs`, like `kubectl get replicasets`: NAME, DESIRED, CURRENT, READY, AGE.

use k8s_openapi::api::apps::v1::ReplicaSet;

use crate::core::docker::Severity;
use crate::core::kube::OwnerRef;
use crate::core::kube_kind::{Cell, KindRow, KindSpec, Link};
use crate::core::kube_kinds;

use super::{KindSource, count, created, key, namespaced};

impl KindSource for ReplicaSet {
    const SPEC: &'static KindSpec = &kube_kinds::REPLICASETS;

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
            owner: None,
        })
    }

    fn api(client: kube::Client, namespace: Option<&str>) -> kube::Api<Self> {
        namespaced(client, namespace)
    }
}
