//! `:no`, like `kubectl get nodes`: NAME, STATUS, ROLES, AGE, VERSION
//! (kubectl's printNode: the Ready condition's word, `,SchedulingDisabled`
//! when cordoned; roles from the `node-role.kubernetes.io/NAME` labels).

use k8s_openapi::api::core::v1::Node;

use crate::core::docker::Severity;
use crate::core::kube_kind::{Cell, KindRow, KindSpec, Link};
use crate::core::kube_kinds;

use super::{KindSource, cluster, created, key};

const ROLE_LABEL: &str = "node-role.kubernetes.io/";

impl KindSource for Node {
    const SPEC: &'static KindSpec = &kube_kinds::NODES;

    fn row(&self, context: &str) -> Option<KindRow> {
        let status = self.status.as_ref();
        let ready = status
            .and_then(|s| s.conditions.as_ref())
            .and_then(|c| c.iter().find(|c| c.type_ == "Ready"))
            .map(|c| c.status.as_str());
        let mut word = match ready {
            Some("True") => "Ready",
            Some("False") => "NotReady",
            _ => "Unknown",
        }
        .to_string();
        let cordoned = self.spec.as_ref().and_then(|s| s.unschedulable) == Some(true);
        if cordoned {
            word.push_str(",SchedulingDisabled");
        }
        let mut roles: Vec<String> = self
            .metadata
            .labels
            .iter()
            .flatten()
            .filter_map(|(k, v)| match k.strip_prefix(ROLE_LABEL) {
                Some(role) if !role.is_empty() => Some(role.to_string()),
                _ if k == "kubernetes.io/role" && !v.is_empty() => Some(v.clone()),
                _ => None,
            })
            .collect();
        roles.sort();
        roles.dedup();
        let version = status
            .and_then(|s| s.node_info.as_ref())
            .map(|i| i.kubelet_version.clone());
        Some(KindRow {
            key: key(&self.metadata, context)?,
            cells: vec![
                Cell::text(word),
                Cell::or_none(Some(roles.join(","))),
                Cell::Age(created(&self.metadata)),
                Cell::text(version.unwrap_or_default()),
                // Filled in from the metrics API while the list is on screen.
                Cell::Cpu(None),
                Cell::Memory(None),
            ],
            severity: match (ready, cordoned) {
                (Some("True"), false) => Severity::Ok,
                (Some("True"), true) => Severity::Idle,
                _ => Severity::Broken,
            },
            link: Link::Nothing,
            warning: false,
            owner: None,
        })
    }

    fn api(client: kube::Client, namespace: Option<&str>) -> kube::Api<Self> {
        cluster(client, namespace)
    }
}
