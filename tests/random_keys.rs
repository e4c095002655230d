//! Thousands of random keys (never `q`, `Q`, `y`, `Y` or `Ctrl-c`) through
//! the whole app, with the real Docker, GitHub and Kubernetes clients
//! against the three simulators: not one request that could change
//! something may reach them. A stray `Enter` after an action key, a filter
//! typed while a dialog is open, a palette command half-typed: none of it
//! may act without an explicit `y`.
//!
//! Before the random keys, one deliberate `K` `y` proves the counter sees
//! a real action, so a silent counter cannot pass the test.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

use std::time::Duration;

use opsdeck::app::SourceHandles;
use opsdeck::app::headless::Headless;
use opsdeck::core::key::{KeyCode, KeyEvent, KeyModifiers};
use opsdeck::core::keymap::KeyMap;
use opsdeck::core::kube::{KubeScope, NamespaceScope};
use opsdeck::core::state::{Settings, State, Tab};
use opsdeck::demo::Demo;
use opsdeck::sources;
use opsdeck::ui::{Look, Theme};
use tokio::sync::mpsc;

const WAIT: Duration = Duration::from_secs(30);
const KEYS: usize = 4_000;

/// A small xorshift generator: the same seed gives the same keys, so a
/// failure can be replayed with `OPSDECK_RANDOM_KEYS_SEED`.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Every key a user could press, except the ones that quit or say yes.
/// `Enter` and `Esc` come often, as they do under stress.
fn random_key(rng: &mut Rng) -> KeyEvent {
    const SPECIAL: [KeyCode; 14] = [
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Tab,
        KeyCode::BackTab,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::Left,
        KeyCode::Right,
        KeyCode::PageUp,
        KeyCode::PageDown,
        KeyCode::Home,
        KeyCode::End,
        KeyCode::Backspace,
        KeyCode::Delete,
    ];
    const CTRL: [char; 10] = ['d', 'u', 'f', 'b', 'r', 's', 'l', 'n', 'p', 'w'];
    match rng.below(20) {
        0..=2 => KeyEvent::plain(KeyCode::Enter),
        3 => KeyEvent::plain(SPECIAL[rng.below(SPECIAL.len())]),
        4 => KeyEvent::new(
            KeyCode::Char(CTRL[rng.below(CTRL.len())]),
            KeyModifiers::CONTROL,
        ),
        _ => loop {
            let c = (b' ' + rng.below(95) as u8) as char;
            if !matches!(c, 'q' | 'Q' | 'y' | 'Y') {
                break KeyEvent::char(c);
            }
        },
    }
}

fn mutations(demo: &Demo) -> [u64; 3] {
    [
        demo.docker.counters().mutating_requests,
        demo.github.counters().mutating_requests,
        demo.kube.mutating_requests(),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousands_of_random_keys_change_nothing_without_y() {
    let seed = std::env::var("OPSDECK_RANDOM_KEYS_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x0b5d_ec4b_a11c_e5ed_u64);
    let demo = Demo::start().await.expect("the simulators start");
    let dir = tempfile::tempdir().expect("temp dir");
    let journal = dir.path().join("journal.log");
    let settings = Settings {
        journal_path: Some(journal.clone()),
        save_dir: dir.path().to_path_buf(),
        ..Settings::default()
    };
    let mut state = State::new(settings, KeyMap::default());
    state.tab = Tab::Docker;
    let (tx, rx) = mpsc::channel(1024);
    let kube = sources::kube::KubeOptions {
        kubeconfig: Some(demo.kubeconfig()),
        scope: KubeScope {
            contexts: Vec::new(),
            namespace: NamespaceScope::All,
            ..KubeScope::default()
        },
        // No typed names: `y` alone must be the only way to act.
        danger: Vec::new(),
    };
    let handles = SourceHandles {
        docker: Some(sources::docker::spawn(demo.docker_host(), tx.clone())),
        github: Some(sources::github::spawn(demo.github_setup(), tx.clone())),
        kube: Some(sources::kube::spawn(kube, tx.clone())),
        // A headless screen has no terminal to lend: a random `s`, `y`
        // ends in a toast, never in an exec.
        shells: None,
    };
    let look = Look::new(Theme::monochrome(), false);
    let app = Headless::start(state, look, handles, rx, tx, (120, 36)).expect("app");
    app.wait_for("running", WAIT)
        .await
        .expect("the Docker list");
    assert_eq!(mutations(&demo), [0, 0, 0], "nothing acts on its own");

    // The control: a deliberate kill is seen by the counter.
    app.key(KeyEvent::char('K'));
    app.wait_for("Kill container", WAIT).await.expect("asks");
    app.key(KeyEvent::char('y'));
    // Done or refused by the engine (an exited container), it was sent.
    app.wait_for("kill container", WAIT)
        .await
        .expect("the kill's toast");
    let before = mutations(&demo);
    assert_eq!(before, [1, 0, 0], "the kill reached the engine once");

    let mut rng = Rng(seed);
    for i in 0..KEYS {
        app.key(random_key(&mut rng));
        // Give the sources time to answer now and then, so the keys land on
        // loaded lists, open logs and dialogs, not only on an empty screen.
        let pause = if i % 50 == 0 { 40 } else { 2 };
        tokio::time::sleep(Duration::from_millis(pause)).await;
        assert!(
            !app.finished(),
            "the app quit after {i} keys (seed {seed:#x}):\n{}",
            app.screen()
        );
    }
    // Let anything the keys set off reach the simulators.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        mutations(&demo),
        before,
        "[docker, github, kube] requests that may change something after {KEYS} keys \
         without y (seed {seed:#x}); screen:\n{}",
        app.screen()
    );
    let text = std::fs::read_to_string(&journal).unwrap_or_default();
    let acted: Vec<&str> = text
        .lines()
        .filter(|l| !l.contains("refused") && !l.contains("opsdeck"))
        .collect();
    assert_eq!(acted.len(), 1, "only the deliberate kill acted:\n{text}");
    app.stop().await.expect("clean exit");
}
