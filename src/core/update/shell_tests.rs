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

fn container(name: &str, init: bool, running: bool) -> crate::core::kube::ContainerInfo {
    use crate::core::kube::{ContainerInfo, ContainerState as Ctr};
    ContainerInfo {
        name: name.into(),
        image: format!("{name}:1"),
        init,
        ready: running,
        restarts: 0,
        state: if running {
            Ctr::Running { since: None }
        } else {
            Ctr::Unknown
        },
        last_termination: None,
        requests: String::new(),
        limits: String::new(),
    }
}

/// A pod with an app and a metrics container (and a finished init one) in
/// context `context`, which is a danger context when `danger`.
fn kube_tab(context: &str, danger: bool, readonly: bool) -> State {
    use crate::core::kube::{ContextInfo, PodRow};
    use crate::core::kube_msg::KubeEvent;
    let settings = Settings {
        readonly,
        ..Settings::default()
    };
    let mut s = State::new(settings, KeyMap::default());
    s.tab = Tab::Kubernetes;
    let info = ContextInfo {
        name: context.into(),
        namespace: "shop".into(),
        danger,
    };
    let known = vec![context.to_string()];
    update(
        &mut s,
        Msg::Kube(KubeEvent::Contexts {
            known,
            watching: vec![info],
        }),
    );
    let pod = PodRow {
        containers: vec![
            container("migrate", true, false),
            container("app", false, true),
            container("metrics", false, true),
        ],
        ..PodRow::fixture(context, "shop", "web-1", s.clock)
    };
    let snapshot = KubeEvent::Snapshot {
        context: context.into(),
        pods: vec![pod],
    };
    update(&mut s, Msg::Kube(snapshot));
    s
}

fn key(s: &mut State, code: KeyCode) -> Vec<Effect> {
    update(s, Msg::Key(KeyEvent::plain(code)))
}

#[test]
fn s_on_a_pod_picks_among_its_running_containers_then_asks() {
    let mut s = kube_tab("staging", false, false);
    update(&mut s, Msg::Key(KeyEvent::char('s')));
    let input = s.input.clone().expect("the container picker");
    assert_eq!(
        input.text, "app",
        "the first running container, not the init one"
    );
    key(&mut s, KeyCode::Tab);
    assert_eq!(s.input.as_ref().map(|i| i.text.as_str()), Some("metrics"));
    key(&mut s, KeyCode::Tab);
    assert_eq!(
        s.input.as_ref().map(|i| i.text.as_str()),
        Some("app"),
        "round"
    );
    key(&mut s, KeyCode::Tab);
    let effects = key(&mut s, KeyCode::Enter);
    assert!(effects.is_empty(), "nothing before yes: {effects:?}");
    let dialog = s.confirm.clone().expect("a dialog");
    assert_eq!(dialog.title, "Open a shell in pod");
    assert_eq!(
        dialog.target,
        "shop/web-1, container metrics, in context staging"
    );
    assert_eq!(dialog.required, None);
    let effects = update(&mut s, Msg::Key(KeyEvent::char('y')));
    match effects.as_slice() {
        [Effect::Shell { ticket, target }] => {
            assert_eq!(
                *target,
                ShellTarget::Kube {
                    context: "staging".into(),
                    namespace: "shop".into(),
                    pod: "web-1".into(),
                    container: "metrics".into(),
                }
            );
            assert_eq!(ticket.location, "staging/shop");
            assert_eq!(
                ticket.describe(),
                "open a shell in pod web-1 (container metrics)"
            );
        }
        other => panic!("expected one shell, got {other:?}"),
    }
}

#[test]
fn a_typo_in_the_picker_or_esc_opens_nothing() {
    let mut s = kube_tab("staging", false, false);
    update(&mut s, Msg::Key(KeyEvent::char('s')));
    key(&mut s, KeyCode::Esc);
    assert!(s.input.is_none() && s.confirm.is_none() && s.kube.shell_pick.is_none());
    update(&mut s, Msg::Key(KeyEvent::char('s')));
    update(&mut s, Msg::Key(KeyEvent::char('x')));
    let effects = key(&mut s, KeyCode::Enter);
    assert!(effects.is_empty() && s.confirm.is_none(), "{effects:?}");
    assert!(
        toasts(&s)
            .iter()
            .any(|t| t.contains("no running container \"appx\"")),
        "{:?}",
        toasts(&s)
    );
}

#[test]
fn a_danger_context_needs_its_name_typed_before_the_shell() {
    let mut s = kube_tab("prod-eu", true, false);
    update(&mut s, Msg::Key(KeyEvent::char('s')));
    key(&mut s, KeyCode::Enter);
    assert_eq!(
        s.confirm.as_ref().and_then(|c| c.required.clone()),
        Some("prod-eu".to_string())
    );
    let effects = update(&mut s, Msg::Key(KeyEvent::char('y')));
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Shell { .. })),
        "y alone is not enough on a danger context: {effects:?}"
    );
    assert!(s.confirm.is_some(), "the dialog still waits for the name");
    key(&mut s, KeyCode::Backspace);
    for c in "prod-eu".chars() {
        update(&mut s, Msg::Key(KeyEvent::char(c)));
    }
    let effects = key(&mut s, KeyCode::Enter);
    assert!(
        matches!(effects.as_slice(), [Effect::Shell { .. }]),
        "{effects:?}"
    );
}

#[test]
fn readonly_refuses_a_pod_shell_before_the_picker() {
    let mut s = kube_tab("staging", false, true);
    let effects = update(&mut s, Msg::Key(KeyEvent::char('s')));
    assert!(s.input.is_none() && s.confirm.is_none());
    let [Effect::AppendJournal(entry)] = effects.as_slice() else {
        panic!("expected only the refusal's journal line, got {effects:?}");
    };
    assert!(
        entry.line().contains("refused: read-only mode"),
        "{}",
        entry.line()
    );
    assert!(entry.line().contains("pod web-1"), "{}", entry.line());
}
