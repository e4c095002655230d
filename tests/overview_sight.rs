//! The Overview never says "nothing broken" about what it cannot see: with
//! no token, a broken kubeconfig and an unreachable engine its title names
//! each source and why, and the health lines give the whole reason.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

use chrono::{DateTime, TimeZone, Utc};
use opsdeck::core::keymap::KeyMap;
use opsdeck::core::msg::Msg;
use opsdeck::core::source::{Pause, SourceHealth, SourceKind};
use opsdeck::core::state::{Settings, State, Tab};
use opsdeck::core::update::update;
use opsdeck::ui::{self, Look, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0)
        .single()
        .expect("valid time")
}

fn blind(width: u16, height: u16) -> State {
    let mut s = State::new(Settings::default(), KeyMap::default());
    s.clock = now();
    s.tab = Tab::Overview;
    update(&mut s, Msg::Resize { width, height });
    let github = SourceHealth::Unusable {
        short: "no token".into(),
        detail: "no token to read acme/shop-api: set GH_TOKEN".into(),
    };
    let kube = SourceHealth::Unusable {
        short: "kubeconfig unusable".into(),
        detail: "kubeconfig /tmp/k/garbage.yaml is not a valid kubeconfig (line 2 column 3); \
                 fix the file, or point KUBECONFIG at another"
            .into(),
    };
    let docker = SourceHealth::Reconnecting {
        target: "tcp://127.0.0.1:9".into(),
        error: "nothing answers at tcp://127.0.0.1:9 (connection refused)".into(),
        retry_at: now() + chrono::Duration::seconds(7),
        pause: Pause::Backoff,
    };
    update(&mut s, Msg::health(SourceKind::GitHub, github));
    update(&mut s, Msg::health(SourceKind::Kubernetes, kube));
    update(&mut s, Msg::health(SourceKind::Docker, docker));
    s
}

fn render(state: &mut State, ascii: bool, width: u16, height: u16) -> String {
    let look = Look::new(Theme::default(), ascii);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal.draw(|f| ui::draw(f, state, &look)).expect("draw");
    terminal.backend().to_string()
}

#[test]
fn the_overview_names_what_it_cannot_see_and_why() {
    let mut s = blind(200, 50);
    let text = render(&mut s, false, 200, 50);
    assert!(!text.contains("Overview: nothing broken ─"), "{text}");
    assert!(
        text.contains(
            "Overview: nothing broken in what it can see; cannot see GitHub (no token), \
             Kubernetes (kubeconfig unusable), Docker (unreachable)"
        ),
        "{text}"
    );
    assert!(text.contains("/tmp/k/garbage.yaml"), "{text}");
    assert!(text.contains("set GH_TOKEN"), "{text}");
    assert!(text.contains("connection refused"), "{text}");
    assert!(
        !text.contains("Nothing broken that opsdeck can see."),
        "{text}"
    );
    insta::assert_snapshot!("overview_blind_200x50", text);
}

#[test]
fn at_80_columns_the_reasons_wrap_instead_of_being_cut() {
    let mut s = blind(80, 24);
    let text = render(&mut s, true, 80, 24);
    // The file name sits at the end of a long reason: it must be on screen.
    assert!(text.contains("garbage.yaml"), "{text}");
    assert!(text.contains("cannot see"), "{text}");
    insta::assert_snapshot!("overview_blind_80x24_ascii", text);
}
