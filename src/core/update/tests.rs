use crate::core::key::{KeyCode, KeyEvent, KeyModifiers};

use crate::core::docker::{Container, ContainerOp, ContainerState};
use crate::core::effect::{DockerCommand, Effect};
use crate::core::keymap::KeyMap;
use crate::core::list::ListId;
use crate::core::msg::{DockerEvent, LogPart, Msg};
use crate::core::state::{Settings, State, Tab};
use crate::logview::LineSource;

use super::update;

fn container(id: &str, name: &str, project: Option<&str>, state: ContainerState) -> Container {
    Container {
        project: project.map(Into::into),
        ..Container::fixture(id, name, state)
    }
}

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn loaded_state(readonly: bool) -> State {
    let settings = Settings {
        readonly,
        ..Settings::default()
    };
    let mut s = State::new(settings, KeyMap::default());
    s.tab = Tab::Docker;
    // What the loop sends after the first frame: the list's measured size.
    update(
        &mut s,
        Msg::ListRows {
            list: ListId::Containers,
            rows: 20,
        },
    );
    update(
        &mut s,
        Msg::Docker(DockerEvent::Snapshot(vec![
            container("a1", "shop-web", Some("shop"), ContainerState::Running),
            container("b2", "shop-api", Some("shop"), ContainerState::Running),
            container("c3", "loner", None, ContainerState::Exited),
        ])),
    );
    s
}

#[test]
fn rows_are_grouped_by_project_and_selection_survives_refresh() {
    let mut s = loaded_state(false);
    assert_eq!(s.docker.list.order(), vec!["b2", "a1", "c3"]);
    update(&mut s, key('j'));
    assert_eq!(s.docker.list.selected().map(String::as_str), Some("a1"));
    // A new container sorting before the selection must not move it.
    update(
        &mut s,
        Msg::Docker(DockerEvent::Upsert(container(
            "d4",
            "shop-aaa",
            Some("shop"),
            ContainerState::Running,
        ))),
    );
    assert_eq!(s.docker.list.selected().map(String::as_str), Some("a1"));
    assert_eq!(s.docker.list.order(), vec!["d4", "b2", "a1", "c3"]);
}

#[test]
fn removing_the_selected_container_selects_its_neighbour() {
    let mut s = loaded_state(false);
    update(&mut s, key('j'));
    update(
        &mut s,
        Msg::Docker(DockerEvent::Removed { id: "a1".into() }),
    );
    assert_eq!(s.docker.list.selected().map(String::as_str), Some("c3"));
}

#[test]
fn destructive_action_asks_first_and_the_dialog_holds_the_effect() {
    let mut s = loaded_state(false);
    let effects = update(&mut s, key('K'));
    assert!(effects.is_empty(), "nothing runs before confirmation");
    let confirm = s.confirm.clone().expect("dialog open");
    assert_eq!(confirm.target, "shop-api");
    assert_eq!(confirm.question(), "Kill container shop-api?");
    let Effect::Docker(DockerCommand::Lifecycle {
        ticket,
        container_id,
        op: ContainerOp::Kill,
    }) = &confirm.effect
    else {
        panic!("{:?}", confirm.effect);
    };
    assert_eq!(container_id, "b2");
    assert_eq!(ticket.target, "container shop-api");
    assert_eq!(ticket.verb, "kill");
    // Killing is destructive: Enter alone does nothing, only `y` acts.
    let enter = Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    assert!(update(&mut s, enter).is_empty());
    assert!(s.confirm.is_some());
    let effects = update(&mut s, key('y'));
    assert_eq!(effects, vec![confirm.effect.clone()]);
    assert!(s.confirm.is_none());
}

#[test]
fn declining_runs_nothing() {
    let mut s = loaded_state(false);
    update(&mut s, key('D'));
    assert!(s.confirm.is_some());
    let effects = update(&mut s, key('n'));
    assert!(effects.is_empty());
    assert!(s.confirm.is_none());
}

#[test]
fn readonly_refuses_every_mutation() {
    let mut s = loaded_state(true);
    for k in ['S', 'x', 'r', 'p', 'K', 'D'] {
        let effects = update(&mut s, key(k));
        // The refusal is journaled, and nothing else happens.
        assert!(
            matches!(effects.as_slice(), [Effect::AppendJournal(e)] if e.result.is_err()),
            "{k} produced {effects:?}"
        );
        assert!(s.confirm.is_none(), "{k} opened a dialog");
    }
    let last = s.toasts.visible().last().expect("a refusal toast");
    assert!(last.text.contains("read-only"), "{}", last.text);
}

#[test]
fn stats_are_watched_only_for_running_containers_on_screen() {
    let mut s = loaded_state(false);
    assert_eq!(s.docker.stats_watched, vec!["b2", "a1"]);
    let effects = update(&mut s, key('l'));
    assert!(effects.contains(&Effect::Docker(DockerCommand::WatchStats { ids: vec![] })));
    assert!(matches!(
        effects.first(),
        Some(Effect::Docker(DockerCommand::OpenLogs { container_id, .. })) if container_id == "b2"
    ));
}

#[test]
fn filter_narrows_rows_and_escape_clears_it() {
    let mut s = loaded_state(false);
    update(&mut s, key('/'));
    for c in "lon".chars() {
        update(&mut s, key(c));
    }
    assert_eq!(s.docker.list.order(), vec!["c3"]);
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)),
    );
    assert_eq!(s.docker.list.order().len(), 3);
}

#[test]
fn log_replies_for_a_closed_stream_are_dropped() {
    let mut s = loaded_state(false);
    update(&mut s, key('l'));
    let stream = s.docker.logs.as_ref().map(|l| l.stream).unwrap_or(0);
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)),
    );
    assert!(s.docker.logs.is_none());
    update(&mut s, key('l'));
    let parts = vec![LogPart::new(LineSource::stdout(), b"old\n".to_vec())];
    update(&mut s, Msg::LogChunk { stream, parts });
    assert_eq!(s.docker.logs.as_ref().map(|l| l.buffer.len()), Some(0));
}

#[test]
fn a_removed_container_ends_its_open_log() {
    let mut s = loaded_state(false);
    update(&mut s, key('l'));
    update(
        &mut s,
        Msg::Docker(DockerEvent::Removed { id: "b2".into() }),
    );
    let ended = s.docker.logs.as_ref().and_then(|l| l.ended.clone());
    assert_eq!(ended.as_deref(), Some("the container was removed"));
}

#[test]
fn palette_jumps_to_a_container_by_fuzzy_name() {
    let mut s = loaded_state(false);
    s.tab = Tab::Overview;
    update(&mut s, key(':'));
    assert!(s.palette.is_some());
    for c in "cont lonr".chars() {
        update(&mut s, key(c));
    }
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    assert!(s.palette.is_none());
    assert_eq!(s.tab, Tab::Docker);
    assert_eq!(s.docker.list.selected().map(String::as_str), Some("c3"));
}

#[test]
fn palette_readonly_turns_mutations_off() {
    let mut s = loaded_state(false);
    update(&mut s, key(':'));
    for c in "readonly".chars() {
        update(&mut s, key(c));
    }
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    assert!(s.settings.readonly);
    let effects = update(&mut s, key('K'));
    assert!(
        effects
            .iter()
            .all(|e| matches!(e, Effect::AppendJournal(e) if e.result.is_err())),
        "{effects:?}"
    );
    assert!(s.confirm.is_none());
}

#[test]
fn palette_theme_is_an_effect_for_the_loop() {
    let mut s = loaded_state(false);
    update(&mut s, key(':'));
    for c in "theme high".chars() {
        update(&mut s, key(c));
    }
    let effects = update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    assert_eq!(effects, vec![Effect::SetTheme("high-contrast".into())]);
}

#[test]
fn an_action_result_is_journaled_with_its_target() {
    let mut s = loaded_state(false);
    update(&mut s, key('r'));
    let Some(Effect::Docker(DockerCommand::Lifecycle { ticket, .. })) =
        s.confirm.take().map(|c| c.effect)
    else {
        panic!("no restart dialog");
    };
    let effects = update(
        &mut s,
        Msg::ActionDone {
            ticket,
            result: Ok(()),
        },
    );
    let [Effect::AppendJournal(entry)] = effects.as_slice() else {
        panic!("expected one journal entry, got {effects:?}");
    };
    assert_eq!(entry.target, "container shop-api");
    assert_eq!(entry.action, "restart");
    assert!(entry.line().ends_with("restart  ok\n"), "{}", entry.line());
}

#[test]
fn y_copies_the_selected_name_or_the_log_line() {
    let mut s = loaded_state(false);
    assert_eq!(
        update(&mut s, key('y')),
        vec![Effect::Copy("shop-api".into())]
    );
    update(&mut s, key('l'));
    let stream = s.docker.logs.as_ref().map(|l| l.stream).unwrap_or(0);
    let parts = vec![LogPart::new(
        LineSource::stdout(),
        b"2026-01-01T00:00:00Z first\n2026-01-01T00:00:01Z second\n".to_vec(),
    )];
    update(&mut s, Msg::LogChunk { stream, parts });
    assert_eq!(
        update(&mut s, key('y')),
        vec![Effect::Copy("second".into())]
    );
    update(&mut s, key('k'));
    assert_eq!(update(&mut s, key('y')), vec![Effect::Copy("first".into())]);
}

#[test]
fn the_journal_opens_over_any_tab_and_esc_closes_it() {
    let mut s = loaded_state(false);
    s.tab = Tab::Overview;
    update(
        &mut s,
        Msg::JournalLoaded(Ok(b"line one\nline two\n".to_vec())),
    );
    assert_eq!(s.active_log().map(|l| l.buffer.len()), Some(2));
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)),
    );
    assert!(s.overlay_log.is_none());
    assert_eq!(s.tab, Tab::Overview);
}

#[test]
fn pages_are_as_long_as_the_ui_measured_the_list() {
    let mut s = loaded_state(false);
    update(
        &mut s,
        Msg::ListRows {
            list: ListId::Containers,
            rows: 2,
        },
    );
    assert_eq!(s.list_rows(ListId::Containers), 2);
    // Lines: heading shop, b2, a1, heading standalone, c3.
    update(&mut s, Msg::Action(crate::core::action::Action::PageDown));
    assert_eq!(s.docker.list.selected().map(String::as_str), Some("c3"));
    assert_eq!(s.docker.list.visible_keys(), ["c3"]);
    // Only what is on screen has its stats streamed.
    assert!(s.docker.stats_watched.is_empty(), "c3 is not running");
}

#[test]
fn the_overview_keeps_its_selection_on_the_nearest_item_when_one_clears() {
    let mut s = loaded_state(false);
    let broken = |id: &str, name: &str| {
        let mut c = container(id, name, None, ContainerState::Exited);
        c.exit_code = Some(1);
        c
    };
    update(
        &mut s,
        Msg::Docker(DockerEvent::Snapshot(vec![
            broken("x1", "one"),
            broken("x2", "two"),
            broken("x3", "three"),
        ])),
    );
    update(&mut s, Msg::BatchDone);
    s.tab = Tab::Overview;
    update(&mut s, key('j'));
    let second = s.overview.selected().cloned().expect("a selection");
    let third = s.overview.order().get(2).cloned().expect("three rows");
    let id = second.trim_start_matches("docker:").to_string();
    update(&mut s, Msg::Docker(DockerEvent::Removed { id }));
    update(&mut s, Msg::BatchDone);
    assert_eq!(s.overview.selected(), Some(&third), "not back to the top");
}

/// With several engines an action names the row's engine in its dialog
/// and journal line, and carries the row's key, which the source routes.
#[test]
fn an_action_on_a_row_of_one_engine_of_several_goes_to_that_engine() {
    use crate::core::source::SourceHealth;
    let mut s = loaded_state(false);
    for (name, host) in [
        ("local", "unix:///run/docker.sock"),
        ("build", "ssh://ci@build"),
    ] {
        let health = SourceHealth::Connecting {
            target: host.into(),
        };
        s.docker.engines.insert(name.into(), health);
        let on_engine = |id: &str, row: &str| Container {
            engine: name.into(),
            ..container(id, row, Some("ci"), ContainerState::Running)
        };
        let containers = vec![on_engine("a1", &format!("{name}-runner"))];
        let ev = DockerEvent::EngineSnapshot {
            engine: name.into(),
            containers,
        };
        update(&mut s, Msg::Docker(ev));
    }
    // The single-engine rows of the fixture stay beside them.
    assert_eq!(s.docker.containers.data().map(|m| m.len()), Some(5));
    s.docker.list.set_filter("build-runner");
    s.docker.rebuild_order();
    assert_eq!(
        s.docker.list.selected().map(String::as_str),
        Some("build/a1")
    );
    update(&mut s, key('r'));
    let confirm = s.confirm.clone().expect("dialog open");
    let Effect::Docker(DockerCommand::Lifecycle {
        ticket,
        container_id,
        op: ContainerOp::Restart,
    }) = &confirm.effect
    else {
        panic!("{:?}", confirm.effect);
    };
    assert_eq!(container_id, "build/a1");
    assert_eq!(ticket.location, "build (ssh://ci@build)");
}
