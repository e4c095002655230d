//! `:svc`, like `kubectl get services`: NAME, TYPE, CLUSTER-IP,
//! EXTERNAL-IP, PORT(S), AGE, in kubectl's words (pkg/printers
//! internalversion printService and getServiceExternalIP).

use k8s_openapi::api::core::v1::Service;

use crate::core::docker::Severity;
use crate::core::kube_kind::{Cell, KindRow, KindSpec, Link};
use crate::core::kube_kinds;

use super::{KindSource, created, key, namespaced};

impl KindSource for Service {
    const SPEC: &'static KindSpec = &kube_kinds::SERVICES;

    fn row(&self, context: &str) -> Option<KindRow> {
        let spec = self.spec.clone().unwrap_or_default();
        let kind = spec.type_.clone().unwrap_or_else(|| "ClusterIP".into());
        let external: Vec<String> = spec.external_ips.clone().unwrap_or_default();
        let balancer: Vec<String> = self
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
        let external_ip = match kind.as_str() {
            "LoadBalancer" if balancer.is_empty() && external.is_empty() => "<pending>".into(),
            "LoadBalancer" => [balancer, external].concat().join(","),
            "ExternalName" => spec.external_name.clone().unwrap_or_default(),
            _ if external.is_empty() => "<none>".into(),
            _ => external.join(","),
        };
        let ports: Vec<String> = spec
            .ports
            .iter()
            .flatten()
            .map(|p| {
                let proto = p.protocol.as_deref().unwrap_or("TCP");
                match p.node_port {
                    Some(n) => format!("{}:{n}/{proto}", p.port),
                    None => format!("{}/{proto}", p.port),
                }
            })
            .collect();
        let pending = kind == "LoadBalancer" && external_ip == "<pending>";
        Some(KindRow {
            key: key(&self.metadata, context)?,
            cells: vec![
                Cell::text(kind),
                Cell::or_none(spec.cluster_ip),
                Cell::text(external_ip),
                Cell::or_none(Some(ports.join(","))),
                Cell::Age(created(&self.metadata)),
            ],
            severity: if pending {
                Severity::Warning
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
