//! Snapshots of the Kubernetes pane, its detail view and a danger context,
//! at 80x24 and 200x50 (TestBackend + insta, fixed clock).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

use chrono::Duration;
use opsdeck::core::effect::Effect;
use opsdeck::core::key::{KeyCode, KeyEvent, KeyModifiers};
use opsdeck::core::kube::{ContainerInfo, ContainerState, OwnerRef, PodKey, PodRow, Termination};
use opsdeck::core::kube_kind::{KindEvent, KindRow};
use opsdeck::core::kube_msg::{KubeCommand, KubeEvent};
use opsdeck::core::msg::Msg;
use opsdeck::core::state::State;
use opsdeck::core::update::update;
use opsdeck::sources::kube::kinds::KindSource;
use opsdeck::ui::{self, Look, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

#[path = "support/kube_snap.rs"]
#[allow(dead_code)] // each file uses part of it
mod kube_snap;
use kube_snap::{now, type_keys};

fn container(name: &str, state: ContainerState, restarts: u32) -> ContainerInfo {
    ContainerInfo {
        name: name.into(),
        image: format!("ghcr.io/acme/{name}:3f2c1ab"),
        init: false,
        ready: matches!(state, ContainerState::Running { .. }),
        restarts,
        state,
        last_termination: None,
        requests: "cpu=100m memory=128Mi".into(),
        limits: "memory=256Mi".into(),
    }
}

fn pod(ctx: &str, ns: &str, name: &str, status: &str, ready: u32, restarts: u32) -> PodRow {
    let running = ContainerState::Running {
        since: Some(now() - Duration::hours(3)),
    };
    let mut c = container("app", running, restarts);
    if status == "CrashLoopBackOff" {
        c.state = ContainerState::Waiting {
            reason: "CrashLoopBackOff".into(),
            message: "back-off 5m0s restarting failed container".into(),
        };
        c.ready = false;
        c.last_termination = Some(Termination {
            reason: "Error".into(),
            exit_code: 1,
            finished_at: Some(now() - Duration::minutes(2)),
        });
    }
    PodRow {
        key: PodKey::new(ctx, ns, name),
        status: status.into(),
        phase: if status == "Pending" {
            "Pending"
        } else {
            "Running"
        }
        .into(),
        ready,
        total: 1,
        restarts,
        last_restart: (restarts > 0).then(|| now() - Duration::minutes(2)),
        created: Some(now() - Duration::days(2)),
        not_ready_since: (ready == 0).then(|| now() - Duration::minutes(30)),
        node: Some("node-a".into()),
        ip: Some("10.1.2.3".into()),
        owner: Some(OwnerRef {
            kind: "ReplicaSet".into(),
            name: format!("{name}-rs"),
        }),
        containers: vec![c],
    }
}

fn state(ctx: &str, danger: bool, w: u16, h: u16) -> State {
    let mut s = kube_snap::connected(ctx, "*", danger, w, h);
    let pods = vec![
        pod(ctx, "shop", "web-7d9f-abcde", "Running", 1, 0),
        pod(ctx, "shop", "cart-78cd-vp8rh", "CrashLoopBackOff", 0, 7),
        pod(
            ctx,
            "payments",
            "gateway-75db-zz8",
            "ImagePullBackOff",
            0,
            0,
        ),
        pod(ctx, "payments", "ledger-545c-dxx6", "Running", 1, 3),
        pod(ctx, "payments", "reports-6795-rns", "Pending", 0, 0),
    ];
    update(
        &mut s,
        Msg::Kube(KubeEvent::Snapshot {
            context: ctx.into(),
            pods,
        }),
    );
    s
}

fn render(s: &mut State, w: u16, h: u16) -> String {
    let look = Look::new(Theme::default(), false);
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    terminal.draw(|f| ui::draw(f, s, &look)).expect("draw");
    terminal.backend().to_string()
}

#[test]
fn pods_list_and_detail() {
    for (w, h) in [(80, 24), (200, 50)] {
        let mut s = state("opsdeck-demo", false, w, h);
        let text = render(&mut s, w, h);
        assert!(text.contains("CrashLoopBackOff"), "{text}");
        insta::assert_snapshot!(format!("kube_pods_{w}x{h}"), text);
        // The crash-looping pod, then its detail view.
        update(
            &mut s,
            Msg::Key(KeyEvent::new(KeyCode::Char('/'), KeyModifiers::NONE)),
        );
        for c in "cart".chars() {
            update(
                &mut s,
                Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
            );
        }
        update(
            &mut s,
            Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        );
        update(
            &mut s,
            Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        );
        let text = render(&mut s, w, h);
        insta::assert_snapshot!(format!("kube_detail_{w}x{h}"), text);
    }
}

#[test]
fn a_danger_context_is_framed_and_marked() {
    for (w, h) in [(80, 24), (200, 50)] {
        let mut s = state("prod-eu", true, w, h);
        let text = render(&mut s, w, h);
        insta::assert_snapshot!(format!("kube_danger_{w}x{h}"), text);
    }
}

/// A narrow terminal drops the status details first; the pod name stays.
#[test]
fn a_narrow_terminal_keeps_the_pod_name() {
    let (w, h) = (40, 12);
    let mut s = state("opsdeck-demo", false, w, h);
    let text = render(&mut s, w, h);
    assert!(text.contains("gateway-75db-zz8"), "{text}");
    insta::assert_snapshot!(format!("kube_narrow_{w}x{h}"), text);
}

/// Issue 10: narrow panes dropped the pod name first (2 characters wide at
/// 60x20) and a wide one gave NAME 25 columns it did not need. At every
/// size the name stays, a cut one keeps its tail, and no column is wider
/// than its widest value.
#[test]
fn pod_names_survive_every_size_and_columns_fit_their_content() {
    let long = "checkout-service-canary-7c9f8d6b5c-dxx6t";
    for (w, h) in [(40, 10), (60, 20), (80, 24), (120, 36), (200, 50)] {
        let mut s = state("opsdeck-demo", false, w, h);
        let mut pods = vec![
            pod("opsdeck-demo", "shop", long, "Running", 1, 0),
            pod(
                "opsdeck-demo",
                "shop",
                "cart-78cd-vp8rh",
                "CrashLoopBackOff",
                0,
                7,
            ),
        ];
        pods.extend(
            ["web-7d9f-abcde", "ledger-545c-dxx6"]
                .map(|n| pod("opsdeck-demo", "payments", n, "Running", 1, 0)),
        );
        update(
            &mut s,
            Msg::Kube(KubeEvent::Snapshot {
                context: "opsdeck-demo".into(),
                pods,
            }),
        );
        let text = render(&mut s, w, h);
        for tail in ["-dxx6t", "vp8rh", "abcde"] {
            assert!(
                text.contains(tail),
                "{w}x{h}: the name's tail {tail}:\n{text}"
            );
        }
        if w < 60 {
            assert!(
                text.contains("…-dxx6t"),
                "{w}x{h}: cut in the middle:\n{text}"
            );
        }
        if w >= 120 {
            assert!(
                text.contains(long),
                "{w}x{h}: room for the whole name:\n{text}"
            );
            let header = text.lines().find(|l| l.contains("READY")).expect("header");
            let gap = header.find("READY").unwrap() - (header.find(" NAME ").unwrap() + 1);
            assert_eq!(
                gap,
                long.len() + 1,
                "{w}x{h}: NAME as wide as the longest name"
            );
        }
        insta::assert_snapshot!(format!("kube_sizes_{w}x{h}"), text);
    }
}

/// A Deployment as the API serves it, through the kinds table's converter.
fn deploy(name: &str, ns: &str, desired: u32, ready: u32, age_h: i64) -> KindRow {
    let created =
        (now() - Duration::hours(age_h)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let d: k8s_openapi::api::apps::v1::Deployment = serde_json::from_value(serde_json::json!({
        "metadata": {"name": name, "namespace": ns, "creationTimestamp": created},
        "spec": {"replicas": desired, "selector": {}, "template": {}},
        "status": {"readyReplicas": ready, "updatedReplicas": desired, "availableReplicas": ready}
    }))
    .unwrap();
    d.row("opsdeck-demo").unwrap()
}

/// `:deploy` (all namespaces), then Enter on a deployment: its pods.
#[test]
fn deployments_list_and_a_deployments_pods() {
    for (w, h) in [(80, 24), (200, 50)] {
        let mut s = state("opsdeck-demo", false, w, h);
        update(
            &mut s,
            Msg::Kube(KubeEvent::ReplicaSets {
                context: "opsdeck-demo".into(),
                full: true,
                sets: vec![(
                    "shop".into(),
                    "cart-78cd-vp8rh-rs".into(),
                    Some(OwnerRef {
                        kind: "Deployment".into(),
                        name: "cart".into(),
                    }),
                )],
                deleted: vec![],
            }),
        );
        let effects = type_keys(&mut s, ":deploy\n");
        let Some(Effect::Kube(KubeCommand::WatchKind { request, .. })) = effects.first() else {
            panic!("no watch: {effects:?}");
        };
        let rows = vec![
            deploy("web", "shop", 3, 3, 9 * 24),
            deploy("cart", "shop", 2, 0, 3 * 24),
            deploy("gateway", "payments", 1, 0, 26),
            deploy("ledger", "payments", 2, 2, 90),
        ];
        update(
            &mut s,
            Msg::Kube(KubeEvent::Kind {
                request: *request,
                event: KindEvent::Snapshot {
                    context: "opsdeck-demo".into(),
                    namespace: None,
                    rows,
                },
            }),
        );
        let text = render(&mut s, w, h);
        for word in ["NAMESPACE", "READY", "UP-TO-DATE", "AVAILABLE", "0/2"] {
            assert!(text.contains(word), "{word}: {text}");
        }
        insta::assert_snapshot!(format!("kube_deployments_{w}x{h}"), text);
        // cart is the first row (payments/gateway sorts before it by namespace).
        type_keys(&mut s, "/cart\n\n");
        let text = render(&mut s, w, h);
        assert!(text.contains("cart-78cd-vp8rh"), "{text}");
        assert!(!text.contains("web-7d9f-abcde"), "{text}");
        insta::assert_snapshot!(format!("kube_deployment_pods_{w}x{h}"), text);
    }
}

/// A narrow terminal drops AGE and the counts first; the name stays whole.
#[test]
fn a_narrow_deployments_list_keeps_the_name() {
    let (w, h) = (40, 12);
    let mut s = state("opsdeck-demo", false, w, h);
    let effects = type_keys(&mut s, ":deploy\n");
    let Some(Effect::Kube(KubeCommand::WatchKind { request, .. })) = effects.first() else {
        panic!("no watch: {effects:?}");
    };
    let rows = vec![deploy("payments-reconciliation", "payments", 2, 1, 5)];
    update(
        &mut s,
        Msg::Kube(KubeEvent::Kind {
            request: *request,
            event: KindEvent::Snapshot {
                context: "opsdeck-demo".into(),
                namespace: None,
                rows,
            },
        }),
    );
    let text = render(&mut s, w, h);
    assert!(text.contains("payments-reconciliation"), "{text}");
    insta::assert_snapshot!(format!("kube_deployments_narrow_{w}x{h}"), text);
}

/// `s` on a pod with two containers: the picker on the status line, then
/// the dialog, which on a danger context asks for the context's name.
#[test]
fn shell_container_picker_and_typed_confirmation() {
    use opsdeck::core::kube_msg::KubeEvent;
    for (w, h) in [(80, 24), (200, 50)] {
        let mut s = state("prod-eu", true, w, h);
        let key = s.kube.list.selected().cloned().expect("a pod selected");
        let mut row = s.kube.pod(&key).cloned().expect("the pod");
        let running = ContainerState::Running {
            since: Some(now() - Duration::hours(3)),
        };
        row.containers.push(container("metrics", running, 0));
        let changes = KubeEvent::Changes {
            upserts: vec![row],
            deleted: Vec::new(),
        };
        update(&mut s, Msg::Kube(changes));
        type_keys(&mut s, "s");
        let text = render(&mut s, w, h);
        assert!(text.contains("shell container (app|metrics"), "{text}");
        insta::assert_snapshot!(format!("kube_shell_picker_{w}x{h}"), text);
        type_keys(&mut s, "\n");
        let text = render(&mut s, w, h);
        assert!(text.contains("Open a shell in pod"), "{text}");
        insta::assert_snapshot!(format!("kube_shell_confirm_{w}x{h}"), text);
    }
}
