//! kubectl's `describeService` (k8s.io/kubectl/pkg/describe/describe.go):
//! type, IP families, cluster IPs, each port with its target port, node
//! port and ready endpoints (from the Service's EndpointSlices, kubectl's
//! `formatEndpointSlices`), session affinity and the traffic policies.

use serde_json::Value;

use super::describe::{Related, Writer, pairs, scalar, str_at};

fn strings(v: &Value, pointer: &str) -> Vec<String> {
    v.pointer(pointer)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(scalar)
        .collect()
}

/// kubectl's `describeService`.
pub(super) fn service(w: &mut Writer, svc: &Value, related: &Related) {
    w.field(0, "Name", str_at(svc, "/metadata/name"));
    w.field(0, "Namespace", str_at(svc, "/metadata/namespace"));
    w.many(0, "Labels", &pairs(svc.pointer("/metadata/labels"), None));
    w.annotations("Annotations", svc.pointer("/metadata/annotations"));
    w.field(
        0,
        "Selector",
        pairs(svc.pointer("/spec/selector"), None).join(","),
    );
    w.field(0, "Type", str_at(svc, "/spec/type"));
    let policy = str_at(svc, "/spec/ipFamilyPolicy");
    if !policy.is_empty() {
        w.field(0, "IP Family Policy", policy);
    }
    w.field(0, "IP Families", strings(svc, "/spec/ipFamilies").join(","));
    w.field(0, "IP", str_at(svc, "/spec/clusterIP"));
    w.field(0, "IPs", strings(svc, "/spec/clusterIPs").join(","));
    let external = strings(svc, "/spec/externalIPs");
    if !external.is_empty() {
        w.field(0, "External IPs", external.join(","));
    }
    for (word, pointer) in [
        ("Desired LoadBalancer IP", "/spec/loadBalancerIP"),
        ("External Name", "/spec/externalName"),
    ] {
        let value = str_at(svc, pointer);
        if !value.is_empty() {
            w.field(0, word, value);
        }
    }
    let ingress = load_balancer_ingress(svc);
    if !ingress.is_empty() {
        w.field(0, "LoadBalancer Ingress", ingress);
    }
    let ports = svc.pointer("/spec/ports").and_then(Value::as_array);
    for port in ports.into_iter().flatten() {
        let name = str_at(port, "/name");
        let shown = if name.is_empty() { "<unset>" } else { name };
        let protocol = match str_at(port, "/protocol") {
            "" => "TCP",
            p => p,
        };
        let number = port.get("port").and_then(Value::as_i64).unwrap_or(0);
        w.raw(0, &format!("Port:\t{shown}\t{number}/{protocol}"));
        // Go's zero IntOrString prints 0; the API server always sets it.
        let target = port.get("targetPort").map_or("0".into(), scalar);
        w.raw(0, &format!("TargetPort:\t{target}/{protocol}"));
        if let Some(node_port) = port
            .get("nodePort")
            .and_then(Value::as_i64)
            .filter(|n| *n != 0)
        {
            w.raw(0, &format!("NodePort:\t{shown}\t{node_port}/{protocol}"));
        }
        w.field(0, "Endpoints", endpoints(&related.endpoint_slices, name));
    }
    w.field(0, "Session Affinity", str_at(svc, "/spec/sessionAffinity"));
    for (word, pointer) in [
        ("External Traffic Policy", "/spec/externalTrafficPolicy"),
        ("Internal Traffic Policy", "/spec/internalTrafficPolicy"),
    ] {
        let value = str_at(svc, pointer);
        if !value.is_empty() {
            w.field(0, word, value);
        }
    }
    if let Some(n) = svc
        .pointer("/spec/healthCheckNodePort")
        .and_then(Value::as_i64)
        .filter(|n| *n != 0)
    {
        w.field(0, "HealthCheck NodePort", n.to_string());
    }
    let ranges = strings(svc, "/spec/loadBalancerSourceRanges");
    if !ranges.is_empty() {
        w.field(0, "LoadBalancer Source Ranges", ranges.join(","));
    }
    let distribution = str_at(svc, "/spec/trafficDistribution");
    if !distribution.is_empty() {
        w.field(0, "Traffic Distribution", distribution);
    }
}

/// kubectl's `buildIngressString`: each load balancer's IP (with its IP
/// mode) or host name.
fn load_balancer_ingress(svc: &Value) -> String {
    let list = svc
        .pointer("/status/loadBalancer/ingress")
        .and_then(Value::as_array);
    let words: Vec<String> = list
        .into_iter()
        .flatten()
        .map(|i| match (str_at(i, "/ip"), str_at(i, "/ipMode")) {
            ("", _) => str_at(i, "/hostname").to_string(),
            (ip, "") => ip.to_string(),
            (ip, mode) => format!("{ip} ({mode})"),
        })
        .collect();
    words.join(", ")
}

/// kubectl's `formatEndpointSlices` for one port name: the ready
/// endpoints' first addresses with the slice's port number, three at most
/// and `+ N more...`; `<none>` when there are none (or the slices could
/// not be listed, as kubectl reads a failed list).
pub(super) fn endpoints(slices: &[Value], port_name: &str) -> String {
    const MAX: usize = 3;
    let mut list: Vec<String> = Vec::new();
    let (mut more, mut count) = (false, 0usize);
    for slice in slices {
        let eps = slice.get("endpoints").and_then(Value::as_array);
        let ports = slice
            .get("ports")
            .and_then(Value::as_array)
            .filter(|p| !p.is_empty());
        // A headless Service's slices may have no ports: addresses alone.
        let numbers: Vec<Option<i64>> = match ports {
            None => vec![None],
            Some(ports) => ports
                .iter()
                .filter(|p| str_at(p, "/name") == port_name)
                .map(|p| Some(p.get("port").and_then(Value::as_i64).unwrap_or(0)))
                .collect(),
        };
        for number in numbers {
            for ep in eps.into_iter().flatten() {
                if list.len() == MAX {
                    more = true;
                }
                // No `ready` condition counts as ready (discovery/v1 says so).
                if ep.pointer("/conditions/ready").and_then(Value::as_bool) == Some(false) {
                    continue;
                }
                let addr = ep.pointer("/addresses/0").map(scalar).unwrap_or_default();
                if !more {
                    list.push(match number {
                        None => addr,
                        Some(n) if addr.contains(':') => format!("[{addr}]:{n}"),
                        Some(n) => format!("{addr}:{n}"),
                    });
                }
                count += 1;
            }
        }
    }
    if list.is_empty() && !more {
        return "<none>".into();
    }
    let text = list.join(",");
    if more {
        format!("{text} + {} more...", count - MAX)
    } else {
        text
    }
}
