//! `F` forwards through the one action path (dialog of ports, asked
//! naming the target, released only by `y`, refused under `--readonly`,
//! journaled); `:pf` lists the forwards and `x` stops one, journaled.

use crate::core::effect::Effect;
use crate::core::key::{KeyCode, KeyEvent};
use crate::core::keymap::KeyMap;
use crate::core::kube::{ContextInfo, PodRow};
use crate::core::kube_msg::{KubeCommand, KubeEvent};
use crate::core::msg::Msg;
use crate::core::port_forwards::{
    ForwardCommand, ForwardEvent, ForwardState, ForwardTarget, OfferedPort, PortPair,
};
use crate::core::state::{InputPurpose, Settings, State, Tab};
use crate::core::update::update;

fn kube_tab(context: &str, danger: bool, readonly: bool) -> State {
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
    update(
        &mut s,
        Msg::Kube(KubeEvent::Contexts {
            known: vec![context.to_string()],
            watching: vec![info],
        }),
    );
    let pod = PodRow::fixture(context, "shop", "web-1", s.clock);
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

fn typed(s: &mut State, text: &str) {
    for c in text.chars() {
        update(s, Msg::Key(KeyEvent::char(c)));
    }
}

fn port(port: u16, name: &str) -> OfferedPort {
    OfferedPort {
        port,
        name: name.into(),
        protocol: "TCP".into(),
        note: "container app".into(),
    }
}

/// `F`, then the source's answer with two ports; the ListPorts request.
fn open_dialog(s: &mut State) -> ForwardTarget {
    let effects = update(s, Msg::Key(KeyEvent::char('F')));
    let [Effect::Kube(KubeCommand::PortForward(ForwardCommand::ListPorts { request, target }))] =
        effects.as_slice()
    else {
        panic!("expected the ports to be read, got {effects:?}");
    };
    assert_eq!(
        s.input.as_ref().map(|i| i.purpose),
        Some(InputPurpose::ForwardPorts)
    );
    let ports = ForwardEvent::Ports {
        request: *request,
        result: Ok(vec![port(8080, "http"), port(9090, "metrics")]),
    };
    let target = target.clone();
    update(s, Msg::Kube(KubeEvent::PortForward(ports)));
    target
}

#[test]
fn f_offers_the_ports_then_asks_and_only_y_starts_the_forward() {
    let mut s = kube_tab("staging", false, false);
    let target = open_dialog(&mut s);
    assert_eq!(target.label(), "pod shop/web-1");
    assert_eq!(
        s.input.as_ref().unwrap().text,
        "8080",
        "first port typed in"
    );
    key(&mut s, KeyCode::Tab);
    assert_eq!(s.input.as_ref().unwrap().text, "9090");
    key(&mut s, KeyCode::Tab);
    assert_eq!(s.input.as_ref().unwrap().text, "all", "then every port");
    key(&mut s, KeyCode::Tab);
    assert_eq!(s.input.as_ref().unwrap().text, "8080", "round");
    // LOCAL:REMOTE, Tab keeping the local port.
    for _ in 0..4 {
        key(&mut s, KeyCode::Backspace);
    }
    typed(&mut s, "5000:8080");
    key(&mut s, KeyCode::Tab);
    assert_eq!(s.input.as_ref().unwrap().text, "5000:9090");

    let effects = key(&mut s, KeyCode::Enter);
    assert!(effects.is_empty(), "nothing before yes: {effects:?}");
    let dialog = s.confirm.clone().expect("a dialog");
    assert!(
        dialog.target.contains("pod shop/web-1 port 9090"),
        "{}",
        dialog.target
    );
    assert!(
        dialog.target.contains("127.0.0.1:5000"),
        "{}",
        dialog.target
    );
    // Enter does not confirm.
    assert!(key(&mut s, KeyCode::Enter).is_empty());
    let effects = update(&mut s, Msg::Key(KeyEvent::char('y')));
    let [
        Effect::Kube(KubeCommand::PortForward(ForwardCommand::Start {
            ticket, forwards, ..
        })),
    ] = effects.as_slice()
    else {
        panic!("expected the forward to start, got {effects:?}");
    };
    let [(id, ports)] = forwards.as_slice() else {
        panic!("one forward: {forwards:?}");
    };
    assert_eq!(
        *ports,
        PortPair {
            local: 5000,
            remote: 9090
        }
    );
    assert_eq!(ticket.describe(), "port-forward pod shop/web-1 port 9090");

    // The source binds, answers the ticket (journal), and lists the row.
    let id = *id;
    let effects = update(
        &mut s,
        Msg::ActionReported {
            ticket: ticket.clone(),
            result: Ok("on 127.0.0.1:5000".into()),
        },
    );
    assert!(
        matches!(effects.as_slice(), [Effect::AppendJournal(_)]),
        "{effects:?}"
    );
    let listening = ForwardEvent::Listening {
        id,
        target,
        pod: "web-1".into(),
        local: "127.0.0.1:5000".into(),
        remote: 9090,
    };
    update(&mut s, Msg::Kube(KubeEvent::PortForward(listening)));
    assert_eq!(s.kube.forwards.active(), 1);
}

#[test]
fn a_typo_keeps_the_dialog_open_with_the_text_and_says_why() {
    let mut s = kube_tab("staging", false, false);
    open_dialog(&mut s);
    for _ in 0..4 {
        key(&mut s, KeyCode::Backspace);
    }
    typed(&mut s, "web");
    let effects = key(&mut s, KeyCode::Enter);
    assert!(effects.is_empty() && s.confirm.is_none());
    assert_eq!(s.input.as_ref().map(|i| i.text.as_str()), Some("web"));
    let said: Vec<String> = s.toasts.visible().iter().map(|t| t.text.clone()).collect();
    assert!(
        said.iter()
            .any(|t| t.contains("\"web\" is not a remote port")),
        "{said:?}"
    );
    // Esc drops the dialog.
    key(&mut s, KeyCode::Esc);
    assert!(s.input.is_none() && s.kube.forwards.pick.is_none());
}

#[test]
fn a_danger_context_wants_its_name_typed() {
    let mut s = kube_tab("prod-eu", true, false);
    open_dialog(&mut s);
    key(&mut s, KeyCode::Enter);
    let dialog = s.confirm.clone().expect("a dialog");
    assert_eq!(dialog.required.as_deref(), Some("prod-eu"));
    assert!(update(&mut s, Msg::Key(KeyEvent::char('y'))).is_empty());
}

#[test]
fn readonly_refuses_before_the_dialog_and_journals_it() {
    let mut s = kube_tab("staging", false, true);
    let effects = update(&mut s, Msg::Key(KeyEvent::char('F')));
    assert!(s.input.is_none() && s.confirm.is_none());
    let [Effect::AppendJournal(entry)] = effects.as_slice() else {
        panic!("expected only the refusal's journal line, got {effects:?}");
    };
    let line = entry.line();
    assert!(line.contains("refused: read-only mode"), "{line}");
    assert!(line.contains("pod shop/web-1"), "{line}");
}

#[test]
fn x_in_pf_stops_the_selected_forward_journaled_and_again_removes_it() {
    let mut s = kube_tab("staging", false, false);
    let target = ForwardTarget {
        context: "staging".into(),
        namespace: "shop".into(),
        service: true,
        name: "web".into(),
    };
    let listening = ForwardEvent::Listening {
        id: 77,
        target,
        pod: "web-1".into(),
        local: "127.0.0.1:41000".into(),
        remote: 80,
    };
    update(&mut s, Msg::Kube(KubeEvent::PortForward(listening)));
    // Stop is not a key of the pods list.
    assert!(update(&mut s, Msg::Key(KeyEvent::char('x'))).is_empty());
    assert_eq!(s.kube.forwards.active(), 1);

    s.kube.forwards.open = true;
    s.kube.forwards.rebuild_order();
    let effects = update(&mut s, Msg::Key(KeyEvent::char('x')));
    let [
        Effect::Kube(KubeCommand::PortForward(ForwardCommand::Stop { id: 77 })),
        Effect::AppendJournal(entry),
    ] = effects.as_slice()
    else {
        panic!("expected a stop and its journal line, got {effects:?}");
    };
    let line = entry.line();
    assert!(line.contains("stop port-forward"), "{line}");
    assert!(line.contains("service shop/web port 80"), "{line}");
    assert_eq!(
        s.kube.forwards.rows[&77].state,
        ForwardState::Ended("stopped".into())
    );
    // Again on a stopped one: off the list, nothing sent.
    assert!(key(&mut s, KeyCode::Delete).is_empty());
    assert!(s.kube.forwards.rows.is_empty());
    // Esc leaves the view.
    key(&mut s, KeyCode::Esc);
    assert!(!s.kube.forwards.open);
}

#[test]
fn several_ports_are_asked_once_naming_each_and_start_a_forward_each() {
    let mut s = kube_tab("staging", false, false);
    open_dialog(&mut s);
    for _ in 0..4 {
        key(&mut s, KeyCode::Backspace);
    }
    typed(&mut s, "5000:8080, 9090");
    assert!(key(&mut s, KeyCode::Enter).is_empty());
    let dialog = s.confirm.clone().expect("one dialog");
    assert!(
        dialog.target.contains(
            "pod shop/web-1 port 8080 to 127.0.0.1:5000, port 9090 to a free port \
             (this machine only)"
        ),
        "{}",
        dialog.target
    );
    let effects = update(&mut s, Msg::Key(KeyEvent::char('y')));
    let [
        Effect::Kube(KubeCommand::PortForward(ForwardCommand::Start {
            ticket, forwards, ..
        })),
    ] = effects.as_slice()
    else {
        panic!("expected one start, got {effects:?}");
    };
    let pairs: Vec<PortPair> = forwards.iter().map(|(_, p)| *p).collect();
    assert_eq!(
        pairs,
        [
            PortPair {
                local: 5000,
                remote: 8080
            },
            PortPair {
                local: 0,
                remote: 9090
            }
        ]
    );
    assert_ne!(forwards[0].0, forwards[1].0, "a row each");
    assert_eq!(
        ticket.describe(),
        "port-forward pod shop/web-1 ports 8080, 9090"
    );
    let effects = update(
        &mut s,
        Msg::ActionReported {
            ticket: ticket.clone(),
            result: Ok("port 8080 on 127.0.0.1:5000, port 9090 on 127.0.0.1:41234".into()),
        },
    );
    assert!(
        matches!(effects.as_slice(), [Effect::AppendJournal(_)]),
        "one journal line: {effects:?}"
    );
}

#[test]
fn all_forwards_every_declared_port_and_a_bad_spec_is_named() {
    let mut s = kube_tab("staging", false, false);
    open_dialog(&mut s);
    for _ in 0..4 {
        key(&mut s, KeyCode::Backspace);
    }
    typed(&mut s, "8080 90x0");
    assert!(key(&mut s, KeyCode::Enter).is_empty());
    assert!(s.confirm.is_none());
    let said: Vec<String> = s.toasts.visible().iter().map(|t| t.text.clone()).collect();
    assert!(said.iter().any(|t| t.contains("\"90x0\"")), "{said:?}");
    let input = s.input.as_mut().expect("dialog stays");
    input.text = "all".into();
    key(&mut s, KeyCode::Enter);
    let dialog = s.confirm.clone().expect("asked");
    assert!(
        dialog
            .target
            .contains("port 8080 to a free port, port 9090 to a free port"),
        "{}",
        dialog.target
    );
}
