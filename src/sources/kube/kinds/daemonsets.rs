//! `:ds`, like `kubectl get daemonsets`: NAME, DESIRED, CURRENT, READY,
//! UP-TO-DATE, AVAILABLE, NODE SELECTOR, AGE.

use k8s_openapi::api::apps::v1::DaemonSet;

use crate::core::docker::Severity;
use crate::core::kube::OwnerRef;
use crate::core::kube_kind::{Cell, ColSpec, KindRow, KindSpec, Link};

use super::{KindSource, created, key, namespaced};

impl KindSource for DaemonSet {
    const SPEC: &'static KindSpec = &KindSpec {
        kind: "DaemonSet",
        plural: "daemonsets",
        aliases: &["ds", "daemonset", "daemonsets"],
        namespaced: true,
        shows_name: true,
        columns: &[
            ColSpec::new("DESIRED", 7, 7, 200),
            ColSpec::new("CURRENT", 7, 7, 140),
            ColSpec::new("READY", 5, 5, 240),
            ColSpec::new("UP-TO-DATE", 10, 10, 120),
            ColSpec::new("AVAILABLE", 9, 9, 130),
            ColSpec::new("NODE SELECTOR", 13, 40, 100),
            ColSpec::new("AGE", 8, 8, 150),
        ],
        first_sort: 0,
    };

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
        })
    }

    fn api(client: kube::Client, namespace: Option<&str>) -> kube::Api<Self> {
        namespaced(client, namespace)
    }
}
