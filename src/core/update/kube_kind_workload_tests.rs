//! The Deployments (`:deploy`) on the kinds list: a workload's pods by
//! owner through their ReplicaSet, and the actions the spec offers.

use chrono::{TimeZone, Utc};

use crate::core::action::Action;
use crate::core::docker::Severity;
use crate::core::effect::Effect;
use crate::core::kube::{ContextInfo, KubeOp, OwnerRef, PodKey, PodRow};
use crate::core::kube_kind::{Cell, KindEvent, KindRow, Link};
use crate::core::kube_msg::{KubeCommand, KubeEvent};
use crate::core::msg::Msg;
use crate::core::state::{State, Tab};

use super::super::update;
use super::tests::keys;

fn pod(name: &str, rs: &str) -> PodRow {
    let created = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    PodRow {
        owner: Some(OwnerRef {
            kind: "ReplicaSet".into(),
            name: rs.into(),
        }),
        ..PodRow::fixture("kind", "shop", name, created)
    }
}

fn deploy(name: &str, desired: u32, ready: u32) -> KindRow {
    let n = i64::from(ready);
    KindRow {
        key: PodKey::new("kind", "shop", name),
        cells: vec![
            Cell::Ratio(ready, desired),
            Cell::Count(n),
            Cell::Count(n),
            Cell::Age(None),
        ],
        severity: Severity::Ok,
        link: Link::Pods(OwnerRef {
            kind: "Deployment".into(),
            name: name.into(),
        }),
        warning: false,
        owner: None,
    }
}

fn kube(ev: KubeEvent) -> Msg {
    Msg::Kube(ev)
}

/// One context, pods of two deployments (web via web-rs, api via api-rs),
/// seen from the Overview.
fn loaded() -> State {
    let mut s = super::tests::loaded();
    s.tab = Tab::Overview;
    update(
        &mut s,
        kube(KubeEvent::Snapshot {
            context: "kind".into(),
            pods: vec![
                pod("web-1", "web-rs"),
                pod("web-2", "web-rs"),
                pod("api-1", "api-rs"),
            ],
        }),
    );
    let owner = |name: &str| {
        Some(OwnerRef {
            kind: "Deployment".into(),
            name: name.into(),
        })
    };
    update(
        &mut s,
        kube(KubeEvent::ReplicaSets {
            context: "kind".into(),
            full: true,
            sets: vec![
                ("shop".into(), "web-rs".into(), owner("web")),
                ("shop".into(), "api-rs".into(), owner("api")),
            ],
            deleted: vec![],
        }),
    );
    s
}

/// `:deploy` Enter, then the watcher's first list.
fn opened() -> State {
    let mut s = loaded();
    let effects = keys(&mut s, ":deploy\n");
    let request = match effects.as_slice() {
        [
            Effect::Kube(KubeCommand::WatchKind {
                request,
                plural: "deployments",
                targets,
            }),
            ..,
        ] => {
            assert_eq!(targets, &[("kind".to_string(), Some("shop".to_string()))]);
            *request
        }
        other => panic!("expected a deployments watch, got {other:?}"),
    };
    update(
        &mut s,
        kube(KubeEvent::Kind {
            request,
            event: KindEvent::Snapshot {
                context: "kind".into(),
                namespace: None,
                rows: vec![deploy("web", 2, 2), deploy("api", 3, 1)],
            },
        }),
    );
    s
}

fn names(s: &State) -> Vec<String> {
    let d = s.kube.kind.as_ref().unwrap();
    d.list.order().iter().map(|k| k.name.to_string()).collect()
}

#[test]
fn palette_deploy_opens_the_list_and_esc_stops_its_watch() {
    let mut s = opened();
    assert_eq!(s.tab, Tab::Kubernetes);
    assert_eq!(names(&s), ["api", "web"]);
    // No pod metrics while the list covers the pods.
    assert!(s.kube.metrics.polling.is_none());
    let effects = keys(&mut s, "\x1b");
    assert!(s.kube.kind.is_none());
    // Back on the pods list, their metrics poll starts again.
    assert!(matches!(
        effects.as_slice(),
        [
            Effect::Kube(KubeCommand::StopKind),
            Effect::Kube(KubeCommand::PollMetrics { .. })
        ]
    ));
    // The singular, the plural and k9s's name are the same view, even
    // with the workload entries (`deployment shop/web`) matching too.
    for typed in [":deployment\n", ":deployments\n", ":dp\n"] {
        keys(&mut s, typed);
        assert!(
            s.kube
                .kind
                .as_ref()
                .is_some_and(|d| d.listing() && d.spec.plural == "deployments"),
            "{typed}"
        );
        keys(&mut s, "\x1b");
    }
}

#[test]
fn enter_shows_the_deployments_pods_by_owner_and_esc_goes_back_twice() {
    let mut s = opened();
    let all = s.kube.list.len();
    assert_eq!(all, 3);
    keys(&mut s, "j\n");
    let shown: Vec<&str> = s.kube.list.order().iter().map(|k| &*k.name).collect();
    assert_eq!(shown, ["web-1", "web-2"]);
    // The pods of a workload are the pods list: their metrics are polled.
    assert!(s.kube.metrics.polling.is_some());
    keys(&mut s, "\x1b");
    assert!(s.kube.kind.as_ref().is_some_and(|d| d.listing()));
    assert_eq!(s.kube.list.len(), all);
    keys(&mut s, "\x1b");
    assert!(s.kube.kind.is_none());
}

#[test]
fn filter_and_sort_work_on_the_deployments_list() {
    let mut s = opened();
    keys(&mut s, "/we\n");
    assert_eq!(names(&s), ["web"]);
    assert_eq!(s.kube.list.filter(), "", "the pods' filter is untouched");
    keys(&mut s, "\x1b");
    assert_eq!(names(&s), ["api", "web"]);
    assert!(s.kube.kind.is_some(), "Esc cleared the filter only");
    update(&mut s, Msg::Action(Action::SortNext));
    assert_eq!(s.kube.kind.as_ref().unwrap().sort_label(), "ready");
    assert_eq!(names(&s), ["api", "web"]);
}

#[test]
fn scale_and_restart_act_on_the_selected_deployment() {
    let mut s = opened();
    // api wants 3: scaling to 1 is down, so destructive.
    update(&mut s, Msg::Action(Action::Scale));
    assert_eq!(s.input.as_ref().map(|i| i.text.as_str()), Some("3"));
    keys(&mut s, "\x08");
    s.input.as_mut().unwrap().text = "1".into();
    keys(&mut s, "\n");
    let c = s.confirm.as_ref().expect("asks");
    assert!(c.destructive);
    assert!(
        c.question().contains("shop/api from 3 to 1 replicas"),
        "{}",
        c.question()
    );
    keys(&mut s, "n");
    assert!(s.confirm.is_none());
    update(&mut s, Msg::Action(Action::RolloutRestart));
    let c = s.confirm.as_ref().expect("asks");
    assert!(c.destructive);
    assert!(
        c.question()
            .starts_with("Rollout restart deployment shop/api"),
        "{}",
        c.question()
    );
}

#[test]
fn messages_of_a_closed_or_older_watch_are_dropped() {
    let mut s = opened();
    let old = s.kube.kind.as_ref().unwrap().request;
    keys(&mut s, "\x1b:deploy\n");
    update(
        &mut s,
        kube(KubeEvent::Kind {
            request: old,
            event: KindEvent::Snapshot {
                context: "kind".into(),
                namespace: None,
                rows: vec![deploy("stale", 1, 1)],
            },
        }),
    );
    assert!(names(&s).is_empty());
}

#[test]
fn jumping_to_a_pod_closes_the_view_and_its_watch() {
    let mut s = opened();
    let effects = keys(&mut s, ":pod shop/api-1\n");
    assert!(s.kube.kind.is_none());
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Kube(KubeCommand::StopKind))),
        "{effects:?}"
    );
    assert_eq!(s.kube.selected_pod().map(|p| &*p.key.name), Some("api-1"));
}

#[test]
fn a_scope_change_restarts_the_watch_for_the_new_contexts() {
    let mut s = opened();
    let old = s.kube.kind.as_ref().unwrap().request;
    let info = ContextInfo {
        name: "kind".into(),
        namespace: "*".into(),
        danger: false,
    };
    let effects = update(
        &mut s,
        kube(KubeEvent::Contexts {
            known: vec!["kind".into()],
            watching: vec![info],
        }),
    );
    let view = s.kube.kind.as_ref().expect("still open");
    assert_ne!(view.request, old);
    assert!(view.rows.is_empty(), "nothing stale from the old namespace");
    assert!(
        matches!(effects.as_slice(), [Effect::Kube(KubeCommand::WatchKind { targets, .. })]
            if targets == &[("kind".to_string(), None)]),
        "{effects:?}"
    );
}

/// `:word` opened on one row of its kind, `name` in shop wanting `wanted`.
fn kind_with_row(word: &str, kind: &str, name: &str, wanted: u32) -> State {
    let mut s = loaded();
    keys(&mut s, &format!(":{word}\n"));
    let request = s.kube.kind.as_ref().expect("view").request;
    let mut row = deploy(name, wanted, wanted);
    row.cells.truncate(1);
    row.link = Link::Pods(OwnerRef {
        kind: kind.into(),
        name: name.into(),
    });
    let event = KindEvent::Snapshot {
        context: "kind".into(),
        namespace: None,
        rows: vec![row],
    };
    update(&mut s, kube(KubeEvent::Kind { request, event }));
    s
}

/// The dialog open: Enter is not a yes, `y` sends its one request.
fn yes(s: &mut State) -> KubeOp {
    assert!(keys(s, "\n").is_empty(), "Enter is not a yes");
    match keys(s, "y").as_slice() {
        [Effect::Kube(KubeCommand::Op { op, .. })] => op.clone(),
        other => panic!("y sent {other:?}"),
    }
}

#[test]
fn a_statefulset_scales_and_restarts_by_its_own_kind_on_y_only() {
    let mut s = kind_with_row("sts", "StatefulSet", "db", 2);
    update(&mut s, Msg::Action(Action::Scale));
    assert_eq!(s.input.as_ref().map(|i| i.text.as_str()), Some("2"));
    s.input.as_mut().unwrap().text = "3".into();
    keys(&mut s, "\n");
    let c = s.confirm.as_ref().expect("asks");
    assert!(!c.destructive, "more replicas is not destructive");
    assert!(
        c.question()
            .starts_with("Scale statefulset shop/db from 2 to 3"),
        "{}",
        c.question()
    );
    let owner = OwnerRef {
        kind: "StatefulSet".into(),
        name: "db".into(),
    };
    let op = yes(&mut s);
    assert_eq!(
        op,
        KubeOp::Scale {
            owner: owner.clone(),
            replicas: 3
        }
    );
    assert_eq!(op.target(), "statefulset db to 3");
    update(&mut s, Msg::Action(Action::RolloutRestart));
    let op = yes(&mut s);
    assert_eq!(op, KubeOp::RolloutRestart { owner });
}

#[test]
fn a_kind_offers_only_the_actions_its_spec_lists() {
    // A DaemonSet restarts but has no replicas to scale.
    let mut s = kind_with_row("ds", "DaemonSet", "agent", 1);
    update(&mut s, Msg::Action(Action::Scale));
    assert!(s.input.is_none() && s.confirm.is_none());
    update(&mut s, Msg::Action(Action::RolloutRestart));
    let c = s.confirm.as_ref().expect("asks");
    assert!(
        c.question()
            .starts_with("Rollout restart daemonset shop/agent")
    );
    // A ConfigMap neither.
    let mut s = kind_with_row("cm", "ConfigMap", "settings", 1);
    for action in [Action::Scale, Action::RolloutRestart] {
        assert!(update(&mut s, Msg::Action(action)).is_empty());
        assert!(s.input.is_none() && s.confirm.is_none(), "{action:?}");
    }
}

#[test]
fn read_only_refuses_a_scale_before_asking_for_replicas_and_journals_it() {
    let mut s = opened();
    s.settings.readonly = true;
    let effects = update(&mut s, Msg::Action(Action::Scale));
    assert!(s.input.is_none() && s.kube.scale.is_none());
    assert!(
        matches!(effects.as_slice(), [Effect::AppendJournal(e)]
            if e.target == "deployment api" && e.action == "scale" && e.result.is_err()),
        "{effects:?}"
    );
    let effects = update(&mut s, Msg::Action(Action::RolloutRestart));
    assert!(s.confirm.is_none());
    assert!(
        matches!(effects.as_slice(), [Effect::AppendJournal(e)]
            if e.target == "deployment api" && e.action == "rollout restart"),
        "{effects:?}"
    );
}

#[test]
fn an_events_deployment_opens_the_deployments_with_it_selected() {
    let mut s = loaded();
    keys(&mut s, ":ev\n");
    let request = s.kube.kind.as_ref().expect("events").request;
    let mut event = deploy("web.17a", 1, 1);
    event.link = Link::Object {
        kind: "Deployment".into(),
        namespace: "shop".into(),
        name: "api".into(),
    };
    let event = KindEvent::Snapshot {
        context: "kind".into(),
        namespace: None,
        rows: vec![event],
    };
    update(&mut s, kube(KubeEvent::Kind { request, event }));
    let effects = keys(&mut s, "\n");
    // The new watch replaces the events' one.
    let request = match effects.as_slice() {
        [
            Effect::Kube(KubeCommand::WatchKind {
                request,
                plural: "deployments",
                ..
            }),
            ..,
        ] => *request,
        other => panic!("expected the deployments watched, got {other:?}"),
    };
    let event = KindEvent::Snapshot {
        context: "kind".into(),
        namespace: None,
        rows: vec![deploy("web", 2, 2), deploy("api", 3, 1)],
    };
    update(&mut s, kube(KubeEvent::Kind { request, event }));
    let view = s.kube.kind.as_ref().expect("deployments");
    assert_eq!(view.selected().map(|r| &*r.key.name), Some("api"));
}
