//! `:sec`, like `kubectl get secrets`: NAME, TYPE, DATA, AGE, and the key
//! names (KEYS) beside them. Only `data`'s keys are read: a value is never
//! decoded, copied into a row, logged or written to a bundle.

use k8s_openapi::api::core::v1::Secret;

use crate::core::docker::Severity;
use crate::core::kube_kind::{Cell, KindRow, KindSpec, Link};
use crate::core::kube_kinds;

use super::{KindSource, created, key, namespaced};

impl KindSource for Secret {
    const SPEC: &'static KindSpec = &kube_kinds::SECRETS;

    fn row(&self, context: &str) -> Option<KindRow> {
        let keys: Vec<&str> = self
            .data
            .as_ref()
            .map(|d| d.keys().map(String::as_str).collect())
            .unwrap_or_default();
        Some(KindRow {
            key: key(&self.metadata, context)?,
            cells: vec![
                Cell::text(self.type_.clone().unwrap_or_else(|| "Opaque".into())),
                Cell::Count(i64::try_from(keys.len()).unwrap_or(i64::MAX)),
                Cell::Age(created(&self.metadata)),
                Cell::text(keys.join(",")),
            ],
            severity: Severity::Ok,
            link: Link::Nothing,
            warning: false,
            owner: None,
        })
    }

    fn api(client: kube::Client, namespace: Option<&str>) -> kube::Api<Self> {
        namespaced(client, namespace)
    }
}
