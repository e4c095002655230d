use crate::core::docker::Severity;
use crate::core::effect::Effect;
use crate::core::key::{KeyCode, KeyEvent, KeyModifiers};
use crate::core::keymap::KeyMap;
use crate::core::kube::{ContextInfo, KubeOp, PodKey};
use crate::core::kube_kind::{Cell, KindEvent, KindRow, Link};
use crate::core::kube_msg::{KubeCommand, KubeEvent};
use crate::core::kube_node::DrainPlan;
use crate::core::msg::Msg;
use crate::core::state::{Settings, State, Tab};

use super::super::update;

fn keys(s: &mut State, text: &str) -> Vec<Effect> {
    let mut out = Vec::new();
    for c in text.chars() {
        let code = match c {
            '\n' => KeyCode::Enter,
            c => KeyCode::Char(c),
        };
        out.extend(update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))));
    }
    out
}

fn node(name: &str, status: &str) -> KindRow {
    KindRow {
        key: PodKey::new("kind", "", name),
        cells: vec![
            Cell::text(status),
            Cell::text("worker"),
            Cell::Age(None),
            Cell::text("v1.31.4"),
        ],
        severity: Severity::Ok,
        link: Link::Nothing,
        warning: false,
        owner: None,
    }
}

/// The `:no` list open with worker-a (schedulable) and worker-c (cordoned).
fn nodes(readonly: bool) -> State {
    let mut s = State::new(
        Settings {
            readonly,
            ..Settings::default()
        },
        KeyMap::default(),
    );
    s.tab = Tab::Kubernetes;
    let info = ContextInfo {
        name: "kind".into(),
        namespace: "shop".into(),
        danger: false,
    };
    update(
        &mut s,
        Msg::Kube(KubeEvent::Contexts {
            known: vec!["kind".into()],
            watching: vec![info],
        }),
    );
    keys(&mut s, ":no\n");
    let request = s.kube.kind.as_ref().expect("view").request;
    let rows = vec![
        node("worker-a", "Ready"),
        node("worker-c", "Ready,SchedulingDisabled"),
    ];
    let event = KindEvent::Snapshot {
        context: "kind".into(),
        namespace: None,
        rows,
    };
    update(&mut s, Msg::Kube(KubeEvent::Kind { request, event }));
    s
}

fn select(s: &mut State, name: &str) {
    let view = s.kube.kind.as_mut().expect("view");
    assert!(view.list.select(&PodKey::new("kind", "", name)));
}

fn sent_op(effects: &[Effect]) -> Option<KubeOp> {
    effects.iter().find_map(|e| match e {
        Effect::Kube(KubeCommand::Op { op, .. }) => Some(op.clone()),
        _ => None,
    })
}

#[test]
fn cordon_asks_naming_the_node_and_acts_only_on_y() {
    let mut s = nodes(false);
    select(&mut s, "worker-a");
    assert!(keys(&mut s, "C").is_empty());
    let confirm = s.confirm.clone().expect("asks first");
    assert!(
        confirm.question().contains("worker-a"),
        "{}",
        confirm.question()
    );
    assert!(confirm.destructive);
    // Enter is not a yes.
    assert!(sent_op(&keys(&mut s, "\n")).is_none());
    let op = sent_op(&keys(&mut s, "y")).expect("sent on y");
    assert_eq!(
        op,
        KubeOp::Cordon {
            node: "worker-a".into(),
            on: true
        }
    );
}

#[test]
fn uncordon_only_on_a_cordoned_node_and_cordon_only_on_a_schedulable_one() {
    let mut s = nodes(false);
    select(&mut s, "worker-a");
    keys(&mut s, "U");
    assert!(s.confirm.is_none(), "worker-a is not cordoned");
    select(&mut s, "worker-c");
    keys(&mut s, "C");
    assert!(s.confirm.is_none(), "worker-c is cordoned already");
    keys(&mut s, "U");
    let op = sent_op(&keys(&mut s, "y")).expect("uncordon sent");
    assert_eq!(
        op,
        KubeOp::Cordon {
            node: "worker-c".into(),
            on: false
        }
    );
}

#[test]
fn drain_lists_first_then_the_dialog_counts_the_pods() {
    let mut s = nodes(false);
    select(&mut s, "worker-a");
    let effects = keys(&mut s, "R");
    let request = effects
        .iter()
        .find_map(|e| match e {
            Effect::Kube(KubeCommand::PlanDrain {
                request,
                context,
                node,
            }) => {
                assert_eq!((context.as_str(), node.as_str()), ("kind", "worker-a"));
                Some(*request)
            }
            _ => None,
        })
        .expect("plan asked");
    assert!(s.confirm.is_none(), "no dialog before the plan");
    // A plan for another request is dropped.
    let stale = KubeEvent::DrainPlan {
        request: request + 100,
        result: Ok(DrainPlan::default()),
    };
    update(&mut s, Msg::Kube(stale));
    assert!(s.confirm.is_none());
    let plan = DrainPlan {
        evict: vec!["shop/web-1".into(), "shop/web-2".into(), "shop/db-0".into()],
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
    let q = s.confirm.as_ref().expect("dialog").question();
    assert!(q.contains("worker-a"), "{q}");
    assert!(q.contains("evict 3 pods"), "{q}");
    let op = sent_op(&keys(&mut s, "y")).expect("drain sent");
    assert!(
        matches!(&op, KubeOp::Drain { node, timeout_secs } if node == "worker-a" && *timeout_secs > 0),
        "{op:?}"
    );
}

#[test]
fn readonly_refuses_every_node_action_without_a_request() {
    let mut s = nodes(true);
    select(&mut s, "worker-a");
    for key in ["C", "R"] {
        let effects = keys(&mut s, key);
        assert!(s.confirm.is_none(), "{key}: no dialog");
        assert!(
            effects.iter().all(|e| !matches!(e, Effect::Kube(_))),
            "{key}: nothing reaches the source: {effects:?}"
        );
        assert!(
            effects
                .iter()
                .any(|e| matches!(e, Effect::AppendJournal(_))),
            "{key}: the refusal is journaled"
        );
    }
}

#[test]
fn drain_progress_is_one_toast_updated_in_place() {
    let mut s = nodes(false);
    for n in 1..=3 {
        update(
            &mut s,
            Msg::Kube(KubeEvent::DrainProgress {
                context: "kind".into(),
                node: "worker-a".into(),
                text: format!("{n} of 3 pods evicted"),
            }),
        );
    }
    let drains: Vec<_> = s
        .toasts
        .visible()
        .iter()
        .filter(|t| t.text.starts_with("drain worker-a"))
        .collect();
    assert_eq!(drains.len(), 1, "{drains:?}");
    assert_eq!(drains[0].text, "drain worker-a: 3 of 3 pods evicted");
}
