//! Snapshots of `y` (YAML) and `d` (describe) at 80x24 and 200x50: the
//! keys in the Kubernetes tab ask the source for the object, and the text
//! the pure formatters make from the API's JSON is shown in the log viewer.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

use chrono::{DateTime, TimeZone, Utc};
use k8s_openapi::api::core::v1::{Event, Pod};
use opsdeck::core::effect::Effect;
use opsdeck::core::key::{KeyCode, KeyEvent, KeyModifiers};
use opsdeck::core::keymap::KeyMap;
use opsdeck::core::kube::ContextInfo;
use opsdeck::core::kube_msg::{KubeCommand, KubeEvent, ObjectRef, ObjectView};
use opsdeck::core::msg::Msg;
use opsdeck::core::source::{SourceHealth, SourceKind};
use opsdeck::core::state::{Settings, State, Tab};
use opsdeck::core::update::update;
use opsdeck::sources::kube::convert::pod_row;
use opsdeck::sources::kube::present::{describe, yaml};
use opsdeck::ui::{self, Look, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::{Value, json};

const CTX: &str = "opsdeck-demo";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0)
        .single()
        .expect("time")
}

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
    let mut s = State::new(Settings::default(), KeyMap::default());
    s.clock = now();
    s.tab = Tab::Kubernetes;
    update(
        &mut s,
        Msg::Resize {
            width: w,
            height: h,
        },
    );
    let info = ContextInfo {
        name: CTX.into(),
        namespace: "shop".into(),
        danger: false,
    };
    update(
        &mut s,
        Msg::Kube(KubeEvent::Contexts {
            known: vec![CTX.into()],
            watching: vec![info],
        }),
    );
    update(
        &mut s,
        Msg::Health {
            source: SourceKind::Kubernetes,
            part: Some(CTX.into()),
            health: SourceHealth::Connected {
                target: "https://10.0.0.1:6443".into(),
                last_update: now(),
            },
        },
    );
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
