//! Compose projects and inspect against a REAL Docker engine: containers
//! the test creates with the labels Compose puts on them (a unique project
//! name), acted on as one row through the dialog (`x`/`S`/`D`, `y`), their
//! logs merged and tagged by service; and `i` on a container whose env
//! holds a secret and whose health check fails. Everything created is
//! removed. Skips without an engine unless `OPSDECK_REQUIRE_DOCKER=1`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on what they did not expect

use std::collections::HashMap;
use std::time::Duration;

use bollard::Docker;
use bollard::models::{ContainerCreateBody, HealthConfig};
use bollard::query_parameters::CreateContainerOptions;
use opsdeck::app::{Driver, SourceHandles};
use opsdeck::core::docker_objects::{ObjectKind, ObjectView};
use opsdeck::core::key::{KeyCode, KeyEvent, KeyModifiers};
use opsdeck::core::keymap::KeyMap;
use opsdeck::core::msg::Msg;
use opsdeck::core::state::{Settings, State};
use opsdeck::each_object_table;
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
    reports: Vec<(String, Result<String, String>)>,
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
        let mut app = App {
            app,
            rx,
            reports: Vec::new(),
        };
        app.until("the containers", |s| s.docker.containers.is_loaded())
            .await;
        app
    }

    async fn until(&mut self, what: &str, done: impl Fn(&State) -> bool) {
        let reports = &mut self.reports;
        self.app
            .run_until(
                &mut self.rx,
                WAIT,
                what,
                |msg| {
                    if let Msg::ActionReported { ticket, result } = msg {
                        reports.push((ticket.target.clone(), result.clone()));
                    }
                },
                done,
            )
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

    /// `key` on the selected project: one dialog naming the project and
    /// counting its containers, `y`, and the source's answer.
    async fn act(&mut self, key: &str, project: &str, count: usize) -> Result<String, String> {
        self.keys(key);
        let dialog = self.app.state.confirm.clone().expect("a dialog");
        assert!(dialog.target.contains(project), "{}", dialog.target);
        assert!(
            dialog
                .target
                .contains(&format!("{count} of {count} containers")),
            "{}",
            dialog.target
        );
        let before = self.reports.len();
        self.keys("y");
        assert!(
            self.app.state.confirm.is_none(),
            "one dialog for the project"
        );
        let deadline = tokio::time::Instant::now() + WAIT;
        while self.reports.len() == before {
            let msg = tokio::time::timeout_at(deadline, self.rx.recv())
                .await
                .expect("an answer to the action")
                .expect("source alive");
            let reports = &mut self.reports;
            self.app.apply_batch(msg, &mut self.rx, |msg| {
                if let Msg::ActionReported { ticket, result } = msg {
                    reports.push((ticket.target.clone(), result.clone()));
                }
            });
        }
        self.reports[before].1.clone()
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

/// When each container last started and finished, as the engine says.
async fn times(
    d: &Docker,
    name: &str,
) -> (
    chrono::DateTime<chrono::FixedOffset>,
    chrono::DateTime<chrono::FixedOffset>,
    bool,
) {
    let c = d.inspect_container(name, None).await.expect("inspect");
    let state = c.state.expect("state");
    let parse = |t: Option<String>| {
        chrono::DateTime::parse_from_rfc3339(&t.unwrap_or_default()).expect("an RFC 3339 time")
    };
    (
        parse(state.started_at),
        parse(state.finished_at),
        state.running.unwrap_or(false),
    )
}

fn project_row(s: &State, project: &str) -> Option<(usize, usize, Vec<String>)> {
    match s.docker.objects.as_ref()? {
        ObjectView::Projects(t) => t
            .rows
            .get(project)
            .map(|r| (r.members.len(), r.running(), r.services())),
        _ => None,
    }
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

#[tokio::test]
async fn a_compose_project_is_one_row_acted_on_in_dependency_order() {
    let Some((d, image)) = engine().await else {
        return;
    };
    let project = unique("proj");
    let names: Vec<String> = ["db", "api", "web"]
        .iter()
        .map(|s| format!("{project}-{s}-1"))
        .collect();
    compose_container(&d, &image, &project, "web", "api:service_started:false").await;
    compose_container(&d, &image, &project, "api", "db:service_healthy:false").await;
    compose_container(&d, &image, &project, "db", "").await;
    let mut app = App::start().await;
    app.keys(":projects\n");
    app.until("the project listed", |s| project_row(s, &project).is_some())
        .await;
    let (count, running, services) = project_row(&app.app.state, &project).unwrap();
    assert_eq!((count, running), (3, 0));
    assert_eq!(services, ["db", "api", "web"]);
    app.keys(&format!("/{project}\n"));
    let selected = each_object_table!(app.app.state.docker.objects.as_ref().unwrap(), t => t.list.selected().cloned());
    assert_eq!(selected.as_deref(), Some(project.as_str()));

    // Start: dependencies first.
    let said = app.act("S", &project, 3).await.expect("started");
    assert_eq!(said, "started 3");
    let mut started = Vec::new();
    for n in &names {
        let (start, _, running) = times(&d, n).await;
        assert!(running, "{n} runs");
        started.push(start);
    }
    assert!(
        started[0] < started[1] && started[1] < started[2],
        "{started:?}"
    );
    app.until("the row says 3 running", |s| {
        project_row(s, &project).is_some_and(|r| r.1 == 3)
    })
    .await;

    // The merged log: every service's hello, tagged with its service.
    app.keys("l");
    app.until("a hello from each service", |s| {
        let lines = log_lines(s);
        ["db", "api", "web"].iter().all(|svc| {
            lines.iter().any(|(tag, text)| {
                tag.as_deref() == Some(*svc) && text.contains(&format!("hello from {svc}"))
            })
        })
    })
    .await;
    let title = app.app.state.docker.logs.as_ref().unwrap().title.clone();
    assert!(title.contains(&project), "{title}");
    app.keys("q");
    assert!(app.app.state.docker.logs.is_none());

    // Stop: dependents first.
    let said = app.act("x", &project, 3).await.expect("stopped");
    assert_eq!(said, "stopped 3");
    let mut finished = Vec::new();
    for n in &names {
        let (_, end, running) = times(&d, n).await;
        assert!(!running, "{n} stopped");
        finished.push(end);
    }
    assert!(
        finished[2] < finished[1] && finished[1] < finished[0],
        "{finished:?}"
    );

    // Remove: all three gone, one dialog.
    app.until("the row says 0 running", |s| {
        project_row(s, &project).is_some_and(|r| r.1 == 0)
    })
    .await;
    let said = app.act("D", &project, 3).await.expect("removed");
    assert_eq!(said, "removed 3");
    for n in &names {
        assert!(d.inspect_container(n, None).await.is_err(), "{n} removed");
    }
    app.until("the project gone", |s| project_row(s, &project).is_none())
        .await;
    for n in &names {
        remove_container(&d, n).await;
    }
}

#[tokio::test]
async fn inspect_masks_secret_env_values_and_shows_the_failing_health_checks() {
    let Some((d, image)) = engine().await else {
        return;
    };
    let name = unique("inspect");
    let body = ContainerCreateBody {
        image: Some(image.clone()),
        cmd: Some(vec![
            "sh".into(),
            "-c".into(),
            "trap 'exit 0' TERM; while true; do sleep 0.2; done".into(),
        ]),
        env: Some(vec![
            "DB_PASSWORD=hunter2-do-not-show".into(),
            "DATABASE_URL=postgres://shop:url-secret-do-not-show@db/shop".into(),
            "PLAIN_SETTING=visible-value".into(),
        ]),
        healthcheck: Some(HealthConfig {
            test: Some(vec![
                "CMD-SHELL".into(),
                "echo probe-refused; exit 1".into(),
            ]),
            interval: Some(300_000_000),
            timeout: Some(1_000_000_000),
            retries: Some(1),
            start_period: None,
            start_interval: None,
        }),
        ..Default::default()
    };
    let options = CreateContainerOptions {
        name: Some(name.clone()),
        ..Default::default()
    };
    d.create_container(Some(options), body)
        .await
        .expect("create");
    d.start_container(&name, None).await.expect("start");
    let mut app = App::start().await;
    app.until("the container unhealthy", |s| {
        s.docker.containers.data().is_some_and(|m| {
            m.values()
                .any(|c| c.name == name && c.health.map(|h| h.word()) == Some("unhealthy"))
        })
    })
    .await;
    app.keys(&format!("4/{name}\n"));
    app.keys("i");
    let title = app.app.state.docker.logs.as_ref().map(|l| l.title.clone());
    assert_eq!(title, Some(format!("inspect container {name}")));
    app.until("the object written out", |s| {
        s.docker.logs.as_ref().is_some_and(|l| l.ended.is_some())
    })
    .await;
    let session = app.app.state.docker.logs.as_ref().unwrap();
    assert!(session.title.contains(&name), "{}", session.title);
    let text: String = log_lines(&app.app.state)
        .into_iter()
        .map(|(_, t)| t + "\n")
        .collect();
    assert!(
        !text.contains("hunter2") && !text.contains("url-secret"),
        "{text}"
    );
    assert!(text.contains("DB_PASSWORD=********"), "{text}");
    assert!(text.contains("postgres://shop:********@db/shop"), "{text}");
    assert!(text.contains("PLAIN_SETTING=visible-value"), "{text}");
    let first = text.lines().next().unwrap_or_default();
    assert!(first.contains("health: unhealthy"), "{first}");
    assert!(
        text.contains("exit 1") && text.contains("probe-refused"),
        "{text}"
    );
    // The engine's own keys, searchable.
    assert!(
        text.contains("RestartCount:") && text.contains("Env:"),
        "{text}"
    );
    // In the containers' tab `x` still acts on the inspected container.
    app.keys("x");
    let dialog = app.app.state.confirm.clone().expect("a dialog");
    assert!(dialog.target.contains(&name), "{}", dialog.target);
    app.keys("\x1b");
    remove_container(&d, &name).await;
}

#[tokio::test]
async fn inspect_reads_a_volume_from_its_list() {
    let Some((d, _image)) = engine().await else {
        return;
    };
    let vol = unique("inspectvol");
    d.create_volume(bollard::models::VolumeCreateRequest {
        name: Some(vol.clone()),
        ..Default::default()
    })
    .await
    .expect("create volume");
    let mut app = App::start().await;
    app.keys(&format!(":{}\n", ObjectKind::Volumes.word()));
    app.until("the volume listed", |s| {
        s.docker.objects.as_ref().is_some_and(|v| match v {
            ObjectView::Volumes(t) => t.rows.contains_key(&vol),
            _ => false,
        })
    })
    .await;
    app.keys(&format!("/{vol}\ni"));
    app.until("the volume written out", |s| {
        s.docker.logs.as_ref().is_some_and(|l| l.ended.is_some())
    })
    .await;
    let text: Vec<String> = log_lines(&app.app.state)
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    assert!(
        text.iter()
            .any(|l| l.starts_with("Name: ") && l.contains(&vol)),
        "{text:?}"
    );
    assert!(
        text.iter().any(|l| l.starts_with("Mountpoint:")),
        "{text:?}"
    );
    // Esc goes back to the volumes, not the containers.
    app.keys("\x1b");
    assert!(app.app.state.docker.logs.is_none());
    assert!(app.app.state.docker.objects.is_some());
    let _ = d
        .remove_volume(&vol, None::<bollard::query_parameters::RemoveVolumeOptions>)
        .await;
}
