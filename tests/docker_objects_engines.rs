//! Images, volumes and networks of two engines at once, against the REAL
//! engine: the second engine is the same engine reached through a TCP
//! forwarder this test serves (`support/forwarder.rs`), which sees every
//! request, so the test can tell which engine a removal went through.
//! Every object here is created under a unique name and removed. Skips
//! without an engine unless `OPSDECK_REQUIRE_DOCKER=1`, where it fails.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on what they did not expect

use std::time::Duration;

use bollard::Docker;
use bollard::models::VolumeCreateRequest;
use opsdeck::app::{Driver, SourceHandles};
use opsdeck::core::docker_objects::{ObjectRow, ObjectView};
use opsdeck::core::key::{KeyCode, KeyEvent, KeyModifiers};
use opsdeck::core::keymap::KeyMap;
use opsdeck::core::msg::Msg;
use opsdeck::core::source::SourceHealth;
use opsdeck::core::state::{Settings, State};
use opsdeck::sources::docker::{self, Engine};
use tokio::sync::mpsc;

#[path = "support/forwarder.rs"]
mod forwarder;
use forwarder::Forwarder;

#[allow(dead_code)] // each test file uses part of it
#[path = "support/engine.rs"]
mod engine_kit;
use engine_kit::unique;

const WAIT: Duration = Duration::from_secs(30);

async fn engine() -> Option<Docker> {
    let host = docker::describe_host(None);
    let required = std::env::var("OPSDECK_REQUIRE_DOCKER").is_ok_and(|v| v == "1");
    let problem = match docker::connect(&host).await {
        Ok(d) => return Some(d),
        Err(e) => format!("no Docker engine at {host}: {e}"),
    };
    assert!(!required, "OPSDECK_REQUIRE_DOCKER=1 but {problem}");
    eprintln!("skipping Docker engine test: {problem}");
    None
}

/// The engine of every row named `name` in the open volumes view.
fn engines_of(s: &State, name: &str) -> Vec<String> {
    match s.docker.objects.as_ref() {
        Some(ObjectView::Volumes(t)) => t
            .rows
            .values()
            .filter(|r| r.name == name)
            .map(|r| r.engine().to_string())
            .collect(),
        _ => Vec::new(),
    }
}

#[tokio::test]
async fn two_engines_list_their_volumes_tagged_and_a_remove_goes_to_the_rows_engine() {
    let Some(d) = engine().await else {
        return;
    };
    let host = docker::describe_host(None);
    let Some(socket) = host.strip_prefix("unix://") else {
        panic!("the forwarder needs a unix:// engine, not {host}");
    };
    let forwarder = Forwarder::start(socket, 0).await;
    let name = unique("vol2");
    d.create_volume(VolumeCreateRequest {
        name: Some(name.clone()),
        ..Default::default()
    })
    .await
    .expect("create volume");

    let engines = vec![
        Engine {
            name: "local".into(),
            host: host.clone(),
        },
        Engine {
            name: "relay".into(),
            host: format!("tcp://127.0.0.1:{}", forwarder.port),
        },
    ];
    let (tx, mut rx) = mpsc::channel(1024);
    let settings = Settings {
        journal_path: None,
        ..Settings::default()
    };
    let mut state = State::new(settings, KeyMap::default());
    for e in &engines {
        let health = SourceHealth::Connecting {
            target: e.host.clone(),
        };
        state.docker.engines.insert(e.name.clone(), health);
    }
    let commands = docker::spawn_engines(engines, tx.clone());
    let sources = SourceHandles {
        docker: Some(commands),
        ..SourceHandles::default()
    };
    let (mut app, _themes) = Driver::new(state, sources, tx);
    let mut reports: Vec<Result<String, String>> = Vec::new();
    app.run_until(
        &mut rx,
        WAIT,
        "both engines up",
        |_| {},
        |s| s.docker.engines.values().all(SourceHealth::is_connected),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    for c in ":volumes\n".chars() {
        let key = match c {
            '\n' => KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE),
            c => KeyEvent::char(c),
        };
        app.key(key);
    }
    app.run_until(
        &mut rx,
        WAIT,
        "the volume on both engines",
        |_| {},
        |s| {
            let mut engines = engines_of(s, &name);
            engines.sort();
            engines == ["local", "relay"]
        },
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));

    // The relay's row selected, D names its engine, y sends it there.
    let key = format!("relay/{name}");
    if let Some(ObjectView::Volumes(t)) = app.state.docker.objects.as_mut() {
        assert!(t.list.select(&key), "the relay's row is listed as {key}");
    }
    app.key(KeyEvent::char('D'));
    let dialog = app.state.confirm.clone().expect("a dialog");
    assert_eq!(dialog.title, "Remove volume on engine relay");
    app.key(KeyEvent::char('y'));
    let deadline = tokio::time::Instant::now() + WAIT;
    while reports.is_empty() {
        let msg = tokio::time::timeout_at(deadline, rx.recv())
            .await
            .expect("an answer to the removal")
            .expect("source alive");
        app.apply_batch(msg, &mut rx, |msg| {
            if let Msg::ActionReported { result, .. } = msg {
                reports.push(result.clone());
            }
        });
    }
    assert_eq!(
        reports.first().map(Result::is_ok),
        Some(true),
        "{reports:?}"
    );
    assert!(
        forwarder.saw_both("DELETE ", &format!("/volumes/{name}")),
        "the removal went through the relay engine"
    );
    assert!(d.inspect_volume(&name).await.is_err(), "the volume is gone");
    // Both engines' lists follow (it was one engine underneath).
    app.run_until(
        &mut rx,
        WAIT,
        "the rows gone from both engines",
        |_| {},
        |s| engines_of(s, &name).is_empty(),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
}
