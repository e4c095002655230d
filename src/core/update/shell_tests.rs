//! `s` opens a shell through the one action path: asked naming the target,
//! released only by `y`, refused under `--readonly`, journaled.

use crate::core::docker::{Container, ContainerState};
use crate::core::effect::{Effect, ShellTarget};
use crate::core::key::{KeyCode, KeyEvent};
use crate::core::keymap::KeyMap;
use crate::core::msg::{DockerEvent, Msg};
use crate::core::source::{SourceHealth, SourceKind};
use crate::core::state::{Settings, State, Tab};
use crate::core::update::update;

fn docker_tab(readonly: bool) -> State {
    let settings = Settings {
        readonly,
        ..Settings::default()
    };
    let mut s = State::new(settings, KeyMap::default());
    s.tab = Tab::Docker;
    let health = SourceHealth::Connected {
        target: "unix:///run/docker.sock".into(),
        last_update: s.clock,
    };
    update(&mut s, Msg::health(SourceKind::Docker, health));
    let containers = vec![
        Container::fixture("a1", "api", ContainerState::Running),
        Container::fixture("c3", "worker", ContainerState::Exited),
    ];
    update(&mut s, Msg::Docker(DockerEvent::Snapshot(containers)));
    s
}

fn select(s: &mut State, id: &str) {
    assert!(s.docker.list.select(&id.to_string()), "{id} listed");
}

fn toasts(s: &State) -> Vec<String> {
    s.toasts.visible().iter().map(|t| t.text.clone()).collect()
}

#[test]
fn s_asks_naming_the_container_and_only_y_opens_the_shell() {
    let mut s = docker_tab(false);
    select(&mut s, "a1");
    let effects = update(&mut s, Msg::Key(KeyEvent::char('s')));
    assert!(effects.is_empty(), "nothing before yes: {effects:?}");
    let dialog = s.confirm.clone().expect("a dialog");
    assert_eq!(dialog.title, "Open a shell in container");
    assert_eq!(dialog.target, "api");

    // Any other key cancels and opens nothing.
    let effects = update(&mut s, Msg::Key(KeyEvent::plain(KeyCode::Esc)));
    assert!(s.confirm.is_none() && effects.is_empty(), "{effects:?}");

    update(&mut s, Msg::Key(KeyEvent::char('s')));
    let effects = update(&mut s, Msg::Key(KeyEvent::char('y')));
    let ticket = match effects.as_slice() {
        [Effect::Shell { ticket, target }] => {
            assert_eq!(
                *target,
                ShellTarget::Docker {
                    container_id: "a1".into(),
                    name: "api".into()
                }
            );
            ticket.clone()
        }
        other => panic!("expected one shell, got {other:?}"),
    };
    assert_eq!(ticket.describe(), "open a shell in container api");

    // The loop answers when the shell is over: a toast and a journal line.
    let result = Err("container api stopped while the shell was open".to_string());
    let effects = update(&mut s, Msg::ActionDone { ticket, result });
    let [Effect::AppendJournal(entry)] = effects.as_slice() else {
        panic!("expected one journal line, got {effects:?}");
    };
    let line = entry.line();
    assert!(line.contains("open a shell in"), "{line}");
    assert!(line.contains("container api"), "{line}");
    assert!(line.contains("stopped while the shell was open"), "{line}");
    assert!(
        toasts(&s)
            .iter()
            .any(|t| t.contains("stopped while the shell was open")),
        "{:?}",
        toasts(&s)
    );
}

#[test]
fn readonly_refuses_the_shell_before_any_dialog_and_journals_the_refusal() {
    let mut s = docker_tab(true);
    select(&mut s, "a1");
    let effects = update(&mut s, Msg::Key(KeyEvent::char('s')));
    assert!(s.confirm.is_none(), "no dialog under --readonly");
    let [Effect::AppendJournal(entry)] = effects.as_slice() else {
        panic!("expected only the refusal's journal line, got {effects:?}");
    };
    assert!(
        entry.line().contains("refused: read-only mode"),
        "{}",
        entry.line()
    );
    assert!(
        toasts(&s)
            .iter()
            .any(|t| t == "read-only mode: open a shell in container api refused"),
        "{:?}",
        toasts(&s)
    );
    // `y` afterwards releases nothing.
    let effects = update(&mut s, Msg::Key(KeyEvent::char('y')));
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Shell { .. })),
        "{effects:?}"
    );
}

#[test]
fn a_stopped_container_gets_no_dialog_but_says_why() {
    let mut s = docker_tab(false);
    select(&mut s, "c3");
    let effects = update(&mut s, Msg::Key(KeyEvent::char('s')));
    assert!(effects.is_empty() && s.confirm.is_none(), "{effects:?}");
    assert!(
        toasts(&s)
            .iter()
            .any(|t| t.contains("worker") && t.contains("needs it running")),
        "{:?}",
        toasts(&s)
    );
}

#[test]
fn o_still_sorts_where_s_is_the_shell() {
    let mut s = docker_tab(false);
    let before = s.docker.list.sort();
    update(&mut s, Msg::Key(KeyEvent::char('o')));
    assert_ne!(s.docker.list.sort(), before);
    assert!(s.confirm.is_none());
}
