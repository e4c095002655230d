//! Snapshots of CPU and memory from the metrics API at 80x24 and 200x50:
//! the pods list sorted by CPU, the nodes list sorted by memory, and the
//! pods list of a cluster without the API ("n/a", the reason once in the
//! footer). Figures go through `update` as the source sends them, on a
//! fixed clock.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

use chrono::{DateTime, Duration, Utc};
use k8s_openapi::api::core::v1::Node;
use opsdeck::core::effect::Effect;
use opsdeck::core::kube::{PodKey, PodRow};
use opsdeck::core::kube_kind::KindEvent;
use opsdeck::core::kube_metrics::{MetricsEvent, Usage};
use opsdeck::core::kube_msg::{KubeCommand, KubeEvent};
use opsdeck::core::msg::Msg;
use opsdeck::core::state::State;
use opsdeck::core::update::update;
use opsdeck::sources::kube::kinds::KindSource;
use serde_json::json;

#[path = "support/kube_snap.rs"]
#[allow(dead_code)] // each file uses part of it
mod kube_snap;
#[path = "support/snap.rs"]
mod snap;
use kube_snap::{CTX, now, type_keys};

/// The poll's request among `effects`.
fn poll(effects: &[Effect]) -> u64 {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::Kube(KubeCommand::PollMetrics { request, .. }) => Some(*request),
            _ => None,
        })
        .expect("a metrics poll started")
}

fn mib(cpu_milli: u64, mib: u64) -> Usage {
    Usage {
        cpu_milli,
        memory_bytes: mib * 1024 * 1024,
    }
}

const PODS: [(&str, &str, u64, u64); 5] = [
    ("shop", "web-7f9c-abcde", 12, 48),
    ("shop", "web-7f9c-fghij", 250, 130),
    ("shop", "cart-5d4b-kkkkk", 1890, 612),
    ("payments", "ledger-0", 3, 20),
    ("monitoring", "prometheus-0", 430, 2048),
];

/// A ready pod of one container.
fn pod(ns: &str, name: &str, created: DateTime<Utc>) -> PodRow {
    PodRow {
        key: PodKey::new(CTX, ns, name),
        status: "Running".into(),
        phase: "Running".into(),
        ready: 1,
        total: 1,
        restarts: 0,
        last_restart: None,
        created: Some(created),
        not_ready_since: None,
        node: Some("worker-a".into()),
        ip: Some("10.244.1.7".into()),
        owner: None,
        containers: Vec::new(),
    }
}

/// The pods list of all namespaces, loaded; the effects of loading it.
fn pods_state(w: u16, h: u16) -> (State, Vec<Effect>) {
    let (mut s, mut effects) = kube_snap::connected_asking(CTX, "*", false, w, h);
    let mut pods: Vec<PodRow> = PODS
        .iter()
        .map(|(ns, name, ..)| pod(ns, name, now() - Duration::hours(3)))
        .collect();
    // One pod not running: metrics-server has no figure for it.
    let mut pending = pod("shop", "web-7f9c-zzzzz", now() - Duration::minutes(2));
    pending.status = "Pending".into();
    pending.phase = "Pending".into();
    pending.ready = 0;
    pods.push(pending);
    effects.extend(update(
        &mut s,
        Msg::Kube(KubeEvent::Snapshot {
            context: CTX.into(),
            pods,
        }),
    ));
    (s, effects)
}

fn metrics(s: &mut State, request: u64, event: MetricsEvent) {
    update(s, Msg::Kube(KubeEvent::Metrics { request, event }));
}

#[test]
fn pods_sorted_by_cpu() {
    for (name, text) in snap::every_size("metrics_pods_by_cpu", |w, h| {
        let (mut s, effects) = pods_state(w, h);
        let usage = PODS
            .iter()
            .map(|(ns, name, cpu, mem)| (PodKey::new(CTX, ns, name), mib(*cpu, *mem)))
            .collect();
        let event = MetricsEvent::Pods {
            context: CTX.into(),
            usage,
        };
        metrics(&mut s, poll(&effects), event);
        // name -> status -> restarts -> age -> cpu
        type_keys(&mut s, "oooo");
        s
    }) {
        if name.ends_with("200x50_unicode") {
            let order: Vec<usize> = [
                "cart-5d4b",
                "prometheus-0",
                "web-7f9c-fghij",
                "ledger-0",
                "zzzzz",
            ]
            .iter()
            .map(|n| text.find(n).expect(n))
            .collect();
            assert!(
                order.windows(2).all(|w| w[0] < w[1]),
                "largest CPU first:\n{text}"
            );
            assert!(text.contains("1890m") && text.contains("2048Mi"), "{text}");
        }
        insta::assert_snapshot!(name, text);
    }
}

#[test]
fn pods_without_the_metrics_api() {
    for (name, text) in snap::every_size("metrics_pods_unavailable", |w, h| {
        let (mut s, effects) = pods_state(w, h);
        let event = MetricsEvent::Unavailable {
            context: CTX.into(),
            reason: "this cluster does not serve the metrics API (metrics.k8s.io); \
                     install metrics-server for CPU and memory"
                .into(),
        };
        metrics(&mut s, poll(&effects), event);
        s
    }) {
        assert_eq!(text.matches("CPU/MEM n/a").count(), 1, "said once:\n{text}");
        if name.contains("200x50") {
            assert!(text.matches("n/a").count() > 6, "each row's cells:\n{text}");
        }
        insta::assert_snapshot!(name, text);
    }
}

#[test]
fn nodes_sorted_by_memory() {
    let node = |name: &str, role: &str| {
        let mut labels = json!({});
        labels[format!("node-role.kubernetes.io/{role}")] = json!("");
        let created = (now() - Duration::days(40)).to_rfc3339();
        let v = json!({"metadata": {"name": name, "labels": labels, "creationTimestamp": created},
            "status": {"conditions": [{"type": "Ready", "status": "True"}],
                "nodeInfo": {"kubeletVersion": "v1.31.4", "architecture": "", "bootID": "",
                    "containerRuntimeVersion": "", "kernelVersion": "", "kubeProxyVersion": "",
                    "machineID": "", "operatingSystem": "", "osImage": "", "systemUUID": ""}}});
        serde_json::from_value::<Node>(v).unwrap().row(CTX).unwrap()
    };
    for (name, text) in snap::every_size("metrics_nodes_by_memory", |w, h| {
        let (mut s, _) = pods_state(w, h);
        let effects = type_keys(&mut s, ":no\n");
        let request = poll(&effects);
        let Some(Effect::Kube(KubeCommand::WatchKind { request: watch, .. })) = effects
            .iter()
            .find(|e| matches!(e, Effect::Kube(KubeCommand::WatchKind { .. })))
        else {
            panic!("no watch");
        };
        let rows = vec![
            node("control-plane", "control-plane"),
            node("worker-a", "worker"),
            node("worker-b", "worker"),
            node("worker-c", "worker"),
        ];
        update(
            &mut s,
            Msg::Kube(KubeEvent::Kind {
                request: *watch,
                event: KindEvent::Snapshot {
                    context: CTX.into(),
                    namespace: None,
                    rows,
                },
            }),
        );
        let event = MetricsEvent::Nodes {
            context: CTX.into(),
            usage: vec![
                ("control-plane".into(), mib(310, 1650)),
                ("worker-a".into(), mib(2240, 5120)),
                ("worker-b".into(), mib(95, 7800)),
            ],
        };
        metrics(&mut s, request, event);
        // name -> status -> roles -> age -> version -> cpu -> memory
        type_keys(&mut s, "oooooo");
        s
    }) {
        if name.ends_with("200x50_unicode") {
            let order: Vec<usize> = ["worker-b", "worker-a", "control-plane", "worker-c"]
                .iter()
                .map(|n| text.find(n).expect(n))
                .collect();
            assert!(
                order.windows(2).all(|w| w[0] < w[1]),
                "most memory first:\n{text}"
            );
            assert!(text.contains("7800Mi") && text.contains("2240m"), "{text}");
        }
        insta::assert_snapshot!(name, text);
    }
}
