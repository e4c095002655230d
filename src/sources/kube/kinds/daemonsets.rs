//! `:ds`, like `kubectl get daemonsets`: NAME, DESIRED, CURRENT, READY,
//! UP-TO-DATE, AVAILABLE, NODE SELECTOR, AGE.

use k8s_openapi::api::apps::v1::DaemonSet;

use crate::core::docker::Severity;
use crate::core::kube::OwnerRef;
use crate::core::kube_kind::{Cell, KindRow, KindSpec, Link};
use crate::core::kube_kinds;

use super::{KindSource, created, key, namespaced};

impl KindSource for DaemonSet {
    const SPEC: &'static KindSpec = &kube_kinds::DAEMONSETS;

    fn row(&self, context: &str) -> Option<KindRow> {
        let s = self.status.clone().unwrap_or_default();
        let selector = self
            .spec
            .template
            .spec
            .as_ref()
            .and_then(|p| p.node_selector.as_ref())
            .map(|m| {
                m.iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(",")
            });
        let n = |v: i32| Cell::Count(i64::from(v));
        let name = self.metadata.name.clone()?;
        Some(KindRow {
            key: key(&self.metadata, context)?,
            cells: vec![
                n(s.desired_number_scheduled),
                n(s.current_number_scheduled),
                n(s.number_ready),
                n(s.updated_number_scheduled.unwrap_or(0)),
                n(s.number_available.unwrap_or(0)),
                Cell::or_none(selector),
                Cell::Age(created(&self.metadata)),
            ],
            severity: if s.number_ready < s.desired_number_scheduled {
                Severity::Warning
            } else {
                Severity::Ok
            },
            link: Link::Pods(OwnerRef {
                kind: "DaemonSet".into(),
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
