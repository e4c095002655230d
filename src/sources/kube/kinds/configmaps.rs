//! `:cm`, like `kubectl get configmaps`: NAME, DATA (data and binaryData
//! entries), AGE.

use k8s_openapi::api::core::v1::ConfigMap;

use crate::core::docker::Severity;
use crate::core::kube_kind::{Cell, KindRow, KindSpec, Link};
use crate::core::kube_kinds;

use super::{KindSource, created, key, namespaced};

impl KindSource for ConfigMap {
    const SPEC: &'static KindSpec = &kube_kinds::CONFIGMAPS;

    fn row(&self, context: &str) -> Option<KindRow> {
        let entries = self.data.as_ref().map_or(0, |d| d.len())
            + self.binary_data.as_ref().map_or(0, |d| d.len());
        Some(KindRow {
            key: key(&self.metadata, context)?,
            cells: vec![
                Cell::Count(i64::try_from(entries).unwrap_or(i64::MAX)),
                Cell::Age(created(&self.metadata)),
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
