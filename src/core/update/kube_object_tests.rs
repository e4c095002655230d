use chrono::{TimeZone, Utc};

use crate::core::effect::Effect;
use crate::core::key::{KeyCode, KeyEvent, KeyModifiers};
use crate::core::keymap::KeyMap;
use crate::core::kube::{ContextInfo, OwnerRef, PodKey, PodRow};
use crate::core::kube_kind::{Cell, KindEvent, KindRow, Link};
use crate::core::kube_msg::{KubeCommand, KubeEvent, ObjectRef, ObjectView};
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

fn loaded() -> State {
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
    let pods = vec![PodRow::fixture("kind", "shop", "web-1", created)];
    update(
        &mut s,
        Msg::Kube(KubeEvent::Snapshot {
            context: "kind".into(),
            pods,
        }),
    );
    s
}

fn shown(effects: &[Effect]) -> Option<(u64, ObjectRef, ObjectView)> {
    effects.iter().find_map(|e| match e {
        Effect::Kube(KubeCommand::ShowObject {
            stream,
            object,
            view,
        }) => Some((*stream, object.clone(), *view)),
        _ => None,
    })
}

fn object(kind: &str, ns: &str, name: &str) -> ObjectRef {
    ObjectRef {
        context: "kind".into(),
        kind: kind.into(),
        namespace: ns.into(),
        name: name.into(),
    }
}

/// `:word` answered with one row.
fn kind_view(s: &mut State, word: &str, row: KindRow) {
    let effects = keys(s, &format!(":{word}\n"));
    let request = effects
        .iter()
        .find_map(|e| match e {
            Effect::Kube(KubeCommand::WatchKind { request, .. }) => Some(*request),
            _ => None,
        })
        .expect("watch");
    let event = KindEvent::Snapshot {
        context: "kind".into(),
        namespace: None,
        rows: vec![row],
    };
    update(s, Msg::Kube(KubeEvent::Kind { request, event }));
}

fn row(ns: &str, name: &str, link: Link) -> KindRow {
    KindRow {
        key: PodKey::new("kind", ns, name),
        cells: vec![Cell::text("x")],
        severity: crate::core::docker::Severity::Ok,
        link,
        warning: false,
        owner: None,
    }
}

#[test]
fn y_and_d_on_a_pod_ask_for_it_and_open_the_view_empty_until_it_arrives() {
    let mut s = loaded();
    let (stream, obj, view) = shown(&keys(&mut s, "y")).expect("asked");
    assert_eq!(
        (obj, view),
        (object("Pod", "shop", "web-1"), ObjectView::Yaml)
    );
    let log = s.overlay_log.as_ref().expect("view open");
    assert_eq!(log.title, "yaml pod/web-1 -n shop");
    assert_eq!(log.buffer.len(), 0);
    // A late answer for another stream is dropped.
    let other = Msg::Kube(KubeEvent::Object {
        stream: stream + 100,
        result: Ok("kind: Other\n".into()),
    });
    update(&mut s, other);
    assert_eq!(s.overlay_log.as_ref().unwrap().buffer.len(), 0);
    let text = "apiVersion: v1\nkind: Pod\n".to_string();
    update(
        &mut s,
        Msg::Kube(KubeEvent::Object {
            stream,
            result: Ok(text),
        }),
    );
    let log = s.overlay_log.as_ref().unwrap();
    assert_eq!(log.buffer.len(), 2);
    assert!(log.ended.is_some());
    // In the view `y` copies the line, as in every log; no new request.
    let effects = keys(&mut s, "y");
    assert!(shown(&effects).is_none(), "{effects:?}");
    assert!(
        matches!(effects.as_slice(), [Effect::Copy(_)]),
        "{effects:?}"
    );
    keys(&mut s, "\x1b");
    assert!(s.overlay_log.is_none());
    let (_, obj, view) = shown(&keys(&mut s, "d")).expect("asked");
    assert_eq!(
        (obj, view),
        (object("Pod", "shop", "web-1"), ObjectView::Describe)
    );
}

#[test]
fn c_copies_the_name_in_the_kubernetes_tab() {
    let mut s = loaded();
    assert_eq!(keys(&mut s, "c"), vec![Effect::Copy("web-1".into())]);
}

#[test]
fn enter_on_a_kind_without_children_describes_it_and_an_event_acts_on_its_object() {
    let mut s = loaded();
    kind_view(&mut s, "svc", row("shop", "web", Link::Nothing));
    let (_, obj, view) = shown(&keys(&mut s, "\n")).expect("described");
    assert_eq!(
        (obj, view),
        (object("Service", "shop", "web"), ObjectView::Describe)
    );
    keys(&mut s, "\x1b");
    assert!(s.kube.kind.is_some(), "Esc leaves the list open");
    let (_, obj, _) = shown(&keys(&mut s, "y")).expect("yaml");
    assert_eq!(obj, object("Service", "shop", "web"));
    keys(&mut s, "\x1b");
    let link = Link::Object {
        kind: "Node".into(),
        namespace: String::new(),
        name: "worker-a".into(),
    };
    kind_view(&mut s, "ev", row("shop", "worker-a.17f", link));
    let (_, obj, view) = shown(&keys(&mut s, "d")).expect("described");
    assert_eq!(
        (obj, view),
        (object("Node", "", "worker-a"), ObjectView::Describe)
    );
}

#[test]
fn enter_on_a_cron_job_narrows_the_jobs_to_its_own_and_esc_returns_to_it() {
    let mut s = loaded();
    let cron = OwnerRef {
        kind: "CronJob".into(),
        name: "export".into(),
    };
    let link = Link::Owned {
        kind: "Job",
        owner: cron.clone(),
    };
    kind_view(&mut s, "cj", row("shop", "export", link));
    let effects = keys(&mut s, "\n");
    let request = effects
        .iter()
        .find_map(|e| match e {
            Effect::Kube(KubeCommand::WatchKind {
                request, plural, ..
            }) => {
                assert_eq!(*plural, "jobs");
                Some(*request)
            }
            _ => None,
        })
        .expect("jobs watched");
    let job = |name: &str, owner: Option<OwnerRef>| KindRow {
        owner,
        ..row("shop", name, Link::Nothing)
    };
    let other = OwnerRef {
        kind: "CronJob".into(),
        name: "other".into(),
    };
    let event = KindEvent::Snapshot {
        context: "kind".into(),
        namespace: None,
        rows: vec![
            job("export-1", Some(cron.clone())),
            job("export-2", Some(cron)),
            job("other-1", Some(other)),
            job("manual", None),
        ],
    };
    update(&mut s, Msg::Kube(KubeEvent::Kind { request, event }));
    let view = s.kube.kind.as_ref().expect("jobs view");
    let names: Vec<&str> = view.list.order().iter().map(|k| &*k.name).collect();
    assert_eq!(names, ["export-1", "export-2"]);
    let effects = keys(&mut s, "\x1b");
    assert!(effects.iter().any(|e| matches!(
        e,
        Effect::Kube(KubeCommand::WatchKind {
            plural: "cronjobs",
            ..
        })
    )));
    let view = s.kube.kind.as_ref().expect("cron jobs again");
    assert_eq!(view.spec.plural, "cronjobs");
    assert_eq!(
        view.select_when_listed,
        Some(PodKey::new("kind", "shop", "export"))
    );
}
