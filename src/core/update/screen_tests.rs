//! The palette's GitHub entries, `:messages` and hiding toasts (issue 10,
//! items 9 and 12).

use chrono::{DateTime, Duration, TimeZone, Utc};

use crate::core::github::{Conclusion, Run, Status};
use crate::core::key::{KeyCode, KeyEvent, KeyModifiers};
use crate::core::keymap::KeyMap;
use crate::core::msg::{GitHubEvent, Msg};
use crate::core::state::{Settings, State, Tab};
use crate::core::toast::ToastLevel;

use super::update;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0)
        .single()
        .unwrap_or_default()
}

fn typed(s: &mut State, text: &str) {
    for c in text.chars() {
        update(
            s,
            Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        );
    }
}

fn press(s: &mut State, code: KeyCode) {
    update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn with_runs() -> State {
    let mut s = State::new(Settings::default(), KeyMap::default());
    s.clock = t0();
    s.tab = Tab::Overview;
    let repos = vec!["acme/web".to_string(), "acme/shop-api".to_string()];
    update(&mut s, Msg::GitHub(GitHubEvent::Repos(repos)));
    let run = |repo: &str, id: u64, workflow: &str, title: &str| Run {
        workflow: workflow.into(),
        title: title.into(),
        ..Run::fixture(
            repo,
            id,
            Status::Completed,
            Some(Conclusion::Success),
            t0() - Duration::minutes(id as i64),
        )
    };
    for (repo, runs) in [
        (
            "acme/web",
            vec![
                run("acme/web", 11, "CI", "Add CSV export"),
                run("acme/web", 12, "Deploy to prod", "Ship it"),
            ],
        ),
        (
            "acme/shop-api",
            vec![run("acme/shop-api", 13, "CI", "Retry payment webhooks")],
        ),
    ] {
        update(
            &mut s,
            Msg::GitHub(GitHubEvent::Runs {
                repo: repo.into(),
                runs,
            }),
        );
    }
    s
}

#[test]
fn the_palette_jumps_to_a_run() {
    let mut s = with_runs();
    typed(&mut s, ":run retry payment");
    press(&mut s, KeyCode::Enter);
    assert_eq!(s.tab, Tab::Actions);
    assert_eq!(
        s.github.list.selected(),
        Some(&("acme/shop-api".to_string(), 13))
    );
}

#[test]
fn the_palette_shows_a_repository_or_a_workflow_as_a_filtered_run_list() {
    let mut s = with_runs();
    typed(&mut s, ":repo shop-api");
    press(&mut s, KeyCode::Enter);
    assert_eq!(s.tab, Tab::Actions);
    assert_eq!(s.github.list.filter(), "repo:acme/shop-api");
    let shown: Vec<u64> = s.github.list.order().iter().map(|(_, id)| *id).collect();
    assert_eq!(shown, [13]);

    // A workflow with spaces in its name: every word must match.
    s.tab = Tab::Overview;
    typed(&mut s, ":workflow web deploy");
    press(&mut s, KeyCode::Enter);
    assert_eq!(
        s.github.list.filter(),
        "repo:acme/web workflow:Deploy workflow:to workflow:prod"
    );
    let shown: Vec<u64> = s.github.list.order().iter().map(|(_, id)| *id).collect();
    assert_eq!(shown, [12]);
}

/// A toast is cut to the room on screen; `:messages` has every message in
/// full, with how often it came.
#[test]
fn messages_lists_every_message_in_full() {
    let mut s = with_runs();
    let advice = "cannot connect to the Docker daemon at unix:///var/run/docker.sock. \
                  Is the docker daemon running? Set DOCKER_HOST or [docker] host.";
    s.toast(ToastLevel::Error, advice);
    s.toast(ToastLevel::Error, advice);
    s.toast(ToastLevel::Success, "saved 12 lines");
    typed(&mut s, ":messages");
    press(&mut s, KeyCode::Enter);
    let log = s.overlay_log.as_ref().expect("the messages view");
    let lines: Vec<String> = log
        .buffer
        .iter()
        .map(|(_, l)| l.text().to_string())
        .collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].contains(advice), "{lines:?}");
    assert!(
        lines[0].contains("error") && lines[0].contains("x2"),
        "{lines:?}"
    );
    assert!(lines[1].contains("saved 12 lines"), "{lines:?}");
    assert!(
        log.view.wrap(),
        "long messages wrap rather than run off the edge"
    );
    // It closes like any log.
    press(&mut s, KeyCode::Esc);
    assert!(s.overlay_log.is_none());
}

#[test]
fn z_hides_the_toasts_and_their_repeats() {
    let mut s = with_runs();
    s.toast(ToastLevel::Error, "container web is broken");
    assert_eq!(s.toasts.visible().len(), 1);
    typed(&mut s, "z");
    assert!(s.toasts.visible().is_empty());
    s.clock = t0() + Duration::seconds(25);
    s.toast(ToastLevel::Error, "container web is broken");
    assert!(s.toasts.visible().is_empty(), "the repeat stays hidden");
    // `z` is no other key's: nothing else changed.
    assert_eq!(s.tab, Tab::Overview);
    assert!(!s.quit);
}

/// The demo's shop-worker-1 flaps every 25-30 s and each time raised a new
/// toast ("restarting, 6 restarts", then 7, then 8). Now it is one toast,
/// counted, with the latest wording.
#[test]
fn a_flapping_container_is_one_toast_with_a_count() {
    use crate::core::docker::{Container, ContainerState};
    use crate::core::msg::DockerEvent;
    let mut s = State::new(Settings::default(), KeyMap::default());
    s.clock = t0();
    let up = Container::fixture("c1", "shop-worker-1", ContainerState::Running);
    update(&mut s, Msg::Docker(DockerEvent::Snapshot(vec![up.clone()])));
    update(&mut s, Msg::BatchDone);
    for n in 6..9 {
        s.clock += Duration::seconds(25);
        let down = Container {
            state: ContainerState::Restarting,
            restart_count: n,
            ..up.clone()
        };
        update(&mut s, Msg::Docker(DockerEvent::Upsert(down)));
        update(&mut s, Msg::BatchDone);
        update(&mut s, Msg::Docker(DockerEvent::Upsert(up.clone())));
        update(&mut s, Msg::BatchDone);
    }
    let shown = s.toasts.visible();
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert_eq!(shown[0].count, 3, "{shown:?}");
    assert!(shown[0].text.contains("8 restarts"), "{shown:?}");
}
