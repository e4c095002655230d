//! Port-forward through the whole pane: `F`, the ports dialog, `y`, then
//! bytes through 127.0.0.1 to the simulated pod by the real kube client;
//! a refused port in plain words on the row with the listener still up;
//! a Service resolved to a ready pod and its targetPort; `:pf` and `x`
//! free the port.

use std::time::Duration;

use opsdeck::core::action::Action;
use opsdeck::core::key::KeyCode;
use opsdeck::core::kube::PodKey;
use opsdeck::core::port_forwards::{ForwardRow, ForwardState};
use opsdeck_sim::kube::{CONTEXT, KubeSim, Scenario};
use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;

use crate::harness::{Pane, WAIT, exchange, scope};

async fn pane(sim: &KubeSim) -> Pane {
    let mut p = Pane::start(sim, scope(&[], "shop"));
    p.until("pods", |p| p.app.state.kube.all_loaded()).await;
    p
}

fn rows(p: &Pane) -> Vec<ForwardRow> {
    p.app.state.kube.forwards.rows.values().cloned().collect()
}

/// `F` on the selection, waits for the offered ports, types `ports`
/// (replacing the offer) and confirms with `y`; the new row.
async fn forward(p: &mut Pane, ports: &str) -> ForwardRow {
    let before = rows(p).len();
    p.act(Action::PortForward);
    p.until("the ports offered", |p| {
        p.app
            .state
            .kube
            .forwards
            .pick
            .as_ref()
            .is_some_and(|pick| pick.ports.is_some())
    })
    .await;
    let offered = p.app.state.input.as_ref().expect("dialog").text.clone();
    for _ in 0..offered.len() {
        p.key(KeyCode::Backspace);
    }
    p.typed(ports);
    p.key(KeyCode::Enter);
    assert!(p.app.state.confirm.is_some(), "asks first");
    p.key(KeyCode::Char('y'));
    p.until("listening", |p| rows(p).len() > before).await;
    let mut all = rows(p);
    all.sort_by_key(|r| r.id);
    all.pop().expect("a row")
}

#[tokio::test]
async fn bytes_go_through_the_loopback_port_and_are_counted() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = pane(&sim).await;
    let web = p.live("shop", "web-").first().expect("web").key.clone();
    p.select(&web);
    // The dialog offers the container's declared port first.
    p.act(Action::PortForward);
    p.until("the ports offered", |p| {
        p.app.state.input.as_ref().is_some_and(|i| i.text == "8080")
    })
    .await;
    p.key(KeyCode::Esc);
    let row = forward(&mut p, "8080").await;
    assert!(row.local.starts_with("127.0.0.1:"), "{}", row.local);
    assert_eq!((row.remote, row.pod.as_str()), (8080, &*web.name));
    let echoed = exchange(&row.local, b"hello through the API").await;
    assert_eq!(echoed, b"hello through the API");
    p.until("the bytes counted", |p| {
        p.app.state.kube.forwards.rows[&row.id].bytes_in == 21
            && p.app.state.kube.forwards.rows[&row.id].bytes_out == 21
    })
    .await;
}

#[tokio::test]
async fn a_refused_port_is_said_in_plain_words_and_the_listener_stays() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = pane(&sim).await;
    let web = p.live("shop", "web-").first().expect("web").key.clone();
    p.select(&web);
    let row = forward(&mut p, "0:9999").await;
    let mut socket = TcpStream::connect(&row.local).await.expect("connects");
    let mut buf = [0u8; 16];
    let n = tokio::time::timeout(WAIT, socket.read(&mut buf))
        .await
        .expect("closed in time")
        .unwrap_or(0);
    assert_eq!(n, 0, "the pod sent nothing");
    let want = format!("refused: nothing listens on port 9999 in pod {}", web.name);
    p.until("the error on the row", |p| {
        p.app.state.kube.forwards.rows[&row.id]
            .last_error
            .as_deref()
            == Some(want.as_str())
    })
    .await;
    assert_eq!(
        p.app.state.kube.forwards.rows[&row.id].state,
        ForwardState::Listening
    );
    // Still listening: another connection is taken (and refused again).
    let mut again = TcpStream::connect(&row.local)
        .await
        .expect("still listening");
    let n = tokio::time::timeout(WAIT, again.read(&mut buf))
        .await
        .expect("closed in time")
        .unwrap_or(0);
    assert_eq!(n, 0);
}

#[tokio::test]
async fn a_service_goes_to_a_ready_pod_on_its_target_port() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = pane(&sim).await;
    p.open_kind_at("svc", &PodKey::new(CONTEXT, "shop", "web"))
        .await;
    let row = forward(&mut p, "80").await;
    assert_eq!(row.target.label(), "service shop/web");
    assert!(row.pod.starts_with("web-"), "{}", row.pod);
    assert_eq!(row.remote, 8080, "the Service's targetPort");
    let page = exchange(&row.local, b"GET / HTTP/1.1\r\nHost: web\r\n\r\n").await;
    let page = String::from_utf8_lossy(&page).to_string();
    assert!(page.starts_with("HTTP/1.1 200 OK"), "{page}");
}

#[tokio::test]
async fn x_in_pf_stops_the_forward_and_frees_the_port() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = pane(&sim).await;
    let web = p.live("shop", "web-").first().expect("web").key.clone();
    p.select(&web);
    let row = forward(&mut p, "8080").await;
    assert_eq!(exchange(&row.local, b"x").await, b"x");
    p.typed(":pf");
    p.key(KeyCode::Enter);
    assert!(p.app.state.kube.forwards.open, ":pf is on screen");
    assert_eq!(p.app.state.kube.forwards.list.selected(), Some(&row.id));
    p.key(KeyCode::Char('x'));
    assert_eq!(
        p.app.state.kube.forwards.rows[&row.id].state,
        ForwardState::Ended("stopped".into())
    );
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        if TcpStream::connect(&row.local).await.is_err() {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "port still taken");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The same port can be listened on again.
    let again = std::net::TcpListener::bind(&row.local);
    assert!(again.is_ok(), "{again:?}");
}

#[tokio::test]
async fn every_forward_stops_when_the_app_ends() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = pane(&sim).await;
    let web = p.live("shop", "web-").first().expect("web").key.clone();
    p.select(&web);
    let row = forward(&mut p, "8080").await;
    assert_eq!(exchange(&row.local, b"up").await, b"up");
    // The app's end drops the source's command channel: its task ends
    // and takes the listeners with it.
    drop(p);
    let deadline = tokio::time::Instant::now() + WAIT;
    while TcpStream::connect(&row.local).await.is_ok() {
        assert!(tokio::time::Instant::now() < deadline, "still listening");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
