//! `kubectl describe pod` (k8s.io/kubectl/pkg/describe, `describePod`):
//! the pod's placement and status, each container (image, ports, state,
//! probes, resources, environment, mounts), conditions, volumes, QoS,
//! node selectors and tolerations; and `DescribePodTemplate`, the same
//! containers and volumes as the workload describers show a pod template.
//! An environment variable from a Secret reads `<set to the key 'k' in
//! secret 's'>` as in kubectl: the value is never fetched.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{ContainerStatus, Pod, PodTemplateSpec};
use serde_json::Value;

use super::describe::{Writer, pairs, when};
use super::describe_containers::{Place, containers, tolerations};
use super::describe_volumes::volumes;

pub(super) fn pod(w: &mut Writer, object: &Value) {
    let pod: Pod = match serde_json::from_value(object.clone()) {
        Ok(p) => p,
        Err(e) => {
            w.header(object);
            w.field(
                0,
                "Error",
                format!("the pod's fields could not be read: {e}"),
            );
            return;
        }
    };
    let spec = pod.spec.clone().unwrap_or_default();
    let status = pod.status.clone().unwrap_or_default();
    let meta = &pod.metadata;
    w.field(0, "Name", meta.name.as_deref().unwrap_or_default());
    w.field(
        0,
        "Namespace",
        meta.namespace.as_deref().unwrap_or_default(),
    );
    w.field(0, "Priority", spec.priority.unwrap_or(0).to_string());
    if let Some(class) = &spec.priority_class_name {
        w.field(0, "Priority Class Name", class);
    }
    w.field(
        0,
        "Service Account",
        spec.service_account_name.as_deref().unwrap_or("default"),
    );
    let node = match (&spec.node_name, &status.host_ip) {
        (Some(n), Some(ip)) => format!("{n}/{ip}"),
        (Some(n), None) => n.clone(),
        _ => "<none>".into(),
    };
    w.field(0, "Node", node);
    if let Some(t) = &status.start_time {
        w.field(0, "Start Time", when(t));
    }
    w.many(
        0,
        "Labels",
        &pairs(object.pointer("/metadata/labels"), None),
    );
    w.annotations("Annotations", object.pointer("/metadata/annotations"));
    if let Some(t) = &meta.deletion_timestamp {
        w.field(0, "Status", format!("Terminating (lasts {})", when(t)));
    } else {
        w.field(0, "Status", status.phase.as_deref().unwrap_or_default());
    }
    if let Some(reason) = &status.reason {
        w.field(0, "Reason", reason);
    }
    if let Some(message) = &status.message {
        w.field(0, "Message", message);
    }
    w.field(0, "IP", status.pod_ip.as_deref().unwrap_or_default());
    let ips: Vec<String> = status
        .pod_ips
        .iter()
        .flatten()
        .map(|i| i.ip.clone())
        .collect();
    if ips.is_empty() {
        w.field(0, "IPs", "<none>");
    } else {
        w.head(0, "IPs");
        for ip in ips {
            w.field(1, "IP", ip);
        }
    }
    if let Some(owner) = meta
        .owner_references
        .iter()
        .flatten()
        .find(|o| o.controller == Some(true))
    {
        w.field(0, "Controlled By", format!("{}/{}", owner.kind, owner.name));
    }
    let statuses: BTreeMap<&str, &ContainerStatus> = status
        .container_statuses
        .iter()
        .flatten()
        .chain(status.init_container_statuses.iter().flatten())
        .map(|s| (s.name.as_str(), s))
        .collect();
    let init = spec.init_containers.as_deref().unwrap_or_default();
    if !init.is_empty() {
        containers(w, Place::Pod, "Init Containers", init, &statuses);
    }
    containers(w, Place::Pod, "Containers", &spec.containers, &statuses);
    let conditions = status.conditions.as_deref().unwrap_or_default();
    if !conditions.is_empty() {
        w.head(0, "Conditions");
        w.raw(1, "Type\tStatus");
        for c in conditions {
            w.raw(1, &format!("{}\t{}", c.type_, c.status));
        }
    }
    volumes(w, Place::Pod, spec.volumes.as_deref().unwrap_or_default());
    w.field(
        0,
        "QoS Class",
        status.qos_class.as_deref().unwrap_or_default(),
    );
    let selectors: Vec<String> = spec
        .node_selector
        .iter()
        .flatten()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    w.many(0, "Node-Selectors", &selectors);
    let tolerations = tolerations(spec.tolerations.as_deref().unwrap_or_default());
    w.many(0, "Tolerations", &tolerations);
}

/// kubectl's `DescribePodTemplate`: the template's labels and annotations,
/// its service account, containers (no statuses: none run yet), volumes,
/// priority class, node selectors and tolerations, two spaces in.
pub(super) fn pod_template(w: &mut Writer, template: Option<&Value>) {
    w.head(0, "Pod Template");
    let Some(template) = template.filter(|t| !t.is_null()) else {
        return w.raw(1, "<unset>");
    };
    let t: PodTemplateSpec = match serde_json::from_value(template.clone()) {
        Ok(t) => t,
        Err(e) => {
            return w.field(
                1,
                "Error",
                format!("the pod template could not be read: {e}"),
            );
        }
    };
    let spec = t.spec.unwrap_or_default();
    w.many(
        0,
        "  Labels",
        &pairs(template.pointer("/metadata/labels"), None),
    );
    let annotations = template.pointer("/metadata/annotations");
    if annotations
        .and_then(Value::as_object)
        .is_some_and(|a| !a.is_empty())
    {
        w.annotations("  Annotations", annotations);
    }
    if let Some(sa) = spec
        .service_account_name
        .as_deref()
        .filter(|s| !s.is_empty())
    {
        w.field(1, "Service Account", sa);
    }
    let none = BTreeMap::new();
    let init = spec.init_containers.as_deref().unwrap_or_default();
    if !init.is_empty() {
        containers(w, Place::Template, "Init Containers", init, &none);
    }
    containers(w, Place::Template, "Containers", &spec.containers, &none);
    volumes(
        w,
        Place::Template,
        spec.volumes.as_deref().unwrap_or_default(),
    );
    if let Some(class) = spec
        .priority_class_name
        .as_deref()
        .filter(|c| !c.is_empty())
    {
        w.field(1, "Priority Class Name", class);
    }
    w.many(
        0,
        "  Node-Selectors",
        &pairs(template.pointer("/spec/nodeSelector"), None),
    );
    let tolerations = tolerations(spec.tolerations.as_deref().unwrap_or_default());
    w.many(0, "  Tolerations", &tolerations);
}
