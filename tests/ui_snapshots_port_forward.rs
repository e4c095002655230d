//! Port-forward: the `F` dialog offering a pod's ports, and the `:pf`
//! list (listening, refused by the pod, stopped), rendered on ratatui's
//! TestBackend at 80x24 and 200x50, Unicode and `--ascii`, on a fixed clock.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on what they did not expect

use chrono::Duration;
use opsdeck::core::effect::Effect;
use opsdeck::core::key::{KeyCode, KeyEvent, KeyModifiers};
use opsdeck::core::kube::{PodKey, PodRow};
use opsdeck::core::kube_msg::{KubeCommand, KubeEvent};
use opsdeck::core::msg::Msg;
use opsdeck::core::port_forwards::{ForwardCommand, ForwardEvent, ForwardTarget, OfferedPort};
use opsdeck::core::state::State;
use opsdeck::core::update::update;

#[path = "support/kube_snap.rs"]
#[allow(dead_code)] // each file uses part of it
mod kube_snap;
use kube_snap::{CTX, now};

#[path = "support/snap.rs"]
#[allow(dead_code)] // each file uses only part of it
mod snap;

fn key(s: &mut State, code: KeyCode) -> Vec<Effect> {
    update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn typed(s: &mut State, text: &str) {
    for c in text.chars() {
        key(s, KeyCode::Char(c));
    }
}

fn pod(name: &str) -> PodRow {
    PodRow {
        key: PodKey::new(CTX, "shop", name),
        status: "Running".into(),
        phase: "Running".into(),
        ready: 1,
        total: 1,
        restarts: 0,
        last_restart: None,
        created: Some(now() - Duration::hours(3)),
        not_ready_since: None,
        node: Some("node-a".into()),
        ip: Some("10.1.2.3".into()),
        owner: None,
        containers: Vec::new(),
    }
}

fn base(w: u16, h: u16) -> State {
    let mut s = kube_snap::connected(CTX, "shop", false, w, h);
    let pods = ["web-7d9c-abcde", "web-7d9c-fghij", "cart-5f6b-klmno"]
        .iter()
        .map(|n| pod(n))
        .collect();
    update(
        &mut s,
        Msg::Kube(KubeEvent::Snapshot {
            context: CTX.into(),
            pods,
        }),
    );
    s
}

fn offered(port: u16, name: &str, note: &str) -> OfferedPort {
    OfferedPort {
        port,
        name: name.into(),
        protocol: "TCP".into(),
        note: note.into(),
    }
}

/// `F` on the first pod, its ports read, Tab to the second.
fn dialog(w: u16, h: u16) -> State {
    let mut s = base(w, h);
    let effects = update(&mut s, Msg::Key(KeyEvent::char('F')));
    let request = effects
        .iter()
        .find_map(|e| match e {
            Effect::Kube(KubeCommand::PortForward(ForwardCommand::ListPorts {
                request, ..
            })) => Some(*request),
            _ => None,
        })
        .expect("ports asked for");
    let ports = vec![
        offered(8080, "http", "container app"),
        offered(9090, "metrics", "container metrics"),
    ];
    let event = ForwardEvent::Ports {
        request,
        result: Ok(ports),
    };
    update(&mut s, Msg::Kube(KubeEvent::PortForward(event)));
    key(&mut s, KeyCode::Tab);
    s
}

fn target(service: bool, name: &str) -> ForwardTarget {
    ForwardTarget {
        context: CTX.into(),
        namespace: "shop".into(),
        service,
        name: name.into(),
    }
}

fn listening(s: &mut State, id: u64, target: ForwardTarget, pod: &str, local: u16, remote: u16) {
    let event = ForwardEvent::Listening {
        id,
        target,
        pod: pod.into(),
        local: format!("127.0.0.1:{local}"),
        remote,
    };
    update(s, Msg::Kube(KubeEvent::PortForward(event)));
}

/// Three forwards of different ages: one busy, one refused by the pod,
/// one stopped; then `:pf`.
fn list(w: u16, h: u16) -> State {
    let mut s = base(w, h);
    s.clock = now() - Duration::minutes(42);
    listening(
        &mut s,
        11,
        target(true, "web"),
        "web-7d9c-abcde",
        8080,
        8080,
    );
    s.clock = now() - Duration::minutes(7);
    listening(
        &mut s,
        12,
        target(false, "cart-5f6b-klmno"),
        "cart-5f6b-klmno",
        43117,
        9999,
    );
    s.clock = now() - Duration::seconds(95);
    listening(
        &mut s,
        13,
        target(false, "web-7d9c-fghij"),
        "web-7d9c-fghij",
        5000,
        9090,
    );
    s.clock = now();
    let stats = |id, open, bytes_in, bytes_out, last_error: Option<&str>| ForwardEvent::Stats {
        id,
        open,
        bytes_in,
        bytes_out,
        last_error: last_error.map(str::to_string),
    };
    for event in [
        stats(11, 2, 1_843_200, 5_120, None),
        stats(
            12,
            0,
            0,
            0,
            Some("refused: nothing listens on port 9999 in pod cart-5f6b-klmno"),
        ),
        ForwardEvent::Ended {
            id: 13,
            reason: "stopped".into(),
        },
    ] {
        update(&mut s, Msg::Kube(KubeEvent::PortForward(event)));
    }
    typed(&mut s, ":pf");
    key(&mut s, KeyCode::Enter);
    assert!(s.kube.forwards.open, ":pf opened");
    s
}

/// Here, not in the shared module: insta names a snapshot after the file
/// its assertion is in.
fn snap_all(name: &str, make: impl Fn(u16, u16) -> State, must: &[&str]) {
    for (name, text) in snap::every_size(name, make) {
        for word in must {
            assert!(text.contains(word), "{name} lacks {word:?}:\n{text}");
        }
        insta::assert_snapshot!(name, text);
    }
}

#[test]
fn the_ports_dialog_offers_the_pods_ports() {
    snap_all(
        "pf_dialog",
        dialog,
        &["Port-forward", "8080/TCP", "9090/TCP", "ports: 9090_"],
    );
}

#[test]
fn pf_lists_the_forwards() {
    snap_all(
        "pf_list",
        list,
        &["127.0.0.1:8080", "service shop/web", "refused", "stopped"],
    );
}

/// The dialog with two ports typed, a local port given to the first.
fn several(w: u16, h: u16) -> State {
    let mut s = dialog(w, h);
    let input = s.input.as_mut().expect("dialog input");
    input.text = "5000:8080 9090".into();
    s
}

/// Enter on two ports: one confirmation naming the pod and each pair.
fn several_asked(w: u16, h: u16) -> State {
    let mut s = several(w, h);
    key(&mut s, KeyCode::Enter);
    assert!(s.confirm.is_some(), "asked");
    s
}

#[test]
fn the_ports_dialog_takes_several_ports() {
    snap_all(
        "pf_dialog_several",
        several,
        &["8080/TCP", "9090/TCP", "ports: 5000:8080 9090_", "all"],
    );
}

#[test]
fn several_ports_are_confirmed_once() {
    snap_all(
        "pf_confirm_several",
        several_asked,
        &["Port-forward", "port 8080 to 127.0.0.1:5000"],
    );
}
