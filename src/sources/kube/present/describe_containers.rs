//! The container and volume blocks kubectl writes both for a pod
//! (`describePod`) and for a pod template (`DescribePodTemplate`, used by
//! the Deployment, ReplicaSet, StatefulSet, DaemonSet and Job describers):
//! k8s.io/kubectl/pkg/describe `describeContainers` and `describeVolumes`.
//! In a template kubectl indents the headings by two spaces and the names
//! by one more, and has no statuses to show.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Container, ContainerState, ContainerStatus, Probe, Toleration};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::describe::{Writer, when};

/// Whether the blocks describe a pod or a pod template.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Place {
    Pod,
    Template,
}

impl Place {
    /// kubectl's `space`: before each heading.
    pub(super) fn space(self) -> &'static str {
        match self {
            Place::Pod => "",
            Place::Template => "  ",
        }
    }

    /// kubectl's `nameIndent`: before each container's or volume's name.
    pub(super) fn name_indent(self) -> &'static str {
        match self {
            Place::Pod => "",
            Place::Template => " ",
        }
    }
}

/// `Containers:` (or `Init Containers:`) and each container under it;
/// `Containers: <none>` when there are none, as kubectl writes it.
pub(super) fn containers(
    w: &mut Writer,
    place: Place,
    label: &str,
    list: &[Container],
    statuses: &BTreeMap<&str, &ContainerStatus>,
) {
    let none = if list.is_empty() { " <none>" } else { "" };
    w.raw(0, &format!("{}{label}:{none}", place.space()));
    for c in list {
        container(w, place, c, statuses.get(c.name.as_str()).copied());
    }
}

fn container(w: &mut Writer, place: Place, c: &Container, s: Option<&ContainerStatus>) {
    w.raw(1, &format!("{}{}:", place.name_indent(), c.name));
    if let Some(id) = s.and_then(|s| s.container_id.as_deref()) {
        w.field(2, "Container ID", id);
    }
    w.field(2, "Image", c.image.as_deref().unwrap_or_default());
    // kubectl writes the image ID only beside a status, blank when unknown.
    if let Some(s) = s {
        w.raw(2, &format!("Image ID:\t{}", s.image_id));
    }
    let ports = |host: bool| -> Vec<String> {
        c.ports
            .iter()
            .flatten()
            .map(|p| {
                let n = if host {
                    p.host_port.unwrap_or(0)
                } else {
                    p.container_port
                };
                format!("{n}/{}", p.protocol.as_deref().unwrap_or("TCP"))
            })
            .collect()
    };
    let (ports, host_ports) = (ports(false), ports(true));
    let plural = ports.len() > 1;
    w.field(2, if plural { "Ports" } else { "Port" }, ports.join(", "));
    w.field(
        2,
        if plural { "Host Ports" } else { "Host Port" },
        host_ports.join(", "),
    );
    for (word, lines) in [("Command", &c.command), ("Args", &c.args)] {
        if let Some(lines) = lines.as_ref().filter(|l| !l.is_empty()) {
            w.head(2, word);
            lines
                .iter()
                .flat_map(|a| a.split('\n'))
                .for_each(|a| w.raw(3, a));
        }
    }
    if let Some(s) = s {
        state(w, "State", s.state.as_ref());
        if s.last_state
            .as_ref()
            .is_some_and(|l| l.terminated.is_some())
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
    env_from(w, c);
    env(w, c);
    let mut mounts: Vec<_> = c.volume_mounts.iter().flatten().collect();
    if mounts.is_empty() {
        return w.field(2, "Mounts", "<none>");
    }
    // kubectl sorts them by path.
    mounts.sort_by(|a, b| a.mount_path.cmp(&b.mount_path));
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

fn env_from(w: &mut Writer, c: &Container) {
    let Some(from) = c.env_from.as_deref().filter(|f| !f.is_empty()) else {
        return;
    };
    w.head(2, "Environment Variables from");
    for f in from {
        let (name, word, optional) = match (&f.config_map_ref, &f.secret_ref) {
            (Some(c), _) => (c.name.as_str(), "ConfigMap", c.optional),
            (_, Some(s)) => (s.name.as_str(), "Secret", s.optional),
            _ => ("", "", None),
        };
        let optional = optional.unwrap_or(false);
        let prefixed = match f.prefix.as_deref().filter(|p| !p.is_empty()) {
            Some(p) => format!(" with prefix '{p}'"),
            None => String::new(),
        };
        w.raw(
            3,
            &format!("{name}\t{word}{prefixed}\tOptional: {optional}"),
        );
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
            // A value on several lines continues in the value's column.
            let value = e.value.as_deref().unwrap_or_default();
            for (i, line) in value.split('\n').enumerate() {
                let key = if i == 0 {
                    format!("{}:", e.name)
                } else {
                    String::new()
                };
                w.raw(3, &format!("{key}\t{line}"));
            }
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
        if let Some(r) = t.reason.as_deref().filter(|r| !r.is_empty()) {
            w.field(3, "Reason", r);
        }
        if let Some(m) = t.message.as_deref().filter(|m| !m.is_empty()) {
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

/// kubectl's toleration words, sorted by key as it lists them:
/// `key=value:Effect op=Exists for 300s`.
pub(super) fn tolerations(list: &[Toleration]) -> Vec<String> {
    let mut sorted: Vec<&Toleration> = list.iter().collect();
    sorted.sort_by(|a, b| a.key.cmp(&b.key));
    sorted.into_iter().map(toleration).collect()
}

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
    if t.operator.as_deref() == Some("Exists") && t.value.as_deref().unwrap_or_default().is_empty()
    {
        // Tolerating everything reads `op=Exists` alone.
        s.push_str(if s.is_empty() {
            "op=Exists"
        } else {
            " op=Exists"
        });
    }
    if let Some(secs) = t.toleration_seconds {
        s.push_str(&format!(" for {secs}s"));
    }
    s
}
