//! `:rs`, like `kubectl get replicasets`: NAME, DESIRED, CURRENT, READY, AGE.

use k8s_openapi::api::apps::v1::ReplicaSet;

use crate::core::kube_kind::{Cell, KindRow, KindSpec};
use crate::core::kube_kinds;

use super::{KindSource, count, created, namespaced, workload_row};

impl KindSource for ReplicaSet {
    const SPEC: &'static KindSpec = &kube_kinds::REPLICASETS;

    fn row(&self, context: &str) -> Option<KindRow> {
        let status = self.status.as_ref();
        let desired = count(Some(self.spec.replicas.unwrap_or(1)));
        let current = count(status.map(|s| s.replicas));
        let ready = count(status.and_then(|s| s.ready_replicas));
        let n = |v: u32| Cell::Count(i64::from(v));
        let cells = vec![
            n(desired),
            n(current),
            n(ready),
            Cell::Age(created(&self.metadata)),
        ];
        workload_row(self, context, cells, ready, desired)
    }

    fn api(client: kube::Client, namespace: Option<&str>) -> kube::Api<Self> {
        namespaced(client, namespace)
    }
}
