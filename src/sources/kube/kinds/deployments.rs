//! `:deploy`, like `kubectl get deployments`: NAME, READY, UP-TO-DATE,
//! AVAILABLE, AGE. `Enter` shows the pods whose ReplicaSet the deployment
//! controls (owner references, not the selector, which can also match
//! another workload's pods).

use k8s_openapi::api::apps::v1::Deployment;

use crate::core::kube_kind::{Cell, KindRow, KindSpec};
use crate::core::kube_kinds;

use super::{KindSource, count, created, namespaced, workload_row};

impl KindSource for Deployment {
    const SPEC: &'static KindSpec = &kube_kinds::DEPLOYMENTS;

    fn row(&self, context: &str) -> Option<KindRow> {
        let status = self.status.as_ref();
        let n = |v: Option<i32>| Cell::Count(i64::from(count(v)));
        // An unset `spec.replicas` defaults to 1 on the server.
        let wanted = count(Some(self.spec.replicas.unwrap_or(1)));
        let ready = count(status.and_then(|s| s.ready_replicas));
        let cells = vec![
            Cell::Ratio(ready, wanted),
            n(status.and_then(|s| s.updated_replicas)),
            n(status.and_then(|s| s.available_replicas)),
            Cell::Age(created(&self.metadata)),
        ];
        workload_row(self, context, cells, ready, wanted)
    }

    fn api(client: kube::Client, namespace: Option<&str>) -> kube::Api<Self> {
        namespaced(client, namespace)
    }
}
