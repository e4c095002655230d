//! Snapshots of `y` (YAML) and `d` (describe) at 80x24 and 200x50: the
//! keys in the Kubernetes tab ask the source for the object, and the text
//! the pure formatters make from the API's JSON is shown in the log viewer
//! (a pod's, and a Deployment's in kubectl's Deployment layout).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

use k8s_openapi::api::core::v1::{Event, Pod};
use opsdeck::core::effect::Effect;
use opsdeck::core::key::{KeyCode, KeyEvent, KeyModifiers};
use opsdeck::core::kube_kind::KindEvent;
use opsdeck::core::kube_msg::{KubeCommand, KubeEvent, ObjectRef, ObjectView};
use opsdeck::core::msg::Msg;
use opsdeck::core::state::State;
use opsdeck::core::update::update;
use opsdeck::sources::kube::convert::pod_row;
use opsdeck::sources::kube::kinds::KindSource;
use opsdeck::sources::kube::present::describe::Related;
use opsdeck::sources::kube::present::{describe, yaml};
use opsdeck::ui::{self, Look, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::{Value, json};

#[path = "support/kube_snap.rs"]
#[allow(dead_code)] // each file uses part of it
mod kube_snap;
use kube_snap::{CTX, now};

fn pod_json() -> Value {
    json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "checkout-7c9f5d-dxx6t", "namespace": "shop",
            "creationTimestamp": "2026-11-22T11:00:00Z",
            "labels": {"app": "checkout", "pod-template-hash": "7c9f5d"},
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "checkout-7c9f5d", "uid": "u1", "controller": true}],
            "managedFields": [{"manager": "kube-controller-manager", "operation": "Update", "fieldsType": "FieldsV1", "fieldsV1": {"f:spec": {}}}]},
        "spec": {"nodeName": "worker-a", "serviceAccountName": "checkout",
            "containers": [{"name": "checkout", "image": "registry.example.com/shop/checkout:4f2a9c1",
                "ports": [{"containerPort": 8080, "protocol": "TCP"}],
                "env": [{"name": "LOG_LEVEL", "value": "info"},
                        {"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db-credentials", "key": "password"}}}],
                "readinessProbe": {"httpGet": {"path": "/ready", "port": 8080}},
                "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}},
                "volumeMounts": [{"name": "config", "mountPath": "/etc/checkout", "readOnly": true}]}],
            "volumes": [{"name": "config", "configMap": {"name": "checkout-config"}}],
            "tolerations": [{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}]},
        "status": {"phase": "Running", "podIP": "10.244.1.17", "hostIP": "10.0.0.11", "qosClass": "Burstable",
            "startTime": "2026-11-22T11:00:00Z",
            "conditions": [{"type": "Initialized", "status": "True"}, {"type": "Ready", "status": "True"},
                {"type": "ContainersReady", "status": "True"}, {"type": "PodScheduled", "status": "True"}],
            "containerStatuses": [{"name": "checkout", "image": "registry.example.com/shop/checkout:4f2a9c1",
                "imageID": "", "ready": true, "restartCount": 1,
                "state": {"running": {"startedAt": "2026-11-22T11:20:00Z"}},
                "lastState": {"terminated": {"exitCode": 137, "reason": "OOMKilled",
                    "startedAt": "2026-11-22T11:00:05Z", "finishedAt": "2026-11-22T11:19:58Z"}}}]}})
}

/// The Kubernetes tab with one pod listed.
fn state(w: u16, h: u16) -> State {
    let mut s = kube_snap::connected(CTX, "shop", false, w, h);
    let pod: Pod = serde_json::from_value(pod_json()).unwrap();
    let row = pod_row(&pod, CTX, now().into()).expect("row");
    update(
        &mut s,
        Msg::Kube(KubeEvent::Snapshot {
            context: CTX.into(),
            pods: vec![row],
        }),
    );
    s
}

fn key(s: &mut State, c: char) -> Vec<Effect> {
    update(
        s,
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
    )
}

fn render(s: &mut State, w: u16, h: u16) -> String {
    let look = Look::new(Theme::default(), false);
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    terminal.draw(|f| ui::draw(f, s, &look)).expect("draw");
    terminal.backend().to_string()
}

/// Presses `k` on the pod, checks what the source is asked for, answers
/// with `text` and draws it.
fn shot(name: &str, k: char, want: ObjectView, text: impl Fn() -> String, must: &[&str]) {
    for (w, h) in [(80, 24), (200, 50)] {
        let mut s = state(w, h);
        let effects = key(&mut s, k);
        let [
            Effect::Kube(KubeCommand::ShowObject {
                stream,
                object,
                view,
            }),
            // The view covers the pods: their metrics poll stops.
            Effect::Kube(KubeCommand::StopMetrics),
        ] = effects.as_slice()
        else {
            panic!("{effects:?}");
        };
        assert_eq!(*view, want);
        assert_eq!(
            *object,
            ObjectRef {
                context: CTX.into(),
                kind: "Pod".into(),
                namespace: "shop".into(),
                name: "checkout-7c9f5d-dxx6t".into(),
            }
        );
        update(
            &mut s,
            Msg::Kube(KubeEvent::Object {
                stream: *stream,
                result: Ok(text()),
            }),
        );
        let screen = render(&mut s, w, h);
        for word in must {
            assert!(screen.contains(word), "{word}: {screen}");
        }
        assert!(!screen.contains("managedFields"), "{screen}");
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen);
    }
}

#[test]
fn yaml_of_a_pod() {
    shot(
        "object_yaml_pod",
        'y',
        ObjectView::Yaml,
        || yaml::render("Pod", pod_json()).unwrap(),
        &[
            "yaml pod/checkout-7c9f5d-dxx6t -n shop",
            "apiVersion: v1",
            "kind: Pod",
        ],
    );
}

#[test]
fn describe_of_a_pod() {
    let event: Event = serde_json::from_value(json!({
        "metadata": {"name": "checkout.1", "namespace": "shop"},
        "involvedObject": {"kind": "Pod", "name": "checkout-7c9f5d-dxx6t", "namespace": "shop"},
        "type": "Warning", "reason": "OOMKilling", "message": "Memory cgroup out of memory: Killed process 4211 (checkout)",
        "source": {"component": "kernel-monitor"}, "count": 1,
        "firstTimestamp": "2026-11-22T11:19:58Z", "lastTimestamp": "2026-11-22T11:19:58Z"}))
    .unwrap();
    shot(
        "object_describe_pod",
        'd',
        ObjectView::Describe,
        || {
            describe::render(
                "Pod",
                pod_json(),
                &Default::default(),
                std::slice::from_ref(&event),
                now(),
            )
        },
        &[
            "describe pod/checkout-7c9f5d-dxx6t -n shop",
            "Name:",
            "Namespace:",
        ],
    );
}

#[test]
fn an_object_that_cannot_be_had_says_why() {
    let mut s = state(80, 24);
    let effects = key(&mut s, 'y');
    let [
        Effect::Kube(KubeCommand::ShowObject { stream, .. }),
        Effect::Kube(KubeCommand::StopMetrics),
    ] = effects.as_slice()
    else {
        panic!("{effects:?}");
    };
    let why = "pod/checkout-7c9f5d-dxx6t -n shop: not found";
    update(
        &mut s,
        Msg::Kube(KubeEvent::Object {
            stream: *stream,
            result: Err(why.into()),
        }),
    );
    let screen = render(&mut s, 80, 24);
    assert!(screen.contains("not found"), "{screen}");
}

/// A Deployment after its second rollout, as the API serves it, and its
/// two ReplicaSets.
fn deployment_json() -> (Value, Related) {
    let template = json!({"metadata": {"labels": {"app": "checkout"}},
        "spec": {"serviceAccountName": "checkout",
            "containers": [{"name": "checkout", "image": "registry.example.com/shop/checkout:4f2a9c1",
                "ports": [{"containerPort": 8080, "protocol": "TCP"}],
                "env": [{"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db-credentials", "key": "password"}}}],
                "readinessProbe": {"httpGet": {"path": "/ready", "port": 8080, "scheme": "HTTP"},
                    "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3},
                "resources": {"limits": {"memory": "256Mi"}, "requests": {"cpu": "100m", "memory": "128Mi"}},
                "volumeMounts": [{"name": "config", "mountPath": "/etc/checkout", "readOnly": true}]}],
            "volumes": [{"name": "config", "configMap": {"name": "checkout-config", "defaultMode": 420}}]}});
    let d = json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "checkout", "namespace": "shop", "uid": "d-uid",
            "creationTimestamp": "2026-11-15T09:00:00Z", "labels": {"app": "checkout"},
            "annotations": {"deployment.kubernetes.io/revision": "2"}},
        "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "checkout"}},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}},
            "template": template},
        "status": {"replicas": 4, "updatedReplicas": 2, "readyReplicas": 3, "availableReplicas": 3,
            "unavailableReplicas": 1,
            "conditions": [
                {"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"},
                {"type": "Progressing", "status": "True", "reason": "ReplicaSetUpdated"}]}});
    let set = |hash: &str, image: &str, replicas: u32, created: &str| {
        let mut t = template.clone();
        t["metadata"]["labels"]["pod-template-hash"] = json!(hash);
        t["spec"]["containers"][0]["image"] = json!(image);
        json!({"metadata": {"name": format!("checkout-{hash}"), "uid": hash, "creationTimestamp": created,
                "ownerReferences": [{"kind": "Deployment", "name": "checkout", "uid": "d-uid", "controller": true}]},
            "spec": {"replicas": replicas, "template": t}, "status": {"replicas": replicas}})
    };
    let related = Related {
        replica_sets: Some(vec![
            set(
                "7c9f5d",
                "registry.example.com/shop/checkout:4f2a9c1",
                2,
                "2026-11-22T11:00:00Z",
            ),
            set(
                "5b8d4c",
                "registry.example.com/shop/checkout:e01b7a2",
                2,
                "2026-11-15T09:00:00Z",
            ),
        ]),
        ..Related::default()
    };
    (d, related)
}

/// `:deploy`, then `d` on a deployment: kubectl's Deployment describe.
#[test]
fn describe_of_a_deployment() {
    for (w, h) in [(80, 24), (200, 50)] {
        let mut s = state(w, h);
        let mut effects = Vec::new();
        for c in ":deploy".chars() {
            effects = key(&mut s, c);
        }
        effects.extend(update(
            &mut s,
            Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        ));
        let Some(Effect::Kube(KubeCommand::WatchKind { request, .. })) = effects
            .iter()
            .find(|e| matches!(e, Effect::Kube(KubeCommand::WatchKind { .. })))
        else {
            panic!("no watch: {effects:?}");
        };
        let (d, _) = deployment_json();
        let deployment: k8s_openapi::api::apps::v1::Deployment =
            serde_json::from_value(d).expect("a deployment");
        let row = deployment.row(CTX).expect("a row");
        update(
            &mut s,
            Msg::Kube(KubeEvent::Kind {
                request: *request,
                event: KindEvent::Snapshot {
                    context: CTX.into(),
                    namespace: Some("shop".into()),
                    rows: vec![row],
                },
            }),
        );
        let effects = key(&mut s, 'd');
        let Some(Effect::Kube(KubeCommand::ShowObject {
            stream,
            object,
            view,
        })) = effects.first()
        else {
            panic!("{effects:?}");
        };
        assert_eq!(*view, ObjectView::Describe);
        assert_eq!(object.kind, "Deployment");
        assert_eq!(object.name, "checkout");
        let (d, related) = deployment_json();
        let text = describe::render("Deployment", d, &related, &[], now());
        update(
            &mut s,
            Msg::Kube(KubeEvent::Object {
                stream: *stream,
                result: Ok(text),
            }),
        );
        let screen = render(&mut s, w, h);
        for word in [
            "describe deployment/checkout -n shop",
            // At 80 columns the line is cut (`w` wraps it).
            "Replicas:               3 desired | 2 updated | 4 total",
        ] {
            assert!(screen.contains(word), "{word}: {screen}");
        }
        if h >= 50 {
            for word in [
                "3 desired | 2 updated | 4 total | 3 available | 1 unavailable",
                "RollingUpdateStrategy:  25% max unavailable, 25% max surge",
                "OldReplicaSets:  checkout-5b8d4c (2/2 replicas created)",
                "NewReplicaSet:   checkout-7c9f5d (2/2 replicas created)",
            ] {
                assert!(screen.contains(word), "{word}: {screen}");
            }
        }
        insta::assert_snapshot!(format!("object_describe_deployment_{w}x{h}"), screen);
    }
}
