//! `:cm`, like `kubectl get configmaps`: NAME, DATA (data and binaryData
//! entries), AGE.

use k8s_openapi::api::core::v1::ConfigMap;

use crate::core::docker::Severity;
use crate::core::kube_kind::{Cell, ColSpec, KindRow, KindSpec, Link};

use super::{KindSource, created, key, namespaced};

impl KindSource for ConfigMap {
    const SPEC: &'static KindSpec = &KindSpec {
        kind: "ConfigMap",
        plural: "configmaps",
        aliases: &["cm", "configmap", "configmaps"],
        namespaced: true,
        shows_name: true,
        columns: &[
            ColSpec::new("DATA", 4, 6, 200),
            ColSpec::new("AGE", 8, 8, 150),
        ],
        first_sort: 0,
    };

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
        })
    }

    fn api(client: kube::Client, namespace: Option<&str>) -> kube::Api<Self> {
        namespaced(client, namespace)
    }
}
