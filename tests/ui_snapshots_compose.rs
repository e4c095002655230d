//! Compose projects (`:projects`, a project dialog, the merged log tagged
//! by service) and inspect (`i`, the engine's object as YAML with the
//! health-check log first and secrets masked), rendered on ratatui's
//! TestBackend at 80x24 and 200x50 and compared with insta.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on what they did not expect

use chrono::{DateTime, TimeZone, Utc};
use opsdeck::core::docker::{Container, ContainerState};
use opsdeck::core::docker_compose::{ProjectMember, ProjectRow};
use opsdeck::core::docker_objects::ObjectList;
use opsdeck::core::effect::{DockerCommand, Effect};
use opsdeck::core::key::{KeyCode, KeyEvent, KeyModifiers};
use opsdeck::core::keymap::KeyMap;
use opsdeck::core::msg::{DockerEvent, LogPart, Msg};
use opsdeck::core::source::{SourceHealth, SourceKind};
use opsdeck::core::state::{Settings, State, Tab};
use opsdeck::core::update::update;
use opsdeck::logview::{LineSource, Stream};

#[path = "support/snap.rs"]
#[allow(dead_code)] // each file uses only part of it
mod snap;
use snap::render;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0)
        .single()
        .expect("valid time")
}

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

fn docker_tab(width: u16, height: u16) -> State {
    let mut s = State::new(Settings::default(), KeyMap::default());
    s.clock = now();
    s.tab = Tab::Docker;
    update(&mut s, Msg::Resize { width, height });
    let connected = SourceHealth::Connected {
        target: "unix:///var/run/docker.sock".into(),
        last_update: now(),
    };
    update(&mut s, Msg::health(SourceKind::Docker, connected));
    let api = Container {
        id: "a2".into(),
        engine: String::new(),
        name: "shop-api-1".into(),
        project: Some("shop".into()),
        service: None,
        image: "ghcr.io/acme/shop-api:3f2c1ab".into(),
        state: ContainerState::Running,
        health: opsdeck::core::docker::Health::parse("unhealthy"),
        exit_code: None,
        oom_killed: false,
        restart_count: 0,
        ports: String::new(),
        created: Some(now() - chrono::Duration::hours(5)),
        started_at: Some(now() - chrono::Duration::minutes(42)),
        finished_at: None,
        revision: None,
    };
    update(&mut s, Msg::Docker(DockerEvent::Snapshot(vec![api])));
    s
}

fn member(project: &str, service: &str, state: ContainerState, deps: &[&str]) -> ProjectMember {
    ProjectMember {
        id: format!("{project}-{service}-id"),
        name: format!("{project}-{service}-1"),
        service: service.into(),
        state,
        depends_on: deps.iter().map(|d| d.to_string()).collect(),
    }
}

fn with_projects(w: u16, h: u16) -> State {
    use ContainerState::*;
    let mut s = docker_tab(w, h);
    keys(&mut s, ":projects\n");
    let rows = vec![
        ProjectRow::new(
            "shop".into(),
            vec![
                member("shop", "web", Running, &["api"]),
                member("shop", "api", Running, &["db", "cache"]),
                member("shop", "worker", Exited, &["db", "cache"]),
                member("shop", "db", Running, &[]),
                member("shop", "cache", Running, &[]),
            ],
        ),
        ProjectRow::new(
            "monitoring".into(),
            vec![
                member("monitoring", "prometheus", Running, &[]),
                member("monitoring", "grafana", Running, &["prometheus"]),
            ],
        ),
        ProjectRow::new(
            "old-ci".into(),
            vec![member("old-ci", "runner", Exited, &[])],
        ),
    ];
    update(
        &mut s,
        Msg::Docker(DockerEvent::Objects(ObjectList::Projects(rows))),
    );
    s
}

/// Here, not in the shared module: insta names a snapshot after the file
/// its assertion is in.
fn snap_all(name: &str, make: impl Fn(u16, u16) -> State) {
    for (name, text) in snap::every_size(name, make) {
        insta::assert_snapshot!(name, text);
    }
}

/// The stream id the last effects opened a log on.
fn stream_of(effects: &[Effect]) -> u64 {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::Docker(DockerCommand::OpenMergedLogs { stream, .. })
            | Effect::Docker(DockerCommand::Inspect { stream, .. }) => Some(*stream),
            _ => None,
        })
        .expect("a log stream opened")
}

#[test]
fn projects_view() {
    snap_all("docker_projects", with_projects);
}

#[test]
fn project_stop_dialog_names_it_and_counts_its_containers() {
    snap_all("docker_project_stop", |w, h| {
        let mut s = with_projects(w, h);
        keys(&mut s, "/shop\nx");
        assert!(s.confirm.is_some());
        s
    });
}

#[test]
fn project_log_is_merged_and_tagged_by_service() {
    snap_all("docker_project_logs", |w, h| {
        let mut s = with_projects(w, h);
        let effects = keys(&mut s, "/shop\nl");
        let stream = stream_of(&effects);
        let line = |tag: &str, text: &str| {
            LogPart::new(
                LineSource::tagged(Stream::Stdout, tag),
                format!("2026-11-22T11:59:5{}.000000000Z {text}\n", text.len() % 10),
            )
        };
        let parts = vec![
            line("db", "LOG:  database system is ready to accept connections"),
            line("cache", "* Ready to accept connections tcp"),
            line(
                "api",
                "{\"level\":\"info\",\"msg\":\"listening\",\"addr\":\":8080\"}",
            ),
            line("web", "172.18.0.1 - - \"GET /healthz HTTP/1.1\" 200 2"),
            line(
                "api",
                "{\"level\":\"warn\",\"msg\":\"slow query\",\"ms\":812}",
            ),
        ];
        update(&mut s, Msg::LogChunk { stream, parts });
        s
    });
}

#[test]
fn inspect_shows_the_health_log_first_and_masks_secrets() {
    let object = serde_json::json!({
        "Id": "a2f0c1d2e3b4a5f6",
        "Name": "/shop-api-1",
        "RestartCount": 0,
        "State": {
            "Status": "running",
            "Health": {"Status": "unhealthy", "FailingStreak": 2, "Log": [
                {"Start": "2026-11-22T11:59:40Z", "ExitCode": 1, "Output": "curl: (7) Failed to connect to localhost port 8080"},
                {"Start": "2026-11-22T11:59:50Z", "ExitCode": 1, "Output": "curl: (7) Failed to connect to localhost port 8080"}
            ]}
        },
        "Config": {
            "Image": "ghcr.io/acme/shop-api:3f2c1ab",
            "Env": [
                "DATABASE_URL=postgres://shop:never-shown@db:5432/shop",
                "PAYMENT_API_KEY=never-shown-either",
                "LOG_LEVEL=info"
            ]
        }
    });
    let mut masked = object.clone();
    opsdeck::sources::docker::mask_secrets(&mut masked);
    let text = opsdeck::sources::docker::inspect_text(&masked);
    snap_all("docker_inspect_container", |w, h| {
        let mut s = docker_tab(w, h);
        let effects = keys(&mut s, "i");
        let stream = stream_of(&effects);
        let part = LogPart::new(LineSource::stdout(), text.clone().into_bytes());
        update(
            &mut s,
            Msg::LogChunk {
                stream,
                parts: vec![part],
            },
        );
        update(
            &mut s,
            Msg::LogEnded {
                stream,
                reason: "container as the engine reports it (secret-looking values masked)".into(),
            },
        );
        let shown = render(&mut s, false, w, h);
        assert!(!shown.contains("never-shown"), "{shown}");
        s
    });
}
