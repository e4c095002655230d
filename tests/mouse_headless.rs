//! `[ui] mouse = true`, headless: the whole app on a test screen, clicked
//! where a user would click. Finds the row by its text on the drawn screen,
//! so a layout change that moves rows breaks this test, not the user.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

use std::time::Duration;

use opsdeck::app::SourceHandles;
use opsdeck::app::headless::Headless;
use opsdeck::core::key::{KeyCode, KeyEvent, MouseKind};
use opsdeck::core::keymap::KeyMap;
use opsdeck::core::state::{Settings, State, Tab};
use opsdeck::sources::docker;
use opsdeck::ui::{Look, Theme};
use opsdeck_sim::docker::{Behaviour, ContainerSpec, DockerSim, LogStyle, Scenario};
use tokio::sync::mpsc;

const WAIT: Duration = Duration::from_secs(20);

fn row_of(screen: &str, text: &str) -> u16 {
    screen
        .lines()
        .position(|l| l.contains(text))
        .unwrap_or_else(|| panic!("no {text:?} on\n{screen}")) as u16
}

#[tokio::test]
async fn a_click_selects_a_row_the_wheel_scrolls_and_a_tab_click_switches() {
    let sim = DockerSim::start(Scenario::Empty).await.unwrap();
    for name in ["alpha", "bravo", "charlie"] {
        sim.add_container(ContainerSpec::new(
            name,
            "busybox",
            Behaviour::new(LogStyle::Worker, 1.0),
        ))
        .await;
    }
    let mut state = State::new(Settings::default(), KeyMap::default());
    state.tab = Tab::Docker;
    let (tx, rx) = mpsc::channel(256);
    let sources = SourceHandles {
        docker: Some(docker::spawn(sim.docker_host(), tx.clone())),
        ..SourceHandles::default()
    };
    let look = Look::new(Theme::monochrome(), false);
    let app = Headless::start(state, look, sources, rx, tx, (100, 30)).unwrap();
    let screen = app.wait_for("charlie", WAIT).await.unwrap();
    for name in ["alpha", "bravo"] {
        assert!(screen.contains(name), "{screen}");
    }

    // A click on charlie's row, then `l`: charlie's log.
    app.mouse(MouseKind::Click, 10, row_of(&screen, "charlie"));
    app.key(KeyEvent::char('l'));
    app.wait_for("Logs: container charlie", WAIT).await.unwrap();
    app.code(KeyCode::Esc);
    let screen = app.wait_for("alpha", WAIT).await.unwrap();

    // A click on a heading or below the rows selects nothing new.
    app.mouse(MouseKind::Click, 10, 28);
    // The wheel up: three rows up, past the top, to alpha.
    app.mouse(MouseKind::ScrollUp, 10, row_of(&screen, "bravo"));
    app.key(KeyEvent::char('l'));
    app.wait_for("Logs: container alpha", WAIT).await.unwrap();
    app.code(KeyCode::Esc);
    app.wait_for("charlie", WAIT).await.unwrap();

    // The tab bar: a click on "Overview" goes there.
    let screen = app.screen();
    let first = screen.lines().next().unwrap();
    let column = first.find("Overview").unwrap() as u16;
    app.mouse(MouseKind::Click, column, 0);
    app.wait_for("Overview:", WAIT).await.unwrap();
    app.stop().await.unwrap();
}
