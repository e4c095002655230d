//! `:ds`, like `kubectl get daemonsets`: NAME, DESIRED, CURRENT, READY,
//! UP-TO-DATE, AVAILABLE, NODE SELECTOR, AGE.

use k8s_openapi::api::apps::v1::DaemonSet;

use crate::core::kube_kind::{Cell, KindRow, KindSpec};
use crate::core::kube_kinds;

use super::{KindSource, count, created, namespaced, workload_row};

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
        let cells = vec![
            n(s.desired_number_scheduled),
            n(s.current_number_scheduled),
            n(s.number_ready),
            n(s.updated_number_scheduled.unwrap_or(0)),
            n(s.number_available.unwrap_or(0)),
            Cell::or_none(selector),
            Cell::Age(created(&self.metadata)),
        ];
        let (ready, wanted) = (
            count(Some(s.number_ready)),
            count(Some(s.desired_number_scheduled)),
        );
        workload_row(self, context, cells, ready, wanted)
    }

    fn api(client: kube::Client, namespace: Option<&str>) -> kube::Api<Self> {
        namespaced(client, namespace)
    }
}
