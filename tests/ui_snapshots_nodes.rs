//! Snapshots of the node actions and the narrowed pods list at 80x24 and
//! 200x50: the drain dialog over a list with a cordoned node, and the pods
//! of a namespace set under a label selector, on a fixed clock.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

use opsdeck::core::docker::Severity;
use opsdeck::core::effect::Effect;
use opsdeck::core::kube::{ContainerInfo, ContainerState, OwnerRef, PodKey, PodRow};
use opsdeck::core::kube_kind::{Cell, KindEvent, KindRow, Link};
use opsdeck::core::kube_msg::{KubeCommand, KubeEvent};
use opsdeck::core::kube_node::DrainPlan;
use opsdeck::core::msg::Msg;
use opsdeck::core::state::State;
use opsdeck::core::update::update;

#[path = "support/kube_snap.rs"]
#[allow(dead_code)] // each file uses part of it
mod kube_snap;
#[path = "support/snap.rs"]
mod snap;
use kube_snap::{CTX, now, type_keys};

fn state(w: u16, h: u16, namespace: &str) -> State {
    kube_snap::connected(CTX, namespace, false, w, h)
}

fn node(name: &str, status: &str, severity: Severity) -> KindRow {
    KindRow {
        key: PodKey::new(CTX, "", name),
        cells: vec![
            Cell::text(status),
            Cell::text("worker"),
            Cell::Age(Some(now() - chrono::Duration::days(40))),
            Cell::text("v1.31.4"),
        ],
        severity,
        link: Link::Nothing,
        warning: false,
        owner: None,
    }
}

/// `:no` with worker-c cordoned, worker-a selected, `R` answered with a
/// plan of five pods (one DaemonSet pod stays).
fn drain_dialog(w: u16, h: u16) -> State {
    let mut s = state(w, h, "*");
    update(
        &mut s,
        Msg::Kube(KubeEvent::Snapshot {
            context: CTX.into(),
            pods: vec![],
        }),
    );
    let effects = type_keys(&mut s, ":no\n");
    let request = effects
        .iter()
        .find_map(|e| match e {
            Effect::Kube(KubeCommand::WatchKind { request, .. }) => Some(*request),
            _ => None,
        })
        .expect("watch");
    let rows = vec![
        node("worker-a", "Ready", Severity::Ok),
        node("worker-b", "Ready", Severity::Ok),
        node("worker-c", "Ready,SchedulingDisabled", Severity::Idle),
    ];
    let event = KindEvent::Snapshot {
        context: CTX.into(),
        namespace: None,
        rows,
    };
    update(&mut s, Msg::Kube(KubeEvent::Kind { request, event }));
    let effects = type_keys(&mut s, "R");
    let request = effects
        .iter()
        .find_map(|e| match e {
            Effect::Kube(KubeCommand::PlanDrain { request, .. }) => Some(*request),
            _ => None,
        })
        .expect("plan asked");
    let plan = DrainPlan {
        evict: ["cart-1", "cart-2", "web-1", "web-2", "ledger-0"]
            .map(|p| format!("shop/{p}"))
            .to_vec(),
        daemonset: 1,
        ..DrainPlan::default()
    };
    update(
        &mut s,
        Msg::Kube(KubeEvent::DrainPlan {
            request,
            result: Ok(plan),
        }),
    );
    s.toasts.dismiss(now());
    assert!(s.confirm.is_some(), "the dialog is open");
    s
}

#[test]
fn the_drain_dialog_names_the_node_and_the_pods_it_evicts() {
    for (name, text) in snap::every_size("drain_dialog", drain_dialog) {
        if name.contains("200x50") {
            assert!(text.contains("worker-a"), "{text}");
            assert!(text.contains("evict 5"), "{text}");
            assert!(text.contains("1 DaemonSet pod stays"), "{text}");
            assert!(text.contains("Ready,SchedulingDisabled"), "{text}");
        }
        insta::assert_snapshot!(name, text);
    }
}

fn pod(ns: &str, name: &str) -> PodRow {
    let since = now() - chrono::Duration::hours(3);
    PodRow {
        key: PodKey::new(CTX, ns, name),
        status: "Running".into(),
        phase: "Running".into(),
        ready: 1,
        total: 1,
        restarts: 0,
        last_restart: None,
        created: Some(since),
        not_ready_since: None,
        node: Some("worker-a".into()),
        ip: Some("10.1.2.3".into()),
        owner: Some(OwnerRef {
            kind: "ReplicaSet".into(),
            name: format!("{name}-rs"),
        }),
        containers: vec![ContainerInfo {
            name: "app".into(),
            image: "ghcr.io/acme/web:3f2c1ab".into(),
            init: false,
            ready: true,
            restarts: 0,
            state: ContainerState::Running { since: Some(since) },
            last_termination: None,
            requests: String::new(),
            limits: String::new(),
        }],
    }
}

/// The pods of `shop,payments` under `-l app=web`: the title names both.
fn narrowed(w: u16, h: u16) -> State {
    let mut s = state(w, h, "shop,payments");
    s.kube.scope.selector = Some("app=web".into());
    for (ns, pods) in [
        (
            "shop",
            vec![
                pod("shop", "web-7d4b9-x2x9q"),
                pod("shop", "web-7d4b9-k8m2p"),
            ],
        ),
        ("payments", vec![pod("payments", "web-5c6f8-r4t7w")]),
    ] {
        update(
            &mut s,
            Msg::Kube(KubeEvent::NamespaceSnapshot {
                context: CTX.into(),
                namespace: ns.into(),
                pods,
            }),
        );
    }
    s
}

#[test]
fn a_namespace_set_under_a_selector_is_named_in_the_title() {
    for (name, text) in snap::every_size("pods_set_selector", narrowed) {
        assert!(text.contains("ns shop,payments"), "{text}");
        assert!(text.contains("-l app=web"), "{text}");
        if name.contains("200x50") {
            assert!(text.contains("NAMESPACE"), "{text}");
        }
        insta::assert_snapshot!(name, text);
    }
}
