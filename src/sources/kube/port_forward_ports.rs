//! What a port-forward needs read first: the ports a pod's containers or
//! a Service declare (the dialog offers them), and for a Service the pod
//! and port its traffic would reach, resolved as `kubectl port-forward
//! svc/NAME` does: one ready pod its selector matches, and the port's
//! `targetPort` (a number, or a container port's name in that pod).

use k8s_openapi::api::core::v1::{Pod, Service};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use kube::api::ListParams;
use kube::{Api, Client};

use crate::core::port_forwards::{ForwardTarget, OfferedPort};

use super::errors::plain_error;

fn port_u16(n: i32) -> Option<u16> {
    u16::try_from(n).ok().filter(|p| *p > 0)
}

/// The declared TCP ports (UDP cannot be forwarded through the API).
pub async fn list_ports(
    client: Client,
    target: &ForwardTarget,
) -> Result<Vec<OfferedPort>, String> {
    let what = target.label();
    if target.service {
        let api: Api<Service> = Api::namespaced(client, &target.namespace);
        let svc = api
            .get(&target.name)
            .await
            .map_err(|e| format!("{what}: {}", plain_error(&e)))?;
        return Ok(service_ports(&svc));
    }
    let api: Api<Pod> = Api::namespaced(client, &target.namespace);
    let pod = api
        .get(&target.name)
        .await
        .map_err(|e| format!("{what}: {}", plain_error(&e)))?;
    Ok(pod_ports(&pod))
}

fn tcp(protocol: Option<&String>) -> bool {
    protocol.is_none_or(|p| p == "TCP")
}

fn pod_ports(pod: &Pod) -> Vec<OfferedPort> {
    let containers = pod.spec.iter().flat_map(|s| s.containers.iter());
    let mut out = Vec::new();
    for c in containers {
        for p in c.ports.iter().flatten() {
            let Some(port) = port_u16(p.container_port).filter(|_| tcp(p.protocol.as_ref())) else {
                continue;
            };
            out.push(OfferedPort {
                port,
                name: p.name.clone().unwrap_or_default(),
                protocol: "TCP".into(),
                note: format!("container {}", c.name),
            });
        }
    }
    out
}

fn service_ports(svc: &Service) -> Vec<OfferedPort> {
    let ports = svc.spec.iter().flat_map(|s| s.ports.iter().flatten());
    ports
        .filter(|p| tcp(p.protocol.as_ref()))
        .filter_map(|p| {
            let target = match &p.target_port {
                Some(IntOrString::Int(n)) => n.to_string(),
                Some(IntOrString::String(name)) => name.clone(),
                None => p.port.to_string(),
            };
            Some(OfferedPort {
                port: port_u16(p.port)?,
                name: p.name.clone().unwrap_or_default(),
                protocol: "TCP".into(),
                note: format!("targetPort {target}"),
            })
        })
        .collect()
}

/// The pod and its port the bytes go to: the pod itself, or one ready
/// pod of the Service and the port's `targetPort`.
pub async fn resolve(
    client: &Client,
    target: &ForwardTarget,
    remote: u16,
) -> Result<(String, u16), String> {
    if !target.service {
        return Ok((target.name.clone(), remote));
    }
    let name = &target.name;
    let services: Api<Service> = Api::namespaced(client.clone(), &target.namespace);
    let svc = services
        .get(name)
        .await
        .map_err(|e| format!("service {name}: {}", plain_error(&e)))?;
    let spec = svc.spec.unwrap_or_default();
    let selector = spec.selector.unwrap_or_default();
    if selector.is_empty() {
        return Err(format!(
            "service {name} has no selector, so it has no pod to forward to"
        ));
    }
    let ports = spec.ports.unwrap_or_default();
    let Some(port) = ports.iter().find(|p| port_u16(p.port) == Some(remote)) else {
        let have: Vec<String> = ports.iter().map(|p| p.port.to_string()).collect();
        return Err(format!(
            "service {name} has no port {remote}; it has {}",
            have.join(", ")
        ));
    };
    let labels: Vec<String> = selector.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let pods: Api<Pod> = Api::namespaced(client.clone(), &target.namespace);
    let list = pods
        .list(&ListParams::default().labels(&labels.join(",")))
        .await
        .map_err(|e| format!("pods of service {name}: {}", plain_error(&e)))?;
    let mut ready: Vec<Pod> = list.items.into_iter().filter(is_ready).collect();
    ready.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    let Some(pod) = ready.into_iter().next() else {
        return Err(format!("service {name} has no ready pod to forward to"));
    };
    let pod_name = pod.metadata.name.clone().unwrap_or_default();
    let to = match &port.target_port {
        Some(IntOrString::Int(n)) => port_u16(*n),
        Some(IntOrString::String(named)) => pod_ports(&pod)
            .into_iter()
            .find(|p| p.name == *named)
            .map(|p| p.port),
        None => Some(remote),
    };
    match to {
        Some(p) => Ok((pod_name, p)),
        None => Err(format!(
            "service {name} port {remote} targets a port pod {pod_name} does not declare"
        )),
    }
}

fn is_ready(pod: &Pod) -> bool {
    let Some(status) = &pod.status else {
        return false;
    };
    pod.metadata.deletion_timestamp.is_none()
        && status.phase.as_deref() == Some("Running")
        && status
            .conditions
            .iter()
            .flatten()
            .any(|c| c.type_ == "Ready" && c.status == "True")
}
