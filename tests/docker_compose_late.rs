//! A compose project's merged log against a REAL Docker engine gains the
//! containers that start after it opened (`docker compose up --scale`, a
//! recreated container): their lines join, tagged by their service, and a
//! removed one just stops contributing. Containers carry the labels
//! Compose puts on them, under a unique project name, and are removed.
//! Skips without an engine unless `OPSDECK_REQUIRE_DOCKER=1`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on what they did not expect

use std::collections::HashMap;
use std::time::Duration;

use bollard::Docker;
use bollard::models::ContainerCreateBody;
use bollard::query_parameters::CreateContainerOptions;
use opsdeck::app::{Driver, SourceHandles};
use opsdeck::core::docker_objects::ObjectView;
use opsdeck::core::key::{KeyCode, KeyEvent, KeyModifiers};
use opsdeck::core::keymap::KeyMap;
use opsdeck::core::msg::Msg;
use opsdeck::core::state::{Settings, State};
use opsdeck::sources::docker;
use tokio::sync::mpsc;

#[allow(dead_code)] // each test file uses part of it
#[path = "support/engine.rs"]
mod engine_kit;
use engine_kit::{remove_container, unique};

const WAIT: Duration = Duration::from_secs(40);

async fn engine() -> Option<(Docker, String)> {
    let host = docker::describe_host(None);
    let required = std::env::var("OPSDECK_REQUIRE_DOCKER").is_ok_and(|v| v == "1");
    let image =
        std::env::var("OPSDECK_TEST_IMAGE").unwrap_or_else(|_| "opsdeck-busybox:latest".into());
    let problem = match docker::connect(&host).await {
        Ok(d) => match d.inspect_image(&image).await {
            Ok(_) => return Some((d, image)),
            Err(e) => format!("image {image} missing at {host} ({e})"),
        },
        Err(e) => format!("no Docker engine at {host}: {e}"),
    };
    assert!(!required, "OPSDECK_REQUIRE_DOCKER=1 but {problem}");
    eprintln!("skipping Docker engine test: {problem}");
    None
}

struct App {
    app: Driver,
    rx: mpsc::Receiver<Msg>,
}

impl App {
    async fn start() -> App {
        let (tx, rx) = mpsc::channel(1024);
        let commands = docker::spawn(docker::describe_host(None), tx.clone());
        let sources = SourceHandles {
            docker: Some(commands),
            ..SourceHandles::default()
        };
        let settings = Settings {
            journal_path: None,
            ..Settings::default()
        };
        let (app, _themes) = Driver::new(State::new(settings, KeyMap::default()), sources, tx);
        let mut app = App { app, rx };
        app.until("the containers", |s| s.docker.containers.is_loaded())
            .await;
        app
    }

    async fn until(&mut self, what: &str, done: impl Fn(&State) -> bool) {
        self.app
            .run_until(&mut self.rx, WAIT, what, |_| {}, done)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }

    fn keys(&mut self, text: &str) {
        for c in text.chars() {
            let key = match c {
                '\n' => KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE),
                '\x1b' => KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE),
                c => KeyEvent::char(c),
            };
            self.app.key(key);
        }
    }
}

/// A container as `docker compose up` makes it: project, service and
/// depends_on labels. It says hello, then waits; TERM ends it at once
/// (busybox `sleep` as PID 1 would ignore it for the 10 s stop timeout).
async fn compose_container(d: &Docker, image: &str, project: &str, service: &str, deps: &str) {
    let mut labels = HashMap::new();
    labels.insert(
        "com.docker.compose.project".to_string(),
        project.to_string(),
    );
    labels.insert(
        "com.docker.compose.service".to_string(),
        service.to_string(),
    );
    if !deps.is_empty() {
        labels.insert(
            "com.docker.compose.depends_on".to_string(),
            deps.to_string(),
        );
    }
    let script =
        format!("trap 'exit 0' TERM; echo hello from {service}; while true; do sleep 0.2; done");
    let body = ContainerCreateBody {
        image: Some(image.to_string()),
        cmd: Some(vec!["sh".into(), "-c".into(), script]),
        labels: Some(labels),
        ..Default::default()
    };
    let options = CreateContainerOptions {
        name: Some(format!("{project}-{service}-1")),
        ..Default::default()
    };
    d.create_container(Some(options), body)
        .await
        .expect("create container");
}

fn log_lines(s: &State) -> Vec<(Option<String>, String)> {
    let Some(session) = s.docker.logs.as_ref() else {
        return Vec::new();
    };
    session
        .buffer
        .iter()
        .map(|(_, l)| {
            (
                session.buffer.tag_of(l).map(str::to_string),
                l.text().to_string(),
            )
        })
        .collect()
}

fn has_line(s: &State, tag: &str, text: &str) -> bool {
    log_lines(s)
        .iter()
        .any(|(t, l)| t.as_deref() == Some(tag) && l.contains(text))
}

#[tokio::test]
async fn a_container_starting_after_the_merged_log_opened_joins_it_tagged() {
    let Some((d, image)) = engine().await else {
        return;
    };
    let project = unique("late");
    let db = format!("{project}-db-1");
    let web = format!("{project}-web-1");
    compose_container(&d, &image, &project, "db", "").await;
    d.start_container(&db, None).await.expect("start db");
    let mut app = App::start().await;
    app.keys(":projects\n");
    app.until("the project listed", |s| match s.docker.objects.as_ref() {
        Some(ObjectView::Projects(t)) => t.rows.get(&project).is_some_and(|r| r.running() == 1),
        _ => false,
    })
    .await;
    app.keys(&format!("/{project}\n"));
    app.keys("l");
    app.until("db's hello, tagged db", |s| {
        has_line(s, "db", "hello from db")
    })
    .await;
    assert!(!has_line(&app.app.state, "web", "hello from web"));

    // A container of the project created and started after the log opened.
    compose_container(&d, &image, &project, "web", "db:service_started:false").await;
    d.start_container(&web, None).await.expect("start web");
    app.until("web's hello joins the open log, tagged web", |s| {
        has_line(s, "web", "hello from web")
    })
    .await;
    let joined = log_lines(&app.app.state)
        .iter()
        .filter(|(t, l)| t.as_deref() == Some("web") && l.contains("hello from web"))
        .count();
    assert_eq!(joined, 1, "its start read once");

    // Removed, it just stops contributing; the log stays open.
    remove_container(&d, &web).await;
    app.until("web's end noted", |s| {
        log_lines(s)
            .iter()
            .any(|(t, l)| t.as_deref() == Some("web") && l.starts_with("- web"))
    })
    .await;
    let session = app.app.state.docker.logs.as_ref().expect("the log is open");
    assert!(session.ended.is_none(), "{:?}", session.ended);
    remove_container(&d, &db).await;
}
