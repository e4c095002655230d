//! `:sts`, like `kubectl get statefulsets`: NAME, READY, AGE.

use k8s_openapi::api::apps::v1::StatefulSet;

use crate::core::docker::Severity;
use crate::core::kube::OwnerRef;
use crate::core::kube_kind::{Cell, KindRow, KindSpec, Link};
use crate::core::kube_kinds;

use super::{KindSource, count, created, key, namespaced};

impl KindSource for StatefulSet {
    const SPEC: &'static KindSpec = &kube_kinds::STATEFULSETS;

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
                Cell::Age(created(&self.metadata)),
            ],
            severity: if ready < wanted {
                Severity::Warning
            } else {
                Severity::Ok
            },
            link: Link::Pods(OwnerRef {
                kind: "StatefulSet".into(),
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
