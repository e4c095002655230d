//! `:deploy`, like `kubectl get deployments`: NAME, READY, UP-TO-DATE,
//! AVAILABLE, AGE. `Enter` shows the pods whose ReplicaSet the deployment
//! controls (owner references, not the selector, which can also match
//! another workload's pods).

use k8s_openapi::api::apps::v1::Deployment;

use crate::core::docker::Severity;
use crate::core::kube::OwnerRef;
use crate::core::kube_kind::{Cell, KindRow, KindSpec, Link};
use crate::core::kube_kinds;

use super::{KindSource, count, created, key, namespaced};

impl KindSource for Deployment {
    const SPEC: &'static KindSpec = &kube_kinds::DEPLOYMENTS;

    fn row(&self, context: &str) -> Option<KindRow> {
        let status = self.status.as_ref();
        // An unset `spec.replicas` defaults to 1 on the server.
        let wanted = count(Some(self.spec.replicas.unwrap_or(1)));
        let ready = count(status.and_then(|s| s.ready_replicas));
        let name = self.metadata.name.clone()?;
        Some(KindRow {
            key: key(&self.metadata, context)?,
            cells: vec![
                Cell::Ratio(ready, wanted),
                Cell::Count(i64::from(count(status.and_then(|s| s.updated_replicas)))),
                Cell::Count(i64::from(count(status.and_then(|s| s.available_replicas)))),
                Cell::Age(created(&self.metadata)),
            ],
            severity: if ready < wanted {
                Severity::Warning
            } else {
                Severity::Ok
            },
            link: Link::Pods(OwnerRef {
                kind: "Deployment".into(),
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
