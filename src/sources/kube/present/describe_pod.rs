//! `kubectl describe pod` (k8s.io/kubectl/pkg/describe, `describePod`):
//! the pod's placement and status, each container (image, ports, state,
//! probes, resources, environment, mounts), conditions, volumes, QoS,
//! node selectors and tolerations. An environment variable from a Secret
//! reads `<set to the key 'k' in secret 's'>` as in kubectl: the value is
//! never fetched.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use k8s_openapi::api::core::v1::{
    Container, ContainerState, ContainerStatus, Pod, Probe, Toleration, Volume,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde_json::Value;

use super::describe::{Writer, pairs};
use crate::sources::kube::convert::time;

/// kubectl's time format (RFC 1123 with a numeric zone).
fn when(t: &Time) -> String {
    let t: DateTime<Utc> = time(t);
    t.format("%a, %d %b %Y %H:%M:%S %z").to_string()
}

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
    w.many(
        0,
        "Annotations",
        &pairs(
            object.pointer("/metadata/annotations"),
            Some(super::LAST_APPLIED),
        ),
    );
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
    for (title, list) in [
        (
            "Init Containers",
            spec.init_containers.as_deref().unwrap_or_default(),
        ),
        ("Containers", spec.containers.as_slice()),
    ] {
        if list.is_empty() && title == "Init Containers" {
            continue;
        }
        w.head(0, title);
        for c in list {
            container(w, c, statuses.get(c.name.as_str()).copied());
        }
    }
    let conditions = status.conditions.as_deref().unwrap_or_default();
    if !conditions.is_empty() {
        w.head(0, "Conditions");
        w.raw(1, "Type\tStatus");
        for c in conditions {
            w.raw(1, &format!("{}\t{}", c.type_, c.status));
        }
    }
    volumes(w, spec.volumes.as_deref().unwrap_or_default());
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
    let tolerations: Vec<String> = spec.tolerations.iter().flatten().map(toleration).collect();
    w.many(0, "Tolerations", &tolerations);
}

fn container(w: &mut Writer, c: &Container, s: Option<&ContainerStatus>) {
    w.head(1, &c.name);
    if let Some(id) = s.and_then(|s| s.container_id.as_deref()) {
        w.field(2, "Container ID", id);
    }
    w.field(2, "Image", c.image.as_deref().unwrap_or_default());
    // kubectl leaves an unknown image ID blank rather than `<none>`.
    let image_id = s.map(|s| s.image_id.as_str()).unwrap_or_default();
    w.raw(2, &format!("Image ID:\t{image_id}"));
    let ports: Vec<String> = c
        .ports
        .iter()
        .flatten()
        .map(|p| {
            format!(
                "{}/{}",
                p.container_port,
                p.protocol.as_deref().unwrap_or("TCP")
            )
        })
        .collect();
    let host_ports: Vec<String> = c
        .ports
        .iter()
        .flatten()
        .map(|p| {
            format!(
                "{}/{}",
                p.host_port.unwrap_or(0),
                p.protocol.as_deref().unwrap_or("TCP")
            )
        })
        .collect();
    let (port_word, host_word) = if ports.len() > 1 {
        ("Ports", "Host Ports")
    } else {
        ("Port", "Host Port")
    };
    w.field(2, port_word, ports.join(", "));
    w.field(2, host_word, host_ports.join(", "));
    if let Some(cmd) = &c.command {
        w.head(2, "Command");
        cmd.iter().for_each(|a| w.raw(3, a));
    }
    if let Some(args) = &c.args {
        w.head(2, "Args");
        args.iter().for_each(|a| w.raw(3, a));
    }
    if let Some(s) = s {
        state(w, "State", s.state.as_ref());
        if s.last_state
            .as_ref()
            .is_some_and(|l| *l != ContainerState::default())
        {
            state(w, "Last State", s.last_state.as_ref());
        }
        w.field(2, "Ready", if s.ready { "True" } else { "False" });
        w.field(2, "Restart Count", s.restart_count.to_string());
    }
    let res = c.resources.clone().unwrap_or_default();
    for (word, map) in [("Limits", res.limits), ("Requests", res.requests)] {
        if let Some(map) = map.filter(|m| !m.is_empty()) {
            w.head(2, word);
            for (k, Quantity(q)) in map {
                w.field(3, &k, q);
            }
        }
    }
    for (word, probe) in [
        ("Liveness", &c.liveness_probe),
        ("Readiness", &c.readiness_probe),
        ("Startup", &c.startup_probe),
    ] {
        if let Some(p) = probe {
            w.field(2, word, probe_words(p));
        }
    }
    if let Some(from) = c.env_from.as_deref().filter(|f| !f.is_empty()) {
        w.head(2, "Environment Variables from");
        for f in from {
            let prefix = f.prefix.as_deref().unwrap_or_default();
            let (name, word, optional) = match (&f.config_map_ref, &f.secret_ref) {
                (Some(c), _) => (c.name.as_str(), "ConfigMap", c.optional),
                (_, Some(s)) => (s.name.as_str(), "Secret", s.optional),
                _ => continue,
            };
            let optional = optional.unwrap_or(false);
            let prefixed = if prefix.is_empty() {
                String::new()
            } else {
                format!(" with prefix '{prefix}'")
            };
            w.raw(
                3,
                &format!("{name}\t{word}{prefixed}\tOptional: {optional}"),
            );
        }
    }
    env(w, c);
    let mounts = c.volume_mounts.as_deref().unwrap_or_default();
    if mounts.is_empty() {
        w.field(2, "Mounts", "<none>");
    } else {
        w.head(2, "Mounts");
        for m in mounts {
            let mode = if m.read_only == Some(true) {
                "ro"
            } else {
                "rw"
            };
            let sub = match m.sub_path.as_deref().filter(|p| !p.is_empty()) {
                Some(p) => format!(",path=\"{p}\""),
                None => String::new(),
            };
            w.raw(
                3,
                &format!("{} from {} ({mode}{sub})", m.mount_path, m.name),
            );
        }
    }
}

/// kubectl's words per environment variable; a Secret's or ConfigMap's
/// key is named, its value never read.
fn env(w: &mut Writer, c: &Container) {
    let vars = c.env.as_deref().unwrap_or_default();
    if vars.is_empty() {
        return w.field(2, "Environment", "<none>");
    }
    w.head(2, "Environment");
    for e in vars {
        let Some(from) = &e.value_from else {
            w.raw(
                3,
                &format!("{}:\t{}", e.name, e.value.as_deref().unwrap_or_default()),
            );
            continue;
        };
        let line = if let Some(r) = &from.secret_key_ref {
            format!(
                "{}:\t<set to the key '{}' in secret '{}'>\tOptional: {}",
                e.name,
                r.key,
                r.name,
                r.optional.unwrap_or(false)
            )
        } else if let Some(r) = &from.config_map_key_ref {
            format!(
                "{}:\t<set to the key '{}' of config map '{}'>\tOptional: {}",
                e.name,
                r.key,
                r.name,
                r.optional.unwrap_or(false)
            )
        } else if let Some(f) = &from.field_ref {
            let version = f.api_version.as_deref().unwrap_or("v1");
            format!("{}:\t ({version}:{})", e.name, f.field_path)
        } else if let Some(r) = &from.resource_field_ref {
            format!("{}:\t ({})", e.name, r.resource)
        } else {
            format!("{}:\t<unknown>", e.name)
        };
        w.raw(3, &line);
    }
}

fn state(w: &mut Writer, word: &str, s: Option<&ContainerState>) {
    let s = s.cloned().unwrap_or_default();
    if let Some(r) = s.running {
        w.field(2, word, "Running");
        if let Some(t) = r.started_at {
            w.field(3, "Started", when(&t));
        }
    } else if let Some(t) = s.terminated {
        w.field(2, word, "Terminated");
        w.field(3, "Reason", t.reason.as_deref().unwrap_or_default());
        if let Some(m) = &t.message {
            w.field(3, "Message", m);
        }
        w.field(3, "Exit Code", t.exit_code.to_string());
        if let Some(sig) = t.signal.filter(|s| *s > 0) {
            w.field(3, "Signal", sig.to_string());
        }
        if let Some(at) = &t.started_at {
            w.field(3, "Started", when(at));
        }
        if let Some(at) = &t.finished_at {
            w.field(3, "Finished", when(at));
        }
    } else {
        w.field(2, word, "Waiting");
        if let Some(r) = s.waiting.and_then(|wt| wt.reason) {
            w.field(3, "Reason", r);
        }
    }
}

/// `http-get http://:8080/healthz delay=0s timeout=1s period=10s
/// #success=1 #failure=3`, the server's defaults where a field is unset.
fn probe_words(p: &Probe) -> String {
    let port = |p: &IntOrString| match p {
        IntOrString::Int(n) => n.to_string(),
        IntOrString::String(s) => s.clone(),
    };
    let how = if let Some(h) = &p.http_get {
        let scheme = h.scheme.as_deref().unwrap_or("HTTP").to_lowercase();
        let host = h.host.as_deref().unwrap_or_default();
        format!(
            "http-get {scheme}://{host}:{}{}",
            port(&h.port),
            h.path.as_deref().unwrap_or_default()
        )
    } else if let Some(t) = &p.tcp_socket {
        format!(
            "tcp-socket {}:{}",
            t.host.as_deref().unwrap_or_default(),
            port(&t.port)
        )
    } else if let Some(e) = &p.exec {
        format!(
            "exec [{}]",
            e.command.as_deref().unwrap_or_default().join(" ")
        )
    } else if let Some(g) = &p.grpc {
        format!(
            "grpc <pod>:{} {}",
            g.port,
            g.service.as_deref().unwrap_or_default()
        )
    } else {
        "unknown".into()
    };
    format!(
        "{how} delay={}s timeout={}s period={}s #success={} #failure={}",
        p.initial_delay_seconds.unwrap_or(0),
        p.timeout_seconds.unwrap_or(1),
        p.period_seconds.unwrap_or(10),
        p.success_threshold.unwrap_or(1),
        p.failure_threshold.unwrap_or(3)
    )
}

fn volumes(w: &mut Writer, list: &[Volume]) {
    if list.is_empty() {
        return w.field(0, "Volumes", "<none>");
    }
    w.head(0, "Volumes");
    for v in list {
        w.head(1, &v.name);
        if let Some(c) = &v.persistent_volume_claim {
            w.field(2, "Type", "PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)");
            w.field(2, "ClaimName", &c.claim_name);
            w.field(2, "ReadOnly", c.read_only.unwrap_or(false).to_string());
        } else if let Some(s) = &v.secret {
            w.field(2, "Type", "Secret (a volume populated by a Secret)");
            w.field(
                2,
                "SecretName",
                s.secret_name.as_deref().unwrap_or_default(),
            );
            w.field(2, "Optional", s.optional.unwrap_or(false).to_string());
        } else if let Some(c) = &v.config_map {
            w.field(2, "Type", "ConfigMap (a volume populated by a ConfigMap)");
            w.field(2, "Name", &c.name);
            w.field(2, "Optional", c.optional.unwrap_or(false).to_string());
        } else if let Some(e) = &v.empty_dir {
            w.field(
                2,
                "Type",
                "EmptyDir (a temporary directory that shares a pod's lifetime)",
            );
            w.field(2, "Medium", e.medium.as_deref().unwrap_or_default());
            w.field(
                2,
                "SizeLimit",
                e.size_limit
                    .as_ref()
                    .map(|q| q.0.as_str())
                    .unwrap_or("<unset>"),
            );
        } else if let Some(h) = &v.host_path {
            w.field(2, "Type", "HostPath (bare host directory volume)");
            w.field(2, "Path", &h.path);
            w.field(2, "HostPathType", h.type_.as_deref().unwrap_or_default());
        } else if v.projected.is_some() {
            w.field(
                2,
                "Type",
                "Projected (a volume that contains injected data from multiple sources)",
            );
        } else {
            w.field(2, "Type", "<unknown>");
        }
    }
}

/// `key=value:Effect op=Exists for 300s`, kubectl's toleration words.
fn toleration(t: &Toleration) -> String {
    let mut s = t.key.clone().unwrap_or_default();
    if let Some(v) = t.value.as_deref().filter(|v| !v.is_empty()) {
        s.push('=');
        s.push_str(v);
    }
    if let Some(e) = t.effect.as_deref().filter(|e| !e.is_empty()) {
        s.push(':');
        s.push_str(e);
    }
    if t.operator.as_deref() == Some("Exists") && t.value.is_none() {
        s.push_str(" op=Exists");
    }
    if let Some(secs) = t.toleration_seconds {
        s.push_str(&format!(" for {secs}s"));
    }
    s
}
