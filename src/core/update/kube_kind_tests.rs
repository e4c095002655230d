use chrono::{TimeZone, Utc};

use crate::core::effect::Effect;
use crate::core::key::{KeyCode, KeyEvent, KeyModifiers};
use crate::core::keymap::KeyMap;
use crate::core::kube::{ContextInfo, NamespaceScope, PodKey, PodRow};
use crate::core::kube_kind::KindEvent;
use crate::core::kube_msg::{KubeCommand, KubeEvent};
use crate::core::msg::Msg;
use crate::core::state::{Settings, State, Tab};

use super::super::update;

pub(super) fn keys(s: &mut State, text: &str) -> Vec<Effect> {
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

/// One context watching `shop`, with one pod, in the Kubernetes tab.
pub(super) fn loaded() -> State {
    let mut s = State::new(Settings::default(), KeyMap::default());
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
    let created = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let pods: Vec<PodRow> = vec![PodRow::fixture("kind", "shop", "web-1", created)];
    update(
        &mut s,
        Msg::Kube(KubeEvent::Snapshot {
            context: "kind".into(),
            pods,
        }),
    );
    s
}

/// A watch's request, kind and (context, namespace) targets.
type Watched = (u64, &'static str, Vec<(String, Option<String>)>);

fn watched(effects: &[Effect]) -> Option<Watched> {
    effects.iter().find_map(|e| match e {
        Effect::Kube(KubeCommand::WatchKind {
            request,
            plural,
            targets,
        }) => Some((*request, *plural, targets.clone())),
        _ => None,
    })
}

#[test]
fn each_alias_opens_its_kind_in_the_watched_scope_and_esc_stops_the_watch() {
    let mut s = loaded();
    let (_, plural, targets) = watched(&keys(&mut s, ":sts\n")).expect("watch");
    assert_eq!(plural, "statefulsets");
    assert_eq!(targets, [("kind".to_string(), Some("shop".to_string()))]);
    // A cluster kind is watched across namespaces whatever `:ns` says.
    let (_, plural, targets) = watched(&keys(&mut s, ":nodes\n")).expect("watch");
    assert_eq!(plural, "nodes");
    assert_eq!(targets, [("kind".to_string(), None)]);
    let effects = keys(&mut s, "\x1b");
    assert!(s.kube.kind.is_none());
    assert!(effects.contains(&Effect::Kube(KubeCommand::StopKind)));
}

#[test]
fn ns_alone_lists_namespaces_and_ns_name_still_switches() {
    let mut s = loaded();
    let (request, plural, _) = watched(&keys(&mut s, ":ns\n")).expect("watch");
    assert_eq!(plural, "namespaces");
    update(
        &mut s,
        Msg::Kube(KubeEvent::Kind {
            request,
            event: KindEvent::Snapshot {
                context: "kind".into(),
                namespace: None,
                rows: vec![],
            },
        }),
    );
    assert!(s.kube.kind.as_ref().is_some_and(|k| k.loaded.len() == 1));
    keys(&mut s, "\x1b");
    let effects = keys(&mut s, ":ns payments\n");
    assert_eq!(s.kube.scope.namespace, NamespaceScope::parse("payments"));
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Kube(KubeCommand::SetScope(_))))
    );
}

#[test]
fn a_stale_watchs_rows_are_dropped() {
    let mut s = loaded();
    let (request, ..) = watched(&keys(&mut s, ":svc\n")).expect("watch");
    let (newer, ..) = watched(&keys(&mut s, ":cm\n")).expect("watch");
    assert_ne!(request, newer);
    update(
        &mut s,
        Msg::Kube(KubeEvent::Kind {
            request,
            event: KindEvent::Snapshot {
                context: "kind".into(),
                namespace: None,
                rows: vec![crate::core::kube_kind::KindRow {
                    key: PodKey::new("kind", "shop", "old"),
                    cells: vec![],
                    severity: crate::core::docker::Severity::Ok,
                    link: Default::default(),
                    warning: false,
                    owner: None,
                }],
            },
        }),
    );
    assert!(s.kube.kind.as_ref().is_some_and(|k| k.loaded.is_empty()
        && k.rows.is_empty()
        && k.spec.plural == "configmaps"));
}

#[test]
fn enter_on_an_event_of_a_node_opens_the_nodes_with_it_selected_when_listed() {
    use crate::core::kube_kind::{KindRow, Link};
    let mut s = loaded();
    let (request, ..) = watched(&keys(&mut s, ":ev\n")).expect("watch");
    let row = |key: PodKey, link: Link| KindRow {
        key,
        cells: vec![],
        severity: crate::core::docker::Severity::Warning,
        link,
        warning: true,
        owner: None,
    };
    let event = row(
        PodKey::new("kind", "shop", "worker-b.17a"),
        Link::Object {
            kind: "Node".into(),
            namespace: String::new(),
            name: "worker-b".into(),
        },
    );
    update(
        &mut s,
        Msg::Kube(KubeEvent::Kind {
            request,
            event: KindEvent::Snapshot {
                context: "kind".into(),
                namespace: None,
                rows: vec![event],
            },
        }),
    );
    let (nodes, plural, _) = watched(&keys(&mut s, "\n")).expect("nodes watched");
    assert_eq!(plural, "nodes");
    let node = |name: &str| row(PodKey::new("kind", "", name), Link::Nothing);
    update(
        &mut s,
        Msg::Kube(KubeEvent::Kind {
            request: nodes,
            event: KindEvent::Snapshot {
                context: "kind".into(),
                namespace: None,
                rows: vec![node("worker-a"), node("worker-b"), node("worker-c")],
            },
        }),
    );
    let view = s.kube.kind.as_ref().expect("nodes view");
    assert_eq!(view.selected().map(|r| &*r.key.name), Some("worker-b"));
}
