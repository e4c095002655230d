//! `:sts`, like `kubectl get statefulsets`: NAME, READY, AGE.

use k8s_openapi::api::apps::v1::StatefulSet;

use crate::core::kube_kind::{Cell, KindRow, KindSpec};
use crate::core::kube_kinds;

use super::{KindSource, count, created, namespaced, workload_row};

impl KindSource for StatefulSet {
    const SPEC: &'static KindSpec = &kube_kinds::STATEFULSETS;

    fn row(&self, context: &str) -> Option<KindRow> {
        let status = self.status.as_ref();
        // An unset `spec.replicas` defaults to 1 on the server.
        let wanted = count(Some(self.spec.replicas.unwrap_or(1)));
        let ready = count(status.and_then(|s| s.ready_replicas));
        let cells = vec![
            Cell::Ratio(ready, wanted),
            Cell::Age(created(&self.metadata)),
        ];
        workload_row(self, context, cells, ready, wanted)
    }

    fn api(client: kube::Client, namespace: Option<&str>) -> kube::Api<Self> {
        namespaced(client, namespace)
    }
}
