//! kubectl's `describeNode` (k8s.io/kubectl/pkg/describe/describe.go):
//! roles, labels, annotations, creation time, taints, whether it takes
//! new pods, the conditions table, addresses, capacity, allocatable,
//! system info, pod CIDRs and the provider ID, then the node's
//! `Non-terminated Pods` and `Allocated resources` (`describe_node_pods`,
//! from the pods the source lists on the node).
//!
//! Left out: kubectl's `Lease:` block (a GET of the node's Lease in
//! kube-node-lease, a kind the source does not read).

use std::collections::BTreeMap;

use serde_json::Value;

use chrono::{DateTime, Utc};

use super::describe::{Related, Writer, pairs, scalar, str_at, when_at};

/// kubectl's `findNodeRoles`: `node-role.kubernetes.io/ROLE` labels and a
/// non-empty `kubernetes.io/role`, sorted, without repeats.
fn roles(node: &Value) -> Vec<String> {
    let labels = node.pointer("/metadata/labels").and_then(Value::as_object);
    let mut roles: Vec<String> = labels
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| match k.strip_prefix("node-role.kubernetes.io/") {
            Some(role) if !role.is_empty() => Some(role.to_string()),
            Some(_) => None,
            None if k == "kubernetes.io/role" => {
                v.as_str().filter(|v| !v.is_empty()).map(str::to_string)
            }
            None => None,
        })
        .collect();
    roles.sort();
    roles.dedup();
    roles
}

/// A taint as `corev1.Taint.ToString` writes it: `key=value:Effect`,
/// `key:Effect`, `key=value:` or `key`.
fn taint(t: &Value) -> String {
    let (key, value, effect) = (str_at(t, "/key"), str_at(t, "/value"), str_at(t, "/effect"));
    match (value.is_empty(), effect.is_empty()) {
        (true, true) => key.to_string(),
        (false, true) => format!("{key}={value}:"),
        (true, false) => format!("{key}:{effect}"),
        (false, false) => format!("{key}={value}:{effect}"),
    }
}

/// kubectl's `describeNode`, less the Lease; the pods' blocks when the
/// source listed the node's pods.
pub(super) fn node(w: &mut Writer, node: &Value, related: &Related, now: DateTime<Utc>) {
    w.field(0, "Name", str_at(node, "/metadata/name"));
    w.field(0, "Roles", roles(node).join(","));
    w.many(0, "Labels", &pairs(node.pointer("/metadata/labels"), None));
    w.annotations("Annotations", node.pointer("/metadata/annotations"));
    w.field(
        0,
        "CreationTimestamp",
        when_at(node, "/metadata/creationTimestamp"),
    );
    let mut taints: Vec<&Value> = node
        .pointer("/spec/taints")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .collect();
    // kubectl sorts them by effect, then key.
    taints.sort_by_key(|t| format!("{},{}", str_at(t, "/effect"), str_at(t, "/key")));
    let taints: Vec<String> = taints.into_iter().map(taint).collect();
    w.many(0, "Taints", &taints);
    let unschedulable = node.pointer("/spec/unschedulable").and_then(Value::as_bool);
    w.field(
        0,
        "Unschedulable",
        unschedulable.unwrap_or(false).to_string(),
    );
    conditions(w, node);
    w.head(0, "Addresses");
    let addresses = node.pointer("/status/addresses").and_then(Value::as_array);
    for a in addresses.into_iter().flatten() {
        w.raw(
            1,
            &format!("{}:\t{}", str_at(a, "/type"), str_at(a, "/address")),
        );
    }
    for (word, field) in [("Capacity", "capacity"), ("Allocatable", "allocatable")] {
        let list = node
            .pointer(&format!("/status/{field}"))
            .and_then(Value::as_object);
        if let Some(list) = list.filter(|l| !l.is_empty()) {
            w.head(0, word);
            let sorted: BTreeMap<&String, &Value> = list.iter().collect();
            for (name, q) in sorted {
                w.raw(1, &format!("{name}:\t{}", scalar(q)));
            }
        }
    }
    w.head(0, "System Info");
    for (word, field) in [
        ("Machine ID", "machineID"),
        ("System UUID", "systemUUID"),
        ("Boot ID", "bootID"),
        ("Kernel Version", "kernelVersion"),
        ("OS Image", "osImage"),
        ("Operating System", "operatingSystem"),
        ("Architecture", "architecture"),
        ("Container Runtime Version", "containerRuntimeVersion"),
        ("Kubelet Version", "kubeletVersion"),
        ("Kube-Proxy Version", "kubeProxyVersion"),
    ] {
        // kubectl leaves an unknown one blank.
        let value = str_at(node, &format!("/status/nodeInfo/{field}"));
        w.raw(1, &format!("{word}:\t{value}"));
    }
    let cidr = str_at(node, "/spec/podCIDR");
    if !cidr.is_empty() {
        w.field(0, "PodCIDR", cidr);
    }
    let cidrs: Vec<String> = node
        .pointer("/spec/podCIDRs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(scalar)
        .collect();
    if !cidrs.is_empty() {
        w.field(0, "PodCIDRs", cidrs.join(","));
    }
    let provider = str_at(node, "/spec/providerID");
    if !provider.is_empty() {
        w.field(0, "ProviderID", provider);
    }
    if let Some(pods) = &related.node_pods {
        super::describe_node_pods::node_resources(w, node, pods, now);
    }
}

/// The node's conditions with their heartbeat and transition times; each
/// cell but the last is followed by a space, as kubectl's format has it.
fn conditions(w: &mut Writer, node: &Value) {
    let list = node.pointer("/status/conditions").and_then(Value::as_array);
    let Some(list) = list.filter(|l| !l.is_empty()) else {
        return;
    };
    w.head(0, "Conditions");
    w.raw(
        1,
        "Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage",
    );
    w.raw(
        1,
        "----\t------\t-----------------\t------------------\t------\t-------",
    );
    for c in list {
        w.raw(
            1,
            &format!(
                "{} \t{} \t{} \t{} \t{} \t{}",
                str_at(c, "/type"),
                str_at(c, "/status"),
                when_at(c, "/lastHeartbeatTime"),
                when_at(c, "/lastTransitionTime"),
                str_at(c, "/reason"),
                str_at(c, "/message"),
            ),
        );
    }
}
