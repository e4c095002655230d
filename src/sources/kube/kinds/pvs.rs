//! `:pv`, like `kubectl get persistentvolumes`: NAME, CAPACITY, ACCESS
//! MODES, RECLAIM POLICY, STATUS, CLAIM, STORAGECLASS,
//! VOLUMEATTRIBUTESCLASS, REASON, AGE (cluster-wide).

use k8s_openapi::api::core::v1::PersistentVolume;

use crate::core::docker::Severity;
use crate::core::kube_kind::{Cell, KindRow, KindSpec, Link};
use crate::core::kube_kinds;

use super::{KindSource, cluster, created, key};

impl KindSource for PersistentVolume {
    const SPEC: &'static KindSpec = &kube_kinds::PVS;

    fn row(&self, context: &str) -> Option<KindRow> {
        let spec = self.spec.clone().unwrap_or_default();
        let status = self.status.clone().unwrap_or_default();
        let phase = status.phase.unwrap_or_else(|| "Pending".into());
        let capacity = spec
            .capacity
            .as_ref()
            .and_then(|c| c.get("storage"))
            .map(|q| q.0.clone())
            .unwrap_or_default();
        let modes: Vec<&str> = spec
            .access_modes
            .iter()
            .flatten()
            .map(|m| match m.as_str() {
                "ReadWriteOnce" => "RWO",
                "ReadOnlyMany" => "ROX",
                "ReadWriteMany" => "RWX",
                "ReadWriteOncePod" => "RWOP",
                other => other,
            })
            .collect();
        let claim = spec.claim_ref.as_ref().map(|c| {
            let ns = c.namespace.as_deref().unwrap_or_default();
            format!("{ns}/{}", c.name.as_deref().unwrap_or_default())
        });
        Some(KindRow {
            key: key(&self.metadata, context)?,
            cells: vec![
                Cell::text(capacity),
                Cell::text(modes.join(",")),
                Cell::text(
                    spec.persistent_volume_reclaim_policy
                        .unwrap_or_else(|| "Retain".into()),
                ),
                Cell::text(phase.clone()),
                Cell::text(claim.unwrap_or_default()),
                Cell::text(spec.storage_class_name.unwrap_or_default()),
                Cell::text(
                    spec.volume_attributes_class_name
                        .unwrap_or_else(|| "<unset>".into()),
                ),
                Cell::text(status.reason.unwrap_or_default()),
                Cell::Age(created(&self.metadata)),
            ],
            severity: match phase.as_str() {
                "Bound" | "Available" => Severity::Ok,
                "Released" => Severity::Idle,
                "Failed" => Severity::Broken,
                _ => Severity::Warning,
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
