//! `kubectl describe`, in kubectl's words and layout (its describers in
//! k8s.io/kubectl/pkg/describe/describe.go): pods field by field
//! (`describe_pod`), workloads (`describe_workloads`, `describe_jobs`),
//! Services (`describe_service`), Nodes (`describe_node`), Secrets and
//! ConfigMaps as kubectl prints them, and every other kind the way kubectl
//! describes a kind it has no describer for (the generic describer: the
//! object's fields, keys turned into words, nested by indentation). Each
//! ends with the object's events.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use k8s_openapi::api::core::v1::Event as K8sEvent;
use serde_json::Value;

use super::{LAST_APPLIED, mask_secret, tabwriter};
use crate::core::time::kube_age;

/// What kubectl's describers read besides the object and its events, as
/// the source listed it; `None` when it was not listed (or could not be),
/// and the lines made from it are then left out.
#[derive(Debug, Default, Clone)]
pub struct Related {
    /// A Deployment's ReplicaSets (the ones it controls).
    pub replica_sets: Option<Vec<Value>>,
    /// A workload's pods (the ones it controls), or why they could not be
    /// listed.
    pub pods: Option<Result<Vec<Value>, String>>,
    /// A Service's EndpointSlices (none reads `<none>`, as kubectl reads
    /// a list that failed).
    pub endpoint_slices: Vec<Value>,
    /// A Node's non-terminated pods (kubectl's field selector), or why
    /// they could not be listed (`not authorized` for a 403, as kubectl).
    pub node_pods: Option<Result<Vec<Value>, String>>,
}

/// The object's `spec.selector` as a `labelSelector` query (the same
/// words kubectl prints), None when it selects by nothing: what the
/// source lists a workload's pods or ReplicaSets with.
pub fn selector_query(object: &Value) -> Option<String> {
    let text = super::describe_workloads::selector(object.pointer("/spec/selector"));
    (text != "<none>").then_some(text)
}

/// The object described, with what it relates to and its events; `now`
/// ages them.
pub fn render(
    kind: &str,
    mut object: Value,
    related: &Related,
    events: &[K8sEvent],
    now: DateTime<Utc>,
) -> String {
    // Sizes first: the values themselves never reach the text.
    let sizes = secret_sizes(&object);
    mask_secret(kind, &mut object);
    let mut w = Writer::default();
    match kind {
        "Pod" => super::describe_pod::pod(&mut w, &object),
        "Deployment" => super::describe_workloads::deployment(&mut w, &object, related),
        "ReplicaSet" => super::describe_workloads::replica_set(&mut w, &object, related),
        "StatefulSet" => super::describe_workloads::stateful_set(&mut w, &object, related),
        "DaemonSet" => super::describe_workloads::daemon_set(&mut w, &object, related),
        "Job" => super::describe_jobs::job(&mut w, &object),
        "CronJob" => super::describe_jobs::cron_job(&mut w, &object),
        "Service" => super::describe_service::service(&mut w, &object, related),
        "Node" => super::describe_node::node(&mut w, &object, related, now),
        "Secret" => secret(&mut w, &object, &sizes),
        "ConfigMap" => config_map(&mut w, &object),
        _ => super::describe_generic::generic(&mut w, &object),
    }
    w.events(events, now);
    tabwriter::align(&w.text)
}

/// kubectl's describe text before alignment: tab-separated cells, two
/// spaces of indent per level.
#[derive(Default)]
pub(super) struct Writer {
    pub text: String,
}

impl Writer {
    /// `Key:<tab>value` at `level`.
    pub fn field(&mut self, level: usize, key: &str, value: impl AsRef<str>) {
        let value = value.as_ref();
        let value = if value.is_empty() { "<none>" } else { value };
        self.raw(level, &format!("{key}:\t{value}"));
    }

    /// A line as it is (tabs still separate cells).
    pub fn raw(&mut self, level: usize, line: &str) {
        self.text.push_str(&"  ".repeat(level));
        self.text.push_str(line);
        self.text.push('\n');
    }

    /// `Key:` heading a block.
    pub fn head(&mut self, level: usize, key: &str) {
        self.raw(level, &format!("{key}:"));
    }

    /// `Key:<tab>first`, then one per line under it (labels,
    /// tolerations), `<none>` when there are none.
    pub fn many(&mut self, level: usize, key: &str, items: &[String]) {
        let Some((first, rest)) = items.split_first() else {
            return self.field(level, key, "<none>");
        };
        self.raw(level, &format!("{key}:\t{first}"));
        for item in rest {
            self.raw(level, &format!("\t{item}"));
        }
    }

    /// Name, Namespace, Labels and Annotations, as every describer starts.
    pub fn header(&mut self, object: &Value) {
        self.field(0, "Name", str_at(object, "/metadata/name"));
        let ns = str_at(object, "/metadata/namespace");
        if !ns.is_empty() {
            self.field(0, "Namespace", ns);
        }
        self.many(
            0,
            "Labels",
            &pairs(object.pointer("/metadata/labels"), None),
        );
        self.annotations("Annotations", object.pointer("/metadata/annotations"));
    }

    /// kubectl's `printAnnotationsMultiline`: `key: value` sorted by key,
    /// the last-applied annotation left out; a value on several lines or
    /// too long for one (140 with its key) goes under its key, each line
    /// cut at 138.
    pub fn annotations(&mut self, title: &str, map: Option<&Value>) {
        const MAX: usize = 140;
        let sorted: BTreeMap<&String, &Value> = map
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter(|(k, _)| k.as_str() != LAST_APPLIED)
            .collect();
        if sorted.is_empty() {
            return self.raw(0, &format!("{title}:\t<none>"));
        }
        for (i, (key, value)) in sorted.into_iter().enumerate() {
            let lead = if i == 0 {
                format!("{title}:\t")
            } else {
                "\t".into()
            };
            let value = scalar(value);
            let value = value.strip_suffix('\n').unwrap_or(&value);
            if value.len() + key.len() + 2 > MAX || value.contains('\n') {
                self.raw(0, &format!("{lead}{key}:"));
                for line in value.split('\n') {
                    self.raw(0, &format!("\t  {}", shorten(line, MAX - 2)));
                }
            } else {
                self.raw(0, &format!("{lead}{key}: {value}"));
            }
        }
    }

    /// A condition table as the workload describers write it: `Type`,
    /// `Status`, `Reason`, the type followed by a space as kubectl's
    /// format has it.
    pub fn conditions(&mut self, object: &Value) {
        let list = object
            .pointer("/status/conditions")
            .and_then(Value::as_array);
        let Some(list) = list.filter(|l| !l.is_empty()) else {
            return;
        };
        self.head(0, "Conditions");
        self.raw(1, "Type\tStatus\tReason");
        self.raw(1, "----\t------\t------");
        for c in list {
            let at = |p: &str| str_at(c, p).to_string();
            self.raw(
                1,
                &format!("{} \t{}\t{}", at("/type"), at("/status"), at("/reason")),
            );
        }
    }

    /// kubectl's events table, oldest first, or `Events: <none>`.
    fn events(&mut self, events: &[K8sEvent], now: DateTime<Utc>) {
        if events.is_empty() {
            return self.field(0, "Events", "<none>");
        }
        let mut sorted: Vec<&K8sEvent> = events.iter().collect();
        sorted.sort_by_key(|e| last_seen(e));
        self.head(0, "Events");
        self.raw(1, "Type\tReason\tAge\tFrom\tMessage");
        self.raw(1, "----\t------\t----\t----\t-------");
        for e in sorted {
            let age = event_age(e, now);
            let from = e
                .source
                .as_ref()
                .and_then(|s| s.component.clone())
                .or_else(|| e.reporting_component.clone())
                .unwrap_or_default();
            let message = e.message.as_deref().unwrap_or_default().trim();
            self.raw(
                1,
                &format!(
                    "{}\t{}\t{age}\t{from}\t{message}",
                    e.type_.as_deref().unwrap_or_default(),
                    e.reason.as_deref().unwrap_or_default(),
                ),
            );
        }
    }
}

fn last_seen(e: &K8sEvent) -> Option<DateTime<Utc>> {
    crate::sources::kube::convert::pod_event(e).last_seen
}

/// `10s`, or `10s (x3 over 2m)` for a repeated event, as kubectl says it.
fn event_age(e: &K8sEvent, now: DateTime<Utc>) -> String {
    let Some(last) = last_seen(e) else {
        return "<unknown>".into();
    };
    let age = kube_age(last, now);
    let first = e
        .first_timestamp
        .as_ref()
        .map(crate::sources::kube::convert::time);
    match (e.count.unwrap_or(1), first) {
        (n, Some(first)) if n > 1 => format!("{age} (x{n} over {})", kube_age(first, now)),
        _ => age,
    }
}

/// `s` cut at `max` characters with `...` after, as kubectl's `shorten`.
fn shorten(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((at, _)) => format!("{}...", &s[..at]),
        None => s.to_string(),
    }
}

/// kubectl's time format (RFC 1123 with a numeric zone).
pub(super) fn when(t: &k8s_openapi::apimachinery::pkg::apis::meta::v1::Time) -> String {
    crate::sources::kube::convert::time(t)
        .format("%a, %d %b %Y %H:%M:%S %z")
        .to_string()
}

/// A timestamp at a JSON pointer in kubectl's format, `<unset>` when
/// absent or unreadable.
pub(super) fn when_at(v: &Value, pointer: &str) -> String {
    v.pointer(pointer)
        .cloned()
        .and_then(|t| serde_json::from_value(t).ok())
        .map_or_else(|| "<unset>".into(), |t| when(&t))
}

/// A string at a JSON pointer, empty when absent.
pub(super) fn str_at<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// `key=value` of a string map, sorted by key (labels, selectors).
pub(super) fn pairs(map: Option<&Value>, skip: Option<&str>) -> Vec<String> {
    let Some(map) = map.and_then(Value::as_object) else {
        return Vec::new();
    };
    let sorted: BTreeMap<&String, &Value> = map.iter().collect();
    sorted
        .into_iter()
        .filter(|(k, _)| Some(k.as_str()) != skip)
        .map(|(k, v)| format!("{k}={}", scalar(v)))
        .collect()
}

/// A JSON scalar as kubectl prints it (strings bare).
pub(super) fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "<nil>".into(),
        other => other.to_string(),
    }
}

/// Each Secret key's size in bytes (its base64 value decoded), as
/// `kubectl describe secret` shows instead of the value.
fn secret_sizes(object: &Value) -> BTreeMap<String, usize> {
    let Some(data) = object.get("data").and_then(Value::as_object) else {
        return BTreeMap::new();
    };
    data.iter()
        .map(|(k, v)| {
            let b64 = v.as_str().unwrap_or_default().trim_end_matches('=');
            (k.clone(), b64.len() * 3 / 4)
        })
        .collect()
}

fn secret(w: &mut Writer, object: &Value, sizes: &BTreeMap<String, usize>) {
    w.header(object);
    w.raw(0, "");
    w.field(0, "Type", str_at(object, "/type"));
    w.raw(0, "");
    w.raw(0, "Data");
    w.raw(0, "====");
    for (key, size) in sizes {
        w.raw(0, &format!("{key}:\t{size} bytes"));
    }
    w.raw(0, "");
}

fn config_map(w: &mut Writer, object: &Value) {
    w.header(object);
    w.raw(0, "");
    w.raw(0, "Data");
    w.raw(0, "====");
    if let Some(data) = object.get("data").and_then(Value::as_object) {
        let sorted: BTreeMap<_, _> = data.iter().collect();
        for (key, value) in sorted {
            w.raw(0, &format!("{key}:"));
            w.raw(0, "----");
            for line in scalar(value).lines() {
                w.raw(0, line);
            }
            w.raw(0, "");
        }
    }
    w.raw(0, "");
    w.raw(0, "BinaryData");
    w.raw(0, "====");
    if let Some(data) = object.get("binaryData").and_then(Value::as_object) {
        for (key, v) in data {
            let n = v.as_str().unwrap_or_default().trim_end_matches('=').len() * 3 / 4;
            w.raw(0, &format!("{key}:\t{n} bytes"));
        }
    }
    w.raw(0, "");
}
