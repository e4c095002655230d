//! The whole app, headless, against a simulated engine: the user's loop
//! (`app::run`) on a test screen, driven by keys. An action taken this way
//! goes through the dialog, the real Docker source and the simulator, and
//! lands in the journal file.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

use std::time::Duration;

use opsdeck::app::SourceHandles;
use opsdeck::app::headless::Headless;
use opsdeck::core::key::{KeyCode, KeyEvent};
use opsdeck::core::keymap::KeyMap;
use opsdeck::core::state::{Settings, State, Tab};
use opsdeck::sources::docker;
use opsdeck::ui::{Look, Theme};
use opsdeck_sim::docker::{Behaviour, ContainerSpec, DockerSim, LogStyle, Scenario};
use tokio::sync::mpsc;

const WAIT: Duration = Duration::from_secs(20);

#[tokio::test]
async fn a_kill_asks_for_y_reaches_the_engine_and_is_journaled() {
    let sim = DockerSim::start(Scenario::Empty).await.expect("sim");
    sim.add_container(ContainerSpec::new(
        "victim",
        "busybox",
        Behaviour::new(LogStyle::Worker, 1.0),
    ))
    .await;
    let dir = tempfile::tempdir().expect("temp dir");
    let journal = dir.path().join("journal.log");
    let settings = Settings {
        journal_path: Some(journal.clone()),
        ..Settings::default()
    };
    let mut state = State::new(settings, KeyMap::default());
    state.tab = Tab::Docker;
    let (tx, rx) = mpsc::channel(256);
    let sources = SourceHandles {
        docker: Some(docker::spawn(sim.docker_host(), tx.clone())),
        ..SourceHandles::default()
    };
    let look = Look::new(Theme::monochrome(), false);
    let app = Headless::start(state, look, sources, rx, tx, (100, 30)).expect("app");

    app.wait_for("victim", WAIT).await.expect("listed");
    app.wait_for("running", WAIT).await.expect("running");
    app.key(KeyEvent::char('K'));
    let screen = app
        .wait_for("Kill container victim?", WAIT)
        .await
        .expect("asks");
    assert!(
        screen.contains("y: yes"),
        "a destructive dialog offers only y:\n{screen}"
    );
    // A reflexive Enter must not kill anything.
    app.code(KeyCode::Enter);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        app.screen().contains("Kill container victim?"),
        "{}",
        app.screen()
    );
    assert!(sim.container_names().await.contains(&"victim".to_string()));

    app.key(KeyEvent::char('y'));
    app.wait_for("kill container victim: done", WAIT)
        .await
        .expect("the result toast");
    app.wait_for("exited", WAIT)
        .await
        .expect("the list follows");

    // The journal line is written off the UI task; give it a moment.
    let deadline = tokio::time::Instant::now() + WAIT;
    let text = loop {
        let text = std::fs::read_to_string(&journal).unwrap_or_default();
        if !text.is_empty() || tokio::time::Instant::now() > deadline {
            break text;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let line = text.lines().next().unwrap_or_default();
    for field in [
        "docker",
        &sim.docker_host(),
        "container victim",
        "kill",
        "ok",
    ] {
        assert!(line.contains(field), "{field} missing from {line:?}");
    }

    app.key(KeyEvent::char('q'));
    let deadline = tokio::time::Instant::now() + WAIT;
    while !app.finished() && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(app.finished(), "q quits the loop");
    app.stop().await.expect("clean exit");
}

#[tokio::test]
async fn a_theme_switch_loads_off_the_loop_and_says_so() {
    let (tx, rx) = mpsc::channel(16);
    let state = State::new(Settings::default(), KeyMap::default());
    let look = Look::new(Theme::monochrome(), false);
    let app =
        Headless::start(state, look, SourceHandles::default(), rx, tx, (100, 30)).expect("app");
    app.key(KeyEvent::char(':'));
    app.type_text("theme light");
    app.wait_for("Go to (", WAIT).await.expect("palette open");
    app.code(KeyCode::Enter);
    app.wait_until("the theme's toast", WAIT, |s| {
        !s.contains("Go to (") && s.contains("theme light")
    })
    .await
    .expect("toast");
    app.key(KeyEvent::char('q'));
    let deadline = tokio::time::Instant::now() + WAIT;
    while !app.finished() && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    app.stop().await.expect("clean exit");
}

/// `:images` from the palette on the demo engine, `P`, the dialog naming
/// what goes, `y`, the toast with the space back, and the list following
/// the engine's delete event.
#[tokio::test]
async fn images_prune_asks_naming_what_goes_and_says_what_came_back() {
    let sim = DockerSim::start(Scenario::Demo).await.expect("sim");
    let mut state = State::new(Settings::default(), KeyMap::default());
    state.tab = Tab::Docker;
    let (tx, rx) = mpsc::channel(256);
    let sources = SourceHandles {
        docker: Some(docker::spawn(sim.docker_host(), tx.clone())),
        ..SourceHandles::default()
    };
    let look = Look::new(Theme::monochrome(), false);
    let app = Headless::start(state, look, sources, rx, tx, (120, 30)).expect("app");
    app.wait_for("containers", WAIT).await.expect("listed");
    for c in ":images".chars() {
        app.key(KeyEvent::char(c));
    }
    app.code(KeyCode::Enter);
    app.wait_for("(dangling)", WAIT)
        .await
        .expect("the images view");
    app.key(KeyEvent::char('P'));
    app.wait_for("1 dangling images (178.7MiB)", WAIT)
        .await
        .expect("the dialog says what goes");
    app.key(KeyEvent::char('y'));
    app.wait_for("1 image removed, 178.7MiB reclaimed", WAIT)
        .await
        .expect("the toast says what came back");
    let deadline = tokio::time::Instant::now() + WAIT;
    while app.screen().contains("(dangling)") && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(!app.screen().contains("(dangling)"), "{}", app.screen());
    app.code(KeyCode::Esc);
    app.wait_for("containers", WAIT)
        .await
        .expect("back to the containers");
    app.key(KeyEvent::char('q'));
    let deadline = tokio::time::Instant::now() + WAIT;
    while !app.finished() && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    app.stop().await.expect("clean exit");
}
