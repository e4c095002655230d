//! The timeline fed through `update` from the sources' own messages, and
//! its view's keys.

use chrono::{DateTime, Duration, TimeZone, Utc};

use crate::core::effect::Effect;
use crate::core::github::{Conclusion, Run, Status};
use crate::core::key::{KeyCode, KeyEvent, KeyModifiers};
use crate::core::keymap::KeyMap;
use crate::core::kube::{ContainerInfo, ContainerState, OwnerRef, PodRow, Termination};
use crate::core::kube_msg::KubeEvent;
use crate::core::msg::{DockerEvent, GitHubEvent, Msg};
use crate::core::source::SourceKind;
use crate::core::state::{Settings, State, Tab};
use crate::core::timeline::{Change, SourceFilter};
use crate::core::timeline_feed::{EngineEvent, RolloutFacts};
use crate::core::triage::Target;

use super::update;

const SHA: &str = "3f2c1ab9d0e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4";

fn at(secs: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 14, 0, 0).unwrap() + Duration::seconds(secs)
}

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn state() -> State {
    let mut s = State::new(Settings::default(), KeyMap::default());
    s.clock = at(0);
    s
}

fn deploy_run() -> Run {
    let mut run = Run::fixture(
        "acme/web",
        231,
        Status::Completed,
        Some(Conclusion::Success),
        at(0),
    );
    run.workflow = "Deploy".into();
    run.head_sha = SHA.into();
    run.updated_at = at(50);
    run
}

fn rs(name: &str, revision: u64, image: &str, replicas: u32) -> RolloutFacts {
    RolloutFacts {
        namespace: "shop".into(),
        name: name.into(),
        deployment: Some("web".into()),
        revision: Some(revision),
        created: Some(at(60 + revision as i64)),
        images: vec![image.into()],
        replicas,
        desired: Some(replicas),
    }
}

fn crashing_pod(restarts: u32, finished: Option<DateTime<Utc>>, reason: &str) -> PodRow {
    let mut pod = PodRow::fixture("prod", "shop", "web-7c9f-abcde", at(70));
    pod.owner = Some(OwnerRef {
        kind: "ReplicaSet".into(),
        name: "web-7c9f".into(),
    });
    pod.containers = vec![ContainerInfo {
        name: "app".into(),
        image: "ghcr.io/acme/web:3f2c1ab".into(),
        init: false,
        ready: false,
        restarts,
        state: ContainerState::Unknown,
        last_termination: finished.map(|t| Termination {
            reason: reason.into(),
            exit_code: 137,
            finished_at: Some(t),
        }),
        requests: String::new(),
        limits: String::new(),
    }];
    pod
}

/// The demo's story: a deploy run builds the image, a rollout follows,
/// the new pods crash. The timeline tells it with its links.
fn story(s: &mut State) -> Vec<Effect> {
    let mut effects = Vec::new();
    let mut send = |s: &mut State, msg: Msg| effects.extend(update(s, msg));
    send(
        s,
        Msg::GitHub(GitHubEvent::Runs {
            repo: "acme/web".into(),
            runs: vec![deploy_run()],
        }),
    );
    send(
        s,
        Msg::Kube(KubeEvent::ReplicaSets {
            context: "prod".into(),
            full: true,
            sets: vec![(
                "shop".into(),
                "web-7c9f".into(),
                Some(OwnerRef {
                    kind: "Deployment".into(),
                    name: "web".into(),
                }),
            )],
            deleted: Vec::new(),
        }),
    );
    send(
        s,
        Msg::Kube(KubeEvent::Rollouts {
            context: "prod".into(),
            sets: vec![
                rs("web-6b5d", 6, "ghcr.io/acme/web:1111aaa", 0),
                rs("web-7c9f", 7, "ghcr.io/acme/web:3f2c1ab", 3),
            ],
        }),
    );
    send(
        s,
        Msg::Kube(KubeEvent::Snapshot {
            context: "prod".into(),
            pods: vec![crashing_pod(0, None, "")],
        }),
    );
    send(
        s,
        Msg::Kube(KubeEvent::Changes {
            upserts: vec![crashing_pod(1, Some(at(107)), "OOMKilled")],
            deleted: Vec::new(),
        }),
    );
    send(s, Msg::BatchDone);
    effects
}

#[test]
fn the_deploy_story_is_told_in_order_with_its_links() {
    let mut s = state();
    let effects = story(&mut s);
    let t = &s.timeline.entries;
    let rows: Vec<(Change, &str)> = t
        .newest_first()
        .map(|(_, e)| (e.change, e.what.as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            (Change::OomKill, "pod web-7c9f-abcde (app)"),
            (Change::Rollout, "deployment web rev 7"),
            (Change::Rollout, "deployment web rev 6"),
            (Change::RunFinished, "Deploy #231"),
            (Change::RunStarted, "Deploy #231"),
        ]
    );
    let oom = t.newest_first().next().unwrap().1;
    assert_eq!(
        oom.at,
        at(107),
        "the time is the termination's, not the clock's"
    );
    let links = t.links(oom);
    let texts: Vec<&str> = links.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "built by acme/web Deploy #231",
            "40s after rollout of deployment web rev 7, built by acme/web Deploy #231",
        ]
    );
    let rev7 = t.newest_first().nth(1).unwrap().1;
    assert_eq!(
        rev7.reason,
        "image ghcr.io/acme/web:1111aaa -> ghcr.io/acme/web:3f2c1ab"
    );
    assert!(
        t.newest_first().any(|(_, e)| e.deploy),
        "the deploy workflow is marked"
    );
    let saved: Vec<usize> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::SaveTimeline(v) => Some(v.len()),
            _ => None,
        })
        .collect();
    assert_eq!(saved, [5], "one save per batch, of every new entry");
}

#[test]
fn the_same_facts_again_add_nothing() {
    let mut s = state();
    story(&mut s);
    let effects = story(&mut s);
    assert_eq!(s.timeline.entries.len(), 5);
    assert!(!effects.iter().any(|e| matches!(e, Effect::SaveTimeline(_))));
}

#[test]
fn a_restart_without_a_reported_termination_is_found_by_its_count() {
    let mut s = state();
    update(
        &mut s,
        Msg::Kube(KubeEvent::Snapshot {
            context: "prod".into(),
            pods: vec![crashing_pod(2, None, "")],
        }),
    );
    assert!(
        s.timeline.entries.is_empty(),
        "restarts before we looked have no time"
    );
    s.clock = at(300);
    update(
        &mut s,
        Msg::Kube(KubeEvent::Changes {
            upserts: vec![crashing_pod(3, None, "")],
            deleted: Vec::new(),
        }),
    );
    let (_, e) = s.timeline.entries.newest_first().next().expect("a restart");
    assert_eq!((e.change, e.at), (Change::PodRestart, at(300)));
}

#[test]
fn a_scale_is_the_newest_revision_changing_its_count() {
    let mut s = state();
    let msg = |replicas| {
        Msg::Kube(KubeEvent::Rollouts {
            context: "prod".into(),
            sets: vec![rs("web-7c9f", 7, "web:3f2c1ab", replicas)],
        })
    };
    update(&mut s, msg(3));
    s.clock = at(500);
    update(&mut s, msg(5));
    let scale = s
        .timeline
        .entries
        .newest_first()
        .find(|(_, e)| e.change == Change::Scale)
        .expect("a scale")
        .1;
    assert_eq!(
        (scale.reason.as_str(), scale.at),
        ("replicas 3 -> 5", at(500))
    );
}

#[test]
fn docker_events_become_entries_at_their_own_time() {
    let mut s = state();
    let ev = |action: &str, exit: Option<i64>, secs| {
        Msg::Docker(DockerEvent::Engine(EngineEvent {
            time: at(secs),
            object: "container".into(),
            action: action.into(),
            id: "c0ffee".into(),
            name: "web-1".into(),
            image: "acme/web:3f2c1ab".into(),
            exit_code: exit,
            revision: None,
            engine: String::new(),
        }))
    };
    for msg in [
        ev("start", None, 1),
        ev("die", Some(1), 2),
        ev("exec_start", None, 3),
        ev("health_status: unhealthy", None, 4),
    ] {
        update(&mut s, msg);
    }
    let rows: Vec<(Change, bool, &str)> = s
        .timeline
        .entries
        .newest_first()
        .map(|(_, e)| (e.change, e.bad, e.reason.as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            (Change::Health, true, "health: unhealthy"),
            (Change::ContainerDie, true, "exited with code 1"),
            (Change::ContainerStart, false, "image acme/web:3f2c1ab"),
        ]
    );
}

#[test]
fn t_opens_it_c_and_a_filter_it_enter_jumps_to_the_run() {
    let mut s = state();
    story(&mut s);
    update(&mut s, key('T'));
    assert!(s.timeline.open);
    assert_eq!(s.timeline.list.len(), 5);
    update(&mut s, key('c'));
    assert_eq!(s.timeline.sources, SourceFilter::Only(SourceKind::GitHub));
    assert_eq!(s.timeline.list.len(), 2);
    update(&mut s, key('c'));
    update(&mut s, key('a'));
    assert_eq!(
        s.timeline.list.len(),
        2,
        "only the two rollouts are changes in Kubernetes"
    );
    update(&mut s, key('a'));
    update(&mut s, key('c'));
    update(&mut s, key('c'));
    assert_eq!(s.timeline.sources, SourceFilter::All);
    update(&mut s, key('/'));
    for c in "kind:run".chars() {
        update(&mut s, key(c));
    }
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    assert_eq!(s.timeline.list.len(), 2, "the filter reads the KIND column");
    assert_eq!(
        s.timeline.selected().and_then(|e| e.target.clone()),
        Some(Target::Run {
            repo: "acme/web".into(),
            id: 231
        })
    );
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    assert_eq!(s.tab, Tab::Actions, "Enter shows the run in its pane");
    update(&mut s, key('1'));
    assert!(s.timeline.open, "coming back finds the timeline");
    update(&mut s, key('T'));
    assert!(!s.timeline.open, "T again is the triage list");
}

#[test]
fn the_incident_bundle_gets_the_30_minutes_before_the_breakage() {
    let mut s = state();
    story(&mut s);
    let early = super::timeline::bundle_section(&s, at(55));
    assert!(
        early.contains("## Timeline: the 30 minutes before (13:30:55 to 14:00:55 UTC)"),
        "{early}"
    );
    assert!(
        early.contains("| 14:00:50 | GitHub | run finished | Deploy #231 | acme/web |"),
        "{early}"
    );
    assert!(
        !early.contains("rollout"),
        "after the breakage is not before it: {early}"
    );
    let at_oom = super::timeline::bundle_section(&s, at(107));
    assert!(
        at_oom.contains("40s after rollout of deployment web rev 7, built by acme/web Deploy #231"),
        "{at_oom}"
    );
    let much_later = super::timeline::bundle_section(&s, at(107 + 3600));
    assert!(
        much_later.contains("Nothing changed that opsdeck saw."),
        "{much_later}"
    );
}

/// The pods watch may answer before the ReplicaSets': a crash listed then
/// has no Deployment yet, and gets it (and so its link to the rollout)
/// once the ReplicaSets are known; the store is given it again.
#[test]
fn a_crash_listed_before_its_replica_sets_is_linked_once_they_come() {
    let mut s = state();
    update(
        &mut s,
        Msg::Kube(KubeEvent::Snapshot {
            context: "prod".into(),
            pods: vec![crashing_pod(1, Some(at(107)), "OOMKilled")],
        }),
    );
    update(&mut s, Msg::BatchDone);
    let oom = |s: &State| {
        s.timeline
            .entries
            .newest_first()
            .find(|(_, e)| e.change == Change::OomKill)
            .map(|(_, e)| e.clone())
            .unwrap()
    };
    assert_eq!(oom(&s).workload, None);
    update(
        &mut s,
        Msg::Kube(KubeEvent::ReplicaSets {
            context: "prod".into(),
            full: true,
            sets: vec![(
                "shop".into(),
                "web-7c9f".into(),
                Some(OwnerRef {
                    kind: "Deployment".into(),
                    name: "web".into(),
                }),
            )],
            deleted: Vec::new(),
        }),
    );
    update(
        &mut s,
        Msg::Kube(KubeEvent::Rollouts {
            context: "prod".into(),
            sets: vec![rs("web-7c9f", 7, "ghcr.io/acme/web:3f2c1ab", 3)],
        }),
    );
    let effects = update(&mut s, Msg::BatchDone);
    let crash = oom(&s);
    assert_eq!(crash.workload.as_deref(), Some("prod/shop/web"));
    let link = s.timeline.entries.after_rollout(&crash).expect("linked");
    assert_eq!(link.text, "40s after rollout of deployment web rev 7");
    let saved_again = effects.iter().any(|e| match e {
        Effect::SaveTimeline(v) => v.iter().any(|e| e.id == crash.id && e.workload.is_some()),
        _ => false,
    });
    assert!(saved_again, "{effects:?}");
    assert!(s.timeline.unowned.is_empty());
}

/// With several engines the forwarder names each event's engine: the
/// entry's place, and its container key, are that engine's.
#[test]
fn an_engines_event_is_placed_on_that_engine() {
    let mut s = state();
    update(
        &mut s,
        Msg::Docker(DockerEvent::Engine(EngineEvent {
            time: at(5),
            object: "container".into(),
            action: "die".into(),
            id: "c0ffee".into(),
            name: "api".into(),
            image: "acme/api:1.0".into(),
            exit_code: Some(3),
            revision: None,
            engine: "edge".into(),
        })),
    );
    let (_, e) = s.timeline.entries.newest_first().next().unwrap();
    assert_eq!(e.place, "edge");
    assert_eq!(
        e.target,
        Some(Target::Container {
            id: "edge/c0ffee".into()
        })
    );
    assert!(e.id.starts_with("docker:edge/c0ffee:die:"), "{}", e.id);
}
