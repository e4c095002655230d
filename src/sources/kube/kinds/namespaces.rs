//! `:ns` alone, like `kubectl get namespaces`: NAME, STATUS, AGE. `Enter`
//! switches the pane to the namespace (as `:ns NAME` does).

use k8s_openapi::api::core::v1::Namespace;

use crate::core::docker::Severity;
use crate::core::kube_kind::{Cell, KindRow, KindSpec, Link};
use crate::core::kube_kinds;

use super::{KindSource, cluster, created, key};

impl KindSource for Namespace {
    const SPEC: &'static KindSpec = &kube_kinds::NAMESPACES;

    fn row(&self, context: &str) -> Option<KindRow> {
        let phase = self
            .status
            .as_ref()
            .and_then(|s| s.phase.clone())
            .unwrap_or_else(|| "Active".into());
        let name = self.metadata.name.clone()?;
        Some(KindRow {
            key: key(&self.metadata, context)?,
            cells: vec![
                Cell::text(phase.clone()),
                Cell::Age(created(&self.metadata)),
            ],
            severity: if phase == "Active" {
                Severity::Ok
            } else {
                Severity::Idle
            },
            link: Link::Namespace(name),
            warning: false,
            owner: None,
        })
    }

    fn api(client: kube::Client, namespace: Option<&str>) -> kube::Api<Self> {
        cluster(client, namespace)
    }
}
