//! The EndpointSlice controller: for each Service with a selector, the
//! `discovery.k8s.io/v1` EndpointSlices naming the ready (and not ready)
//! pods it selects, kept up to date as pods and Services change. Lists,
//! watches and selectors over them are the store's, as for every kind.
//!
//! What it does comes from the docs and the controller's code:
//! - https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/
//!   (labels `kubernetes.io/service-name` and
//!   `endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io`,
//!   names from `generateName` `<service>-`, the Service as owner, one slice
//!   per distinct set of ports, conditions ready/serving/terminating);
//! - the discovery.k8s.io/v1 API reference (addressType, endpoints with
//!   addresses, conditions, targetRef, nodeName, zone, hostname; ports with
//!   name, port, protocol, appProtocol);
//! - k8s.io/endpointslice `podToEndpoint` (serving = the pod's Ready
//!   condition, terminating = a deletionTimestamp, ready = serving and not
//!   terminating, or `publishNotReadyAddresses`) and
//!   `ShouldPodBeInEndpoints(pod, includeTerminating=true)` (no pod in a
//!   terminal phase, none without an IP);
//! - the controller's `syncService`: a Service without a selector gets no
//!   slices from it, an ExternalName one none at all; a Service with no
//!   pods keeps one placeholder slice without endpoints or ports.
//!
//! Left out: the 100-endpoint split (`--max-endpoints-per-slice`; a port
//! set's endpoints stay in one slice here), IPv6 and dual stack (every pod
//! has one IPv4 address), and the trigger-time annotation.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde_json::{Map, Value, json};

use super::controllers::{pod_ready, str_at, terminating};
use super::objects::name_suffix;
use super::state::SimState;
use super::store::{Kind, Stored};

pub(crate) const SERVICE_NAME: &str = "kubernetes.io/service-name";
pub(crate) const MANAGED_BY: &str = "endpointslice.kubernetes.io/managed-by";
pub(crate) const CONTROLLER: &str = "endpointslice-controller.k8s.io";
const HEADLESS: &str = "service.kubernetes.io/headless";

/// One round: the namespaces where a Pod or Service changed since the
/// last round (all of them the first time, or after the history moved
/// past the cursor) are reconciled.
pub(crate) fn tick(st: &mut SimState) {
    let namespaces: BTreeSet<String> = match st.store.changes_after(st.slice_cursor, usize::MAX) {
        Ok(changes) => changes
            .iter()
            .filter(|c| matches!(c.kind, Kind::Pod | Kind::Service))
            .map(|c| str_at(&c.obj.value, "/metadata/namespace").to_string())
            .collect(),
        Err(_) => [Kind::Service, Kind::EndpointSlice]
            .into_iter()
            .flat_map(|k| st.store.range(k, None, None))
            .map(|(k, _)| k.0.clone())
            .collect(),
    };
    for ns in &namespaces {
        reconcile_namespace(st, ns);
    }
    // Its own writes are slices, which it does not watch.
    st.slice_cursor = st.store.rv();
}

fn reconcile_namespace(st: &mut SimState, ns: &str) {
    let services: Vec<Arc<Stored>> = st
        .store
        .range(Kind::Service, Some(ns), None)
        .map(|(_, s)| s.clone())
        .collect();
    let managed: Vec<Arc<Stored>> = st
        .store
        .range(Kind::EndpointSlice, Some(ns), None)
        .filter(|(_, s)| label(&s.value, MANAGED_BY) == Some(CONTROLLER))
        .map(|(_, s)| s.clone())
        .collect();
    if services.is_empty() && managed.is_empty() {
        return;
    }
    let pods: Vec<Arc<Stored>> = st
        .store
        .range(Kind::Pod, Some(ns), None)
        .map(|(_, p)| p.clone())
        .collect();
    for svc in &services {
        let name = str_at(&svc.value, "/metadata/name");
        let own: Vec<Arc<Stored>> = managed
            .iter()
            .filter(|s| label(&s.value, SERVICE_NAME) == Some(name))
            .cloned()
            .collect();
        if str_at(&svc.value, "/spec/type") == "ExternalName" {
            delete_all(st, ns, &own);
            continue;
        }
        // An empty selector is no selector: the API server drops the
        // empty map (`omitempty`), and the controller leaves such a
        // Service's slices to whoever writes them.
        let selector = svc
            .value
            .pointer("/spec/selector")
            .and_then(Value::as_object);
        if let Some(selector) = selector.filter(|s| !s.is_empty()) {
            sync_service(st, &svc.value, selector, &pods, own);
        }
    }
    // Slices whose Service is gone: the garbage collector removes them
    // through their owner reference.
    let orphans: Vec<Arc<Stored>> = managed
        .into_iter()
        .filter(|s| {
            let svc = label(&s.value, SERVICE_NAME).unwrap_or_default();
            !services
                .iter()
                .any(|v| str_at(&v.value, "/metadata/name") == svc)
        })
        .collect();
    delete_all(st, ns, &orphans);
}

fn delete_all(st: &mut SimState, ns: &str, slices: &[Arc<Stored>]) {
    for s in slices {
        st.store
            .delete(Kind::EndpointSlice, ns, str_at(&s.value, "/metadata/name"));
    }
}

fn label<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.pointer("/metadata/labels")?.get(key)?.as_str()
}

/// A Service's selector is a plain map: every pair must be a label of the pod.
fn selects(selector: &Map<String, Value>, pod: &Value) -> bool {
    selector
        .iter()
        .all(|(k, v)| label(pod, k).is_some_and(|l| Some(l) == v.as_str()))
}

/// `ShouldPodBeInEndpoints` with terminating pods included.
fn belongs(pod: &Value) -> bool {
    let phase = str_at(pod, "/status/phase");
    phase != "Succeeded" && phase != "Failed" && !str_at(pod, "/status/podIP").is_empty()
}

/// The Service's ports as the pod serves them: a numeric targetPort as it
/// is, a named one looked up among the pod's container ports (the port is
/// left out for a pod without it, as `podutil.FindPort` fails), none
/// meaning the Service port itself.
fn pod_ports(svc: &Value, pod: &Value) -> Vec<Value> {
    let ports = svc.pointer("/spec/ports").and_then(Value::as_array);
    ports
        .into_iter()
        .flatten()
        .filter_map(|sp| {
            let protocol = match str_at(sp, "/protocol") {
                "" => "TCP",
                p => p,
            };
            let number = match sp.get("targetPort") {
                Some(Value::Number(n)) => n.as_i64()?,
                Some(Value::String(name)) => container_port(pod, name, protocol)?,
                _ => sp.get("port")?.as_i64()?,
            };
            let mut port =
                json!({"name": str_at(sp, "/name"), "port": number, "protocol": protocol});
            if let Some(app) = sp.get("appProtocol").filter(|a| a.is_string()) {
                port["appProtocol"] = app.clone();
            }
            Some(port)
        })
        .collect()
}

fn container_port(pod: &Value, name: &str, protocol: &str) -> Option<i64> {
    let containers = pod.pointer("/spec/containers").and_then(Value::as_array)?;
    containers
        .iter()
        .filter_map(|c| c.get("ports").and_then(Value::as_array))
        .flatten()
        .find(|p| {
            str_at(p, "/name") == name
                && match str_at(p, "/protocol") {
                    "" => protocol == "TCP",
                    p => p == protocol,
                }
        })
        .and_then(|p| p.get("containerPort")?.as_i64())
}

/// `podToEndpoint`.
fn endpoint(st: &SimState, svc: &Value, pod: &Value) -> Value {
    let serving = pod_ready(pod);
    let terminating = terminating(pod);
    let publish = svc
        .pointer("/spec/publishNotReadyAddresses")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let ready = publish || (serving && !terminating);
    let mut ep = json!({
        "addresses": [str_at(pod, "/status/podIP")],
        "conditions": {"ready": ready, "serving": serving, "terminating": terminating},
        "targetRef": {"kind": "Pod", "namespace": str_at(pod, "/metadata/namespace"),
                      "name": str_at(pod, "/metadata/name"), "uid": str_at(pod, "/metadata/uid")},
    });
    let node = str_at(pod, "/spec/nodeName");
    if !node.is_empty() {
        ep["nodeName"] = json!(node);
        let zone = st
            .store
            .get(Kind::Node, "", node)
            .and_then(|n| label(&n.value, "topology.kubernetes.io/zone").map(str::to_string));
        if let Some(zone) = zone.filter(|z| !z.is_empty()) {
            ep["zone"] = json!(zone);
        }
    }
    // `ShouldSetHostname`: a pod in the Service's subdomain.
    let hostname = str_at(pod, "/spec/hostname");
    if !hostname.is_empty() && str_at(pod, "/spec/subdomain") == str_at(svc, "/metadata/name") {
        ep["hostname"] = json!(hostname);
    }
    ep
}

/// The slice's labels: the Service's own, less the reserved ones, then
/// the controller's (`setEndpointSliceLabels`).
fn slice_labels(svc: &Value) -> Value {
    let mut labels: Map<String, Value> = svc
        .pointer("/metadata/labels")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(k, _)| !matches!(k.as_str(), SERVICE_NAME | MANAGED_BY | HEADLESS))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if str_at(svc, "/spec/clusterIP") == "None" {
        labels.insert(HEADLESS.into(), json!(""));
    }
    labels.insert(SERVICE_NAME.into(), json!(str_at(svc, "/metadata/name")));
    labels.insert(MANAGED_BY.into(), json!(CONTROLLER));
    Value::Object(labels)
}

/// The slice's ports, as the key that tells one slice from another.
fn ports_key(ports: Option<&Value>) -> String {
    ports.map_or_else(|| "null".into(), Value::to_string)
}

fn sync_service(
    st: &mut SimState,
    svc: &Value,
    selector: &Map<String, Value>,
    pods: &[Arc<Stored>],
    mut existing: Vec<Arc<Stored>>,
) {
    // Port set -> (ports, endpoints), pods in name order.
    let mut desired: BTreeMap<String, (Option<Value>, Vec<Value>)> = BTreeMap::new();
    for pod in pods {
        let pod = &pod.value;
        if !selects(selector, pod) || !belongs(pod) {
            continue;
        }
        let ports = Value::Array(pod_ports(svc, pod));
        let entry = desired
            .entry(ports_key(Some(&ports)))
            .or_insert_with(|| (Some(ports), Vec::new()));
        entry.1.push(endpoint(st, svc, pod));
    }
    if desired.is_empty() {
        desired.insert(ports_key(None), (None, Vec::new()));
    }
    let ns = str_at(svc, "/metadata/namespace").to_string();
    let labels = slice_labels(svc);
    let owner = json!([{"apiVersion": "v1", "kind": "Service", "name": str_at(svc, "/metadata/name"),
        "uid": str_at(svc, "/metadata/uid"), "controller": true, "blockOwnerDeletion": true}]);
    for (key, (ports, endpoints)) in desired {
        let fill = |v: &mut Value| {
            v["metadata"]["labels"] = labels.clone();
            v["metadata"]["ownerReferences"] = owner.clone();
            v["addressType"] = json!("IPv4");
            v["endpoints"] = Value::Array(endpoints.clone());
            match &ports {
                Some(p) => v["ports"] = p.clone(),
                None => {
                    if let Some(m) = v.as_object_mut() {
                        m.remove("ports");
                    }
                }
            }
        };
        let found = existing
            .iter()
            .position(|s| ports_key(s.value.get("ports")) == key);
        match found {
            Some(i) => {
                let slice = existing.remove(i);
                let name = str_at(&slice.value, "/metadata/name");
                let _ = st.store.update(Kind::EndpointSlice, &ns, name, |v| {
                    fill(v);
                    Ok(())
                });
            }
            None => {
                let name = free_name(st, svc, &ns);
                let prefix = format!("{}-", str_at(svc, "/metadata/name"));
                let mut v =
                    json!({"metadata": {"name": name, "namespace": ns, "generateName": prefix}});
                fill(&mut v);
                let _ = st.store.create(Kind::EndpointSlice, v);
            }
        }
    }
    delete_all(st, &ns, &existing);
}

/// `<service>-` and five characters, as the API server completes a
/// `generateName`. Taken from the Service's uid rather than the shared
/// random source, so adding slices leaves every other generated name (and
/// so the demo's pod names) as it was.
fn free_name(st: &SimState, svc: &Value, ns: &str) -> String {
    let base = str_at(svc, "/metadata/name");
    let seed = str_at(svc, "/metadata/uid")
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        });
    (0u64..)
        .map(|i| {
            format!(
                "{base}-{}",
                name_suffix(seed.wrapping_add(i.wrapping_mul(0x9e37_79b9)))
            )
        })
        .find(|n| st.store.get(Kind::EndpointSlice, ns, n).is_none())
        .unwrap_or_else(|| format!("{base}-x"))
}

#[cfg(test)]
#[path = "endpoint_slices_tests.rs"]
mod tests;
