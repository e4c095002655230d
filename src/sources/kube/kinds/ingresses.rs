//! `:ing`, like `kubectl get ingresses`: NAME, CLASS, HOSTS, ADDRESS,
//! PORTS, AGE (kubectl's printIngress: `*` for a rule without a host,
//! `80, 443` when TLS is set).

use k8s_openapi::api::networking::v1::Ingress;

use crate::core::docker::Severity;
use crate::core::kube_kind::{Cell, KindRow, KindSpec, Link};
use crate::core::kube_kinds;

use super::{KindSource, created, key, namespaced};

impl KindSource for Ingress {
    const SPEC: &'static KindSpec = &kube_kinds::INGRESSES;

    fn row(&self, context: &str) -> Option<KindRow> {
        let spec = self.spec.clone().unwrap_or_default();
        let hosts: Vec<String> = spec
            .rules
            .iter()
            .flatten()
            .map(|r| r.host.clone().unwrap_or_else(|| "*".into()))
            .collect();
        let address: Vec<String> = self
            .status
            .as_ref()
            .and_then(|s| s.load_balancer.as_ref())
            .and_then(|l| l.ingress.as_ref())
            .map(|i| {
                i.iter()
                    .filter_map(|i| i.ip.clone().or_else(|| i.hostname.clone()))
                    .collect()
            })
            .unwrap_or_default();
        let tls = spec.tls.as_ref().is_some_and(|t| !t.is_empty());
        Some(KindRow {
            key: key(&self.metadata, context)?,
            cells: vec![
                Cell::or_none(spec.ingress_class_name),
                Cell::text(if hosts.is_empty() {
                    "*".into()
                } else {
                    hosts.join(",")
                }),
                Cell::text(address.join(",")),
                Cell::text(if tls { "80, 443" } else { "80" }),
                Cell::Age(created(&self.metadata)),
            ],
            severity: if address.is_empty() {
                Severity::Idle
            } else {
                Severity::Ok
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
