//! The timeline view (`T` in the Overview) on ratatui's TestBackend, at
//! 80x24 and 200x50, in Unicode and `--ascii` glyphs. The world is fed
//! through `update` from the sources' own messages: a deploy run builds
//! an image, a rollout follows, the new pod is OOM-killed, a Warning
//! event, and Docker's events.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

use chrono::{DateTime, Duration, TimeZone, Utc};
use opsdeck::core::github::{Conclusion, Run, Status};
use opsdeck::core::key::{KeyCode, KeyEvent, KeyModifiers};
use opsdeck::core::keymap::KeyMap;
use opsdeck::core::kube::{ContainerInfo, ContainerState, OwnerRef, PodKey, PodRow, Termination};
use opsdeck::core::kube_msg::KubeEvent;
use opsdeck::core::kube_warnings::WarningEvent;
use opsdeck::core::msg::{DockerEvent, GitHubEvent, Msg};
use opsdeck::core::state::{Settings, State, Tab};
use opsdeck::core::timeline_feed::{EngineEvent, RolloutFacts};
use opsdeck::core::update::update;

#[path = "support/snap.rs"]
#[allow(dead_code)] // each file uses only part of it
mod snap;

const SHA: &str = "3f2c1ab9d0e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4";

fn t(secs: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 14, 0, 0).unwrap() + Duration::seconds(secs)
}

fn run(id: u64, workflow: &str, conclusion: Conclusion, sha: &str, start: i64) -> Run {
    Run {
        repo: "acme/web".into(),
        id,
        number: id,
        attempt: 1,
        workflow: workflow.into(),
        workflow_id: 7,
        branch: "main".into(),
        event: "push".into(),
        actor: "mara".into(),
        title: format!("change {id}"),
        status: Status::Completed,
        conclusion: Some(conclusion),
        head_sha: sha.into(),
        created_at: t(start),
        updated_at: t(start + 90),
        started_at: Some(t(start)),
        html_url: String::new(),
    }
}

fn rs(name: &str, revision: u64, image: &str, created: i64) -> RolloutFacts {
    RolloutFacts {
        namespace: "shop".into(),
        name: name.into(),
        deployment: Some("web".into()),
        revision: Some(revision),
        created: Some(t(created)),
        images: vec![image.into()],
        replicas: 3,
        desired: Some(3),
    }
}

fn pod(restarts: u32, finished: Option<i64>) -> PodRow {
    PodRow {
        key: PodKey::new("prod", "shop", "web-7c9f-x2x4q"),
        status: "CrashLoopBackOff".into(),
        phase: "Running".into(),
        ready: 0,
        total: 1,
        restarts,
        last_restart: finished.map(t),
        created: Some(t(130)),
        not_ready_since: None,
        node: None,
        ip: None,
        owner: Some(OwnerRef {
            kind: "ReplicaSet".into(),
            name: "web-7c9f".into(),
        }),
        containers: vec![ContainerInfo {
            name: "app".into(),
            image: "ghcr.io/acme/web:3f2c1ab".into(),
            init: false,
            ready: false,
            restarts,
            state: ContainerState::Unknown,
            last_termination: finished.map(|f| Termination {
                reason: "OOMKilled".into(),
                exit_code: 137,
                finished_at: Some(t(f)),
            }),
            requests: String::new(),
            limits: String::new(),
        }],
    }
}

fn docker(action: &str, secs: i64, exit_code: Option<i64>) -> Msg {
    Msg::Docker(DockerEvent::Engine(EngineEvent {
        time: t(secs),
        object: "container".into(),
        action: action.into(),
        id: "9a8b7c6d5e4f".into(),
        name: "worker-1".into(),
        image: "acme/worker:3f2c1ab".into(),
        exit_code,
        revision: None,
        engine: String::new(),
    }))
}

fn world(width: u16, height: u16) -> State {
    let mut s = State::new(Settings::default(), KeyMap::default());
    s.clock = t(600);
    update(&mut s, Msg::Resize { width, height });
    let msgs = vec![
        Msg::GitHub(GitHubEvent::Runs {
            repo: "acme/web".into(),
            runs: vec![
                run(231, "Deploy", Conclusion::Success, SHA, 0),
                run(230, "CI", Conclusion::Failure, "aaaabbbbccccdddd", -400),
            ],
        }),
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
        Msg::Kube(KubeEvent::Rollouts {
            context: "prod".into(),
            sets: vec![
                rs("web-6b5d", 6, "ghcr.io/acme/web:1111aaa", -3000),
                rs("web-7c9f", 7, "ghcr.io/acme/web:3f2c1ab", 120),
            ],
        }),
        Msg::Kube(KubeEvent::Snapshot {
            context: "prod".into(),
            pods: vec![pod(0, None)],
        }),
        Msg::Kube(KubeEvent::Changes {
            upserts: vec![pod(1, Some(160))],
            deleted: Vec::new(),
        }),
        Msg::Kube(KubeEvent::Warnings {
            context: "prod".into(),
            full: true,
            upserts: vec![WarningEvent {
                namespace: "shop".into(),
                name: "web-7c9f-x2x4q.17a".into(),
                object_kind: "Pod".into(),
                object_namespace: "shop".into(),
                object_name: "web-7c9f-x2x4q".into(),
                reason: "BackOff".into(),
                message: "Back-off restarting failed container app".into(),
                count: 3,
                last_seen: Some(t(200)),
            }],
            deleted: Vec::new(),
        }),
        docker("start", 140, None),
        docker("die", 170, Some(1)),
        Msg::BatchDone,
    ];
    for msg in msgs {
        update(&mut s, msg);
    }
    s.tab = Tab::Overview;
    update(&mut s, key('T'));
    s
}

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

/// Here, not in the shared module: insta names a snapshot after the file
/// its assertion is in.
fn snap_all(name: &str, make: impl Fn(u16, u16) -> State) {
    for (name, text) in snap::every_size(name, make) {
        insta::assert_snapshot!(name, text);
    }
}

#[test]
fn timeline_everything() {
    snap_all("timeline_everything", world);
}

/// The OOM kill selected: its row says which rollout it followed and
/// which run built the image; the bottom border names the fields.
#[test]
fn timeline_links_of_the_selected_breakage() {
    snap_all("timeline_links", |w, h| {
        let mut s = world(w, h);
        // Newest first: the Warning, the Docker die, then the OOM kill.
        update(&mut s, key('j'));
        update(&mut s, key('j'));
        s
    });
}

#[test]
fn timeline_only_changes_of_kubernetes() {
    snap_all("timeline_changes_kube", |w, h| {
        let mut s = world(w, h);
        update(&mut s, key('c'));
        update(&mut s, key('c'));
        update(&mut s, key('a'));
        s
    });
}
