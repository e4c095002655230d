use chrono::{TimeZone, Utc};

use crate::core::effect::Effect;
use crate::core::key::{KeyCode, KeyEvent, KeyModifiers};
use crate::core::keymap::KeyMap;
use crate::core::kube::{ContextInfo, PodKey, PodRow};
use crate::core::kube_kind::{Cell, KindEvent, KindRow, Link};
use crate::core::kube_metrics::{MetricsEvent, MetricsOf, Usage};
use crate::core::kube_msg::{KubeCommand, KubeEvent};
use crate::core::kube_pane::KubeSort;
use crate::core::msg::Msg;
use crate::core::state::{Settings, State, Tab};

use super::super::update;

fn keys(s: &mut State, text: &str) -> Vec<Effect> {
    let mut out = Vec::new();
    for c in text.chars() {
        let code = match c {
            '\n' => KeyCode::Enter,
            '\x1b' => KeyCode::Esc,
            c => KeyCode::Char(c),
        };
        out.extend(update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))));
    }
    out
}

/// A poll's request, what it polls and its (context, namespace) targets.
type Polled = (u64, MetricsOf, Vec<(String, Option<String>)>);

fn polled(effects: &[Effect]) -> Option<Polled> {
    effects.iter().find_map(|e| match e {
        Effect::Kube(KubeCommand::PollMetrics {
            request,
            of,
            targets,
            ..
        }) => Some((*request, *of, targets.clone())),
        _ => None,
    })
}

fn stopped(effects: &[Effect]) -> bool {
    effects.contains(&Effect::Kube(KubeCommand::StopMetrics))
}

/// The pods list on screen with three pods; the effects of its loading.
fn loaded() -> (State, Vec<Effect>) {
    let mut s = State::new(Settings::default(), KeyMap::default());
    s.tab = Tab::Kubernetes;
    let info = ContextInfo {
        name: "kind".into(),
        namespace: "shop".into(),
        danger: false,
    };
    let mut effects = update(
        &mut s,
        Msg::Kube(KubeEvent::Contexts {
            known: vec!["kind".into()],
            watching: vec![info],
        }),
    );
    let created = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let pods = ["a", "b", "c"]
        .map(|n| PodRow::fixture("kind", "shop", n, created))
        .to_vec();
    effects.extend(update(
        &mut s,
        Msg::Kube(KubeEvent::Snapshot {
            context: "kind".into(),
            pods,
        }),
    ));
    (s, effects)
}

fn usage(cpu_milli: u64, mib: u64) -> Usage {
    Usage {
        cpu_milli,
        memory_bytes: mib * 1024 * 1024,
    }
}

fn order(s: &State) -> Vec<String> {
    s.kube
        .list
        .order()
        .iter()
        .map(|k| k.name.to_string())
        .collect()
}

#[test]
fn pods_on_screen_are_polled_and_anything_covering_them_stops_it() {
    let (mut s, effects) = loaded();
    let (_, of, targets) = polled(&effects).expect("polled once the pods are listed");
    assert_eq!(of, MetricsOf::Pods);
    assert_eq!(targets, [("kind".to_string(), Some("shop".to_string()))]);
    // Another tab: nothing on screen needs figures.
    assert!(stopped(&update(
        &mut s,
        Msg::Action(crate::core::action::Action::TabDocker)
    )));
    assert!(s.kube.metrics.polling.is_none());
    let back = update(
        &mut s,
        Msg::Action(crate::core::action::Action::TabKubernetes),
    );
    assert!(polled(&back).is_some());
    // A message that changes nothing on screen starts nothing new.
    let now = s.clock;
    assert!(polled(&update(&mut s, Msg::Tick { now })).is_none());
    // Nodes: the poll moves to nodes, across namespaces.
    let (_, of, targets) = polled(&keys(&mut s, ":no\n")).expect("nodes polled");
    assert_eq!(of, MetricsOf::Nodes);
    assert_eq!(targets, [("kind".to_string(), None)]);
    // A list without figures (services) stops it.
    assert!(stopped(&keys(&mut s, ":svc\n")));
}

#[test]
fn figures_sort_pods_both_ways_and_pods_without_one_go_last() {
    let (mut s, effects) = loaded();
    let (request, ..) = polled(&effects).unwrap();
    let key = |n: &str| PodKey::new("kind", "shop", n);
    let event = MetricsEvent::Pods {
        context: "kind".into(),
        usage: vec![(key("a"), usage(5, 300)), (key("c"), usage(900, 20))],
    };
    update(&mut s, Msg::Kube(KubeEvent::Metrics { request, event }));
    s.kube.list.set_sort(KubeSort::Cpu, Default::default());
    s.kube.rebuild_order();
    assert_eq!(order(&s), ["c", "a", "b"]);
    keys(&mut s, "O");
    assert_eq!(order(&s), ["b", "a", "c"], "reversed");
    keys(&mut s, "o");
    assert_eq!(s.kube.list.sort(), KubeSort::Memory);
    assert_eq!(order(&s), ["a", "c", "b"]);
    // A stale answer (an older request) is dropped.
    let old = MetricsEvent::Pods {
        context: "kind".into(),
        usage: vec![(key("b"), usage(1, 999))],
    };
    update(
        &mut s,
        Msg::Kube(KubeEvent::Metrics {
            request: request + 1000,
            event: old,
        }),
    );
    assert!(!s.kube.metrics.pods.contains_key(&key("b")));
}

#[test]
fn node_cells_are_filled_and_cleared_with_the_figures() {
    let (mut s, _) = loaded();
    let effects = keys(&mut s, ":no\n");
    let (request, ..) = polled(&effects).unwrap();
    let kind_request = s.kube.kind.as_ref().unwrap().request;
    let row = |name: &str| KindRow {
        key: PodKey::new("kind", "", name),
        cells: vec![Cell::text("Ready"), Cell::Cpu(None), Cell::Memory(None)],
        severity: crate::core::docker::Severity::Ok,
        link: Link::Nothing,
        warning: false,
        owner: None,
    };
    let event = MetricsEvent::Nodes {
        context: "kind".into(),
        usage: vec![("n1".into(), usage(1500, 2048))],
    };
    update(&mut s, Msg::Kube(KubeEvent::Metrics { request, event }));
    // The watch's rows come after the figures: filled all the same.
    let snapshot = KindEvent::Snapshot {
        context: "kind".into(),
        namespace: None,
        rows: vec![row("n1"), row("n2")],
    };
    update(
        &mut s,
        Msg::Kube(KubeEvent::Kind {
            request: kind_request,
            event: snapshot,
        }),
    );
    let view = s.kube.kind.as_ref().unwrap();
    let n1 = &view.rows[&PodKey::new("kind", "", "n1")];
    assert_eq!(n1.cells[1], Cell::Cpu(Some(1500)));
    assert_eq!(n1.cells[2], Cell::Memory(Some(2048 * 1024 * 1024)));
    assert_eq!(
        view.rows[&PodKey::new("kind", "", "n2")].cells[1],
        Cell::Cpu(None)
    );
    let unavailable = MetricsEvent::Unavailable {
        context: "kind".into(),
        reason: "no".into(),
    };
    update(
        &mut s,
        Msg::Kube(KubeEvent::Metrics {
            request,
            event: unavailable,
        }),
    );
    let view = s.kube.kind.as_ref().unwrap();
    assert_eq!(
        view.rows[&PodKey::new("kind", "", "n1")].cells[1],
        Cell::Cpu(None)
    );
    assert_eq!(
        s.kube.metrics.status_words(false).as_deref(),
        Some("CPU/MEM n/a: no")
    );
}
