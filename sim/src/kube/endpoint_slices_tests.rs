#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on what they did not expect

use serde_json::{Value, json};

use super::*;
use crate::kube::blank_state;

fn pod(name: &str, app: &str, ip: &str, ready: bool, phase: &str) -> Value {
    let mut status = json!({"phase": phase,
        "conditions": [{"type": "Ready", "status": if ready { "True" } else { "False" }}]});
    if !ip.is_empty() {
        status["podIP"] = json!(ip);
    }
    json!({"metadata": {"name": name, "namespace": "shop", "labels": {"app": app}},
        "spec": {"nodeName": "worker-a", "containers": [{"name": "main",
            "ports": [{"name": "http", "containerPort": 8080, "protocol": "TCP"}]}]},
        "status": status})
}

fn service(name: &str, selector: Value) -> Value {
    json!({"metadata": {"name": name, "namespace": "shop", "labels": {"tier": "front"}},
        "spec": {"selector": selector, "clusterIP": "10.96.0.9",
            "ports": [{"name": "web", "port": 80, "targetPort": "http", "protocol": "TCP"},
                      {"name": "admin", "port": 9000, "targetPort": 9001}]}})
}

fn slices(st: &SimState, svc: &str) -> Vec<Value> {
    st.store
        .range(Kind::EndpointSlice, Some("shop"), None)
        .map(|(_, s)| s.value.clone())
        .filter(|s| label(s, SERVICE_NAME) == Some(svc))
        .collect()
}

fn addresses(slice: &Value) -> Vec<(String, bool)> {
    slice["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let ip = e["addresses"][0].as_str().unwrap().to_string();
            (ip, e["conditions"]["ready"].as_bool().unwrap())
        })
        .collect()
}

#[test]
fn a_service_gets_one_slice_of_its_pods_with_resolved_ports() {
    let mut st = blank_state();
    for p in [
        pod("web-1", "web", "10.244.1.5", true, "Running"),
        pod("web-2", "web", "10.244.1.6", false, "Running"),
        pod("web-3", "web", "", false, "Pending"),
        pod("web-4", "web", "10.244.1.8", false, "Succeeded"),
        pod("api-1", "api", "10.244.1.9", true, "Running"),
    ] {
        st.store.create(Kind::Pod, p).unwrap();
    }
    let svc = st
        .store
        .create(Kind::Service, service("web", json!({"app": "web"})))
        .unwrap();
    tick(&mut st);
    let list = slices(&st, "web");
    assert_eq!(list.len(), 1, "{list:?}");
    let s = &list[0];
    let name = s["metadata"]["name"].as_str().unwrap();
    assert!(name.starts_with("web-") && name.len() == 9, "{name}");
    assert_eq!(s["metadata"]["generateName"], "web-");
    assert_eq!(s["apiVersion"], "discovery.k8s.io/v1");
    assert_eq!(s["kind"], "EndpointSlice");
    assert_eq!(
        s["metadata"]["labels"],
        json!({"tier": "front", SERVICE_NAME: "web", MANAGED_BY: CONTROLLER})
    );
    assert_eq!(
        s["metadata"]["ownerReferences"][0]["uid"],
        svc.value["metadata"]["uid"]
    );
    assert_eq!(s["addressType"], "IPv4");
    // The named targetPort is the container's port number.
    assert_eq!(
        s["ports"],
        json!([{"name": "web", "port": 8080, "protocol": "TCP"},
               {"name": "admin", "port": 9001, "protocol": "TCP"}])
    );
    assert_eq!(
        addresses(s),
        [("10.244.1.5".into(), true), ("10.244.1.6".into(), false)]
    );
    let ep = &s["endpoints"][0];
    assert_eq!(
        ep["conditions"],
        json!({"ready": true, "serving": true, "terminating": false})
    );
    assert_eq!(ep["targetRef"]["name"], "web-1");
    assert_eq!(ep["targetRef"]["kind"], "Pod");
    assert_eq!(ep["nodeName"], "worker-a");
}

#[test]
fn slices_follow_pods_and_services_and_only_real_changes_bump_versions() {
    let mut st = blank_state();
    st.store
        .create(
            Kind::Pod,
            pod("web-1", "web", "10.244.1.5", true, "Running"),
        )
        .unwrap();
    st.store
        .create(Kind::Service, service("web", json!({"app": "web"})))
        .unwrap();
    tick(&mut st);
    let rv = st.store.rv();
    tick(&mut st);
    assert_eq!(st.store.rv(), rv, "nothing changed, nothing written");
    // The pod is being deleted: still listed, ready no more, terminating.
    st.store
        .update(Kind::Pod, "shop", "web-1", |v| {
            v["metadata"]["deletionTimestamp"] = json!("2026-12-07T10:00:00Z");
            Ok(())
        })
        .unwrap();
    tick(&mut st);
    let s = &slices(&st, "web")[0];
    assert_eq!(
        s["endpoints"][0]["conditions"],
        json!({"ready": false, "serving": true, "terminating": true})
    );
    // Gone: as the real reconciler does, the emptied slice goes and one
    // placeholder without endpoints or ports stands for the Service.
    st.store.delete(Kind::Pod, "shop", "web-1");
    tick(&mut st);
    let list = slices(&st, "web");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["endpoints"], json!([]));
    assert!(list[0].get("ports").is_none(), "{list:?}");
    // The Service goes: so do its slices.
    st.store.delete(Kind::Service, "shop", "web");
    tick(&mut st);
    assert!(slices(&st, "web").is_empty());
}

#[test]
fn services_without_selector_or_external_name_get_none_and_port_sets_split() {
    let mut st = blank_state();
    st.store
        .create(
            Kind::Pod,
            pod("web-1", "web", "10.244.1.5", true, "Running"),
        )
        .unwrap();
    let mut other = pod("web-2", "web", "10.244.1.6", true, "Running");
    // No `http` port: the named target port is left out for this pod.
    other["spec"]["containers"][0]["ports"] = json!([]);
    st.store.create(Kind::Pod, other).unwrap();
    let mut manual = service("manual", json!({}));
    manual["spec"].as_object_mut().unwrap().remove("selector");
    st.store.create(Kind::Service, manual).unwrap();
    st.store
        .create(Kind::Service, service("empty", json!({})))
        .unwrap();
    let mut ext = service("ext", json!({"app": "web"}));
    ext["spec"]["type"] = json!("ExternalName");
    st.store.create(Kind::Service, ext).unwrap();
    st.store
        .create(Kind::Service, service("web", json!({"app": "web"})))
        .unwrap();
    tick(&mut st);
    assert!(slices(&st, "manual").is_empty());
    assert!(slices(&st, "empty").is_empty(), "an empty selector is none");
    assert!(slices(&st, "ext").is_empty());
    let mut list = slices(&st, "web");
    assert_eq!(list.len(), 2, "one slice per set of ports: {list:?}");
    list.sort_by_key(|s| s["ports"].as_array().map_or(0, Vec::len));
    assert_eq!(addresses(&list[0]), [("10.244.1.6".into(), true)]);
    assert_eq!(
        list[0]["ports"],
        json!([{"name": "admin", "port": 9001, "protocol": "TCP"}])
    );
    assert_eq!(addresses(&list[1]), [("10.244.1.5".into(), true)]);
    // Names differ and keep the service's prefix.
    assert_ne!(list[0]["metadata"]["name"], list[1]["metadata"]["name"]);
}

#[test]
fn selectors_and_lists_see_slices_as_any_kind() {
    let mut st = blank_state();
    st.store
        .create(
            Kind::Pod,
            pod("web-1", "web", "10.244.1.5", true, "Running"),
        )
        .unwrap();
    st.store
        .create(Kind::Service, service("web", json!({"app": "web"})))
        .unwrap();
    st.store
        .create(Kind::Service, service("api", json!({"app": "api"})))
        .unwrap();
    tick(&mut st);
    let q = [("labelSelector".to_string(), format!("{SERVICE_NAME}=web"))]
        .into_iter()
        .collect();
    let filter = crate::kube::list::Filter::parse(Kind::EndpointSlice, Some("shop"), &q).unwrap();
    let names: Vec<String> = st
        .store
        .range(Kind::EndpointSlice, Some("shop"), None)
        .filter(|(_, s)| filter.matches(&s.value))
        .map(|(_, s)| label(&s.value, SERVICE_NAME).unwrap().to_string())
        .collect();
    assert_eq!(names, ["web"]);
}
