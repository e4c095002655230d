//! Snapshots of `d` on the kinds whose kubectl describer reads more than
//! the object, at 80x24 and 200x50 in both glyph sets: a Service with the
//! endpoints of its EndpointSlices, and a Node with its `Non-terminated
//! Pods` and `Allocated resources` (`G` goes down to them), on a fixed
//! clock. The text is the pure formatter's, as the source hands it over.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

use k8s_openapi::api::core::v1::{Node, Service};
use opsdeck::core::effect::Effect;
use opsdeck::core::kube_kind::{KindEvent, KindRow};
use opsdeck::core::kube_msg::{KubeCommand, KubeEvent, ObjectView};
use opsdeck::core::msg::Msg;
use opsdeck::core::state::State;
use opsdeck::core::update::update;
use opsdeck::sources::kube::kinds::KindSource;
use opsdeck::sources::kube::present::describe::{Related, render};
use serde_json::{Value, json};

#[path = "support/kube_snap.rs"]
#[allow(dead_code)] // each file uses part of it
mod kube_snap;
#[path = "support/snap.rs"]
mod snap;
use kube_snap::{CTX, now, type_keys};

/// The Kubernetes tab on `namespace`, connected.
fn state(w: u16, h: u16, namespace: &str) -> State {
    kube_snap::connected(CTX, namespace, false, w, h)
}

/// `:KIND` listing `row`, then `d` on it answered with `text`.
fn described(w: u16, h: u16, kind: &str, row: KindRow, text: String) -> State {
    let mut s = state(w, h, if kind == "no" { "*" } else { "shop" });
    let effects = type_keys(&mut s, &format!(":{kind}\n"));
    let Some(Effect::Kube(KubeCommand::WatchKind { request, .. })) = effects
        .iter()
        .find(|e| matches!(e, Effect::Kube(KubeCommand::WatchKind { .. })))
    else {
        panic!("no watch: {effects:?}");
    };
    let namespace = (kind != "no").then(|| "shop".to_string());
    update(
        &mut s,
        Msg::Kube(KubeEvent::Kind {
            request: *request,
            event: KindEvent::Snapshot {
                context: CTX.into(),
                namespace,
                rows: vec![row],
            },
        }),
    );
    let effects = type_keys(&mut s, "d");
    let Some(Effect::Kube(KubeCommand::ShowObject { stream, view, .. })) = effects.first() else {
        panic!("{effects:?}");
    };
    assert_eq!(*view, ObjectView::Describe);
    update(
        &mut s,
        Msg::Kube(KubeEvent::Object {
            stream: *stream,
            result: Ok(text),
        }),
    );
    s
}

fn service() -> Value {
    json!({"apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "web", "namespace": "shop", "uid": "svc-uid",
            "creationTimestamp": "2026-11-13T12:00:00Z", "labels": {"app": "web"}},
        "spec": {"type": "ClusterIP", "selector": {"app": "web"},
            "clusterIP": "10.96.12.40", "clusterIPs": ["10.96.12.40"],
            "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
            "ports": [{"name": "http", "protocol": "TCP", "port": 80, "targetPort": 8080},
                      {"name": "https", "protocol": "TCP", "port": 443, "targetPort": 443}],
            "sessionAffinity": "None", "internalTrafficPolicy": "Cluster"},
        "status": {"loadBalancer": {}}})
}

/// The web Service's slice: three ready pods and one that is not.
fn slices() -> Vec<Value> {
    let ep = |ip: &str, pod: &str, ready: bool| {
        json!({"addresses": [ip], "conditions": {"ready": ready, "serving": ready, "terminating": false},
            "nodeName": "worker-a", "targetRef": {"kind": "Pod", "namespace": "shop", "name": pod}})
    };
    vec![
        json!({"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
        "metadata": {"name": "web-k2x8q", "namespace": "shop",
            "labels": {"kubernetes.io/service-name": "web",
                "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io"}},
        "addressType": "IPv4",
        "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}, {"name": "https", "port": 443, "protocol": "TCP"}],
        "endpoints": [ep("10.244.1.17", "web-1", true), ep("10.244.2.4", "web-2", true),
                      ep("10.244.2.9", "web-3", false)]}),
    ]
}

fn service_described(w: u16, h: u16) -> State {
    let svc: Service = serde_json::from_value(service()).expect("service");
    let related = Related {
        endpoint_slices: slices(),
        ..Related::default()
    };
    let text = render("Service", service(), &related, &[], now());
    described(w, h, "svc", svc.row(CTX).expect("row"), text)
}

fn node() -> Value {
    json!({"apiVersion": "v1", "kind": "Node",
        "metadata": {"name": "worker-a", "uid": "node-uid", "creationTimestamp": "2026-10-13T12:00:00Z",
            "labels": {"kubernetes.io/hostname": "worker-a", "node-role.kubernetes.io/worker": ""}},
        "spec": {"podCIDR": "10.244.1.0/24", "podCIDRs": ["10.244.1.0/24"]},
        "status": {
            "capacity": {"cpu": "4", "memory": "16374584Ki", "pods": "110", "ephemeral-storage": "102625208Ki"},
            "allocatable": {"cpu": "3800m", "memory": "15223608Ki", "pods": "110", "ephemeral-storage": "94580335255"},
            "conditions": [{"type": "Ready", "status": "True", "lastHeartbeatTime": "2026-11-22T11:59:40Z",
                "lastTransitionTime": "2026-10-13T12:00:30Z", "reason": "KubeletReady",
                "message": "kubelet is posting ready status"}],
            "addresses": [{"type": "InternalIP", "address": "10.0.0.11"}, {"type": "Hostname", "address": "worker-a"}],
            "nodeInfo": {"machineID": "0d4f1b7c", "systemUUID": "1c5e2a90", "bootID": "7b3d",
                "kernelVersion": "6.1.0", "osImage": "Debian GNU/Linux 12 (bookworm)",
                "operatingSystem": "linux", "architecture": "amd64",
                "containerRuntimeVersion": "containerd://1.7.22", "kubeletVersion": "v1.31.4",
                "kubeProxyVersion": "v1.31.4"}}})
}

fn node_pods() -> Vec<Value> {
    let pod = |ns: &str, name: &str, created: &str, req: Value, lim: Value| {
        json!({"metadata": {"name": name, "namespace": ns, "creationTimestamp": created},
            "spec": {"nodeName": "worker-a", "containers": [{"name": "main", "image": "x",
                "resources": {"requests": req, "limits": lim}}]},
            "status": {"phase": "Running"}})
    };
    vec![
        pod(
            "kube-system",
            "kube-proxy-7xk2p",
            "2026-10-13T12:01:00Z",
            json!({}),
            json!({}),
        ),
        pod(
            "monitoring",
            "prometheus-0",
            "2026-10-23T12:00:00Z",
            json!({"cpu": "100m", "memory": "128Mi"}),
            json!({"memory": "512Mi"}),
        ),
        pod(
            "shop",
            "web-6d4cf56db6-k2x8q",
            "2026-11-22T09:00:00Z",
            json!({"cpu": "250m", "memory": "256Mi"}),
            json!({"cpu": "1", "memory": "512Mi"}),
        ),
    ]
}

fn node_described(w: u16, h: u16) -> State {
    let n: Node = serde_json::from_value(node()).expect("node");
    let related = Related {
        node_pods: Some(Ok(node_pods())),
        ..Related::default()
    };
    let text = render("Node", node(), &related, &[], now());
    let mut s = described(w, h, "no", n.row(CTX).expect("row"), text);
    // Down to the end, where the pods' blocks are.
    type_keys(&mut s, "G");
    s
}

#[test]
fn a_service_describes_its_ready_endpoints() {
    for (name, screen) in snap::every_size("describe_service_endpoints", service_described) {
        assert!(screen.contains("describe service/web -n shop"), "{screen}");
        // The not-ready pod (10.244.2.9) is not an endpoint.
        assert!(
            screen.contains("Endpoints:                10.244.1.17:8080,10.244.2.4:8080"),
            "{screen}"
        );
        assert!(!screen.contains("10.244.2.9"), "{screen}");
        insta::assert_snapshot!(name, screen);
    }
}

#[test]
fn a_node_describes_its_pods_and_what_they_take() {
    for (name, screen) in snap::every_size("describe_node_pods", node_described) {
        assert!(screen.contains("describe node/worker-a"), "{screen}");
        assert!(screen.contains("Allocated resources:"), "{screen}");
        // cpu: 350m of 3800m is 9%, limits 1 of 3800m 26%.
        assert!(
            screen.contains("  cpu                350m (9%)"),
            "{screen}"
        );
        if name.contains("200x50") {
            assert!(screen.contains("Non-terminated Pods:"), "{screen}");
            assert!(screen.contains("web-6d4cf56db6-k2x8q"), "{screen}");
        }
        insta::assert_snapshot!(name, screen);
    }
}
