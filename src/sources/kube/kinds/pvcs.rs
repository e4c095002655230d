//! `:pvc`, like `kubectl get persistentvolumeclaims`: NAME, STATUS,
//! VOLUME, CAPACITY, ACCESS MODES, STORAGECLASS, VOLUMEATTRIBUTESCLASS, AGE.

use k8s_openapi::api::core::v1::PersistentVolumeClaim;

use crate::core::docker::Severity;
use crate::core::kube_kind::{Cell, KindRow, KindSpec, Link};
use crate::core::kube_kinds;

use super::{KindSource, created, key, namespaced};

impl KindSource for PersistentVolumeClaim {
    const SPEC: &'static KindSpec = &kube_kinds::PVCS;

    fn row(&self, context: &str) -> Option<KindRow> {
        let spec = self.spec.clone().unwrap_or_default();
        let status = self.status.clone().unwrap_or_default();
        let phase = status.phase.clone().unwrap_or_else(|| "Pending".into());
        let bound = phase == "Bound";
        // kubectl shows capacity and modes from the status, once bound.
        let capacity = status
            .capacity
            .as_ref()
            .and_then(|c| c.get("storage"))
            .map(|q| q.0.clone())
            .filter(|_| bound)
            .unwrap_or_default();
        let modes: Vec<&str> = status
            .access_modes
            .iter()
            .flatten()
            .filter(|_| bound)
            .map(|m| match m.as_str() {
                "ReadWriteOnce" => "RWO",
                "ReadOnlyMany" => "ROX",
                "ReadWriteMany" => "RWX",
                "ReadWriteOncePod" => "RWOP",
                other => other,
            })
            .collect();
        let deleting = self.metadata.deletion_timestamp.is_some();
        let phase = if deleting {
            "Terminating".into()
        } else {
            phase
        };
        Some(KindRow {
            key: key(&self.metadata, context)?,
            cells: vec![
                Cell::text(phase.clone()),
                Cell::text(spec.volume_name.unwrap_or_default()),
                Cell::text(capacity),
                Cell::text(modes.join(",")),
                Cell::text(spec.storage_class_name.unwrap_or_default()),
                Cell::text(
                    spec.volume_attributes_class_name
                        .unwrap_or_else(|| "<unset>".into()),
                ),
                Cell::Age(created(&self.metadata)),
            ],
            severity: match phase.as_str() {
                "Bound" => Severity::Ok,
                "Lost" => Severity::Broken,
                _ => Severity::Warning,
            },
            link: Link::Nothing,
            warning: false,
            owner: None,
        })
    }

    fn api(client: kube::Client, namespace: Option<&str>) -> kube::Api<Self> {
        namespaced(client, namespace)
    }
}
