//! Several ports in one port-forward, through the pane and the real kube
//! client against the simulator: `all` forwards each declared port of a
//! pod as its own row with bytes through each, under one confirmation and
//! one journal line; a local port already taken is named and the other
//! port forwards all the same.

use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, PostParams};
use opsdeck::core::action::Action;
use opsdeck::core::key::KeyCode;
use opsdeck::core::kube::PodKey;
use opsdeck::core::port_forwards::{ForwardRow, ForwardState};
use opsdeck_sim::kube::{CONTEXT, KubeSim, Scenario};
use serde_json::json;

use crate::harness::{Pane, client, exchange, scope};

/// A running pod in `shop` whose container declares 8080 and 9090, shown
/// and selected in a pane.
async fn two_port_pod(sim: &KubeSim) -> Pane {
    let pods: Api<Pod> = Api::namespaced(client(sim).await, "shop");
    let pod: Pod = serde_json::from_value(json!({
        "metadata": {"name": "twoports", "namespace": "shop"},
        "spec": {"containers": [{"name": "app", "image": "busybox:1.36",
            "ports": [{"containerPort": 8080, "name": "http"},
                      {"containerPort": 9090, "name": "metrics"}]}]}
    }))
    .expect("pod");
    pods.create(&PostParams::default(), &pod)
        .await
        .expect("create");
    let mut p = Pane::start(sim, scope(&[], "shop"));
    p.until("twoports running", |p| {
        p.pod("shop", "twoports")
            .is_some_and(|r| r.status == "Running" && r.ready == 1)
    })
    .await;
    p.select(&PodKey::new(CONTEXT, "shop", "twoports"));
    p
}

/// `F`, the offered ports, `text` typed in place of the offer, Enter:
/// the confirmation's question.
async fn ask(p: &mut Pane, text: &str) -> String {
    p.act(Action::PortForward);
    p.until("the ports offered", |p| {
        p.app.state.input.as_ref().is_some_and(|i| i.text == "8080")
    })
    .await;
    let input = p.app.state.input.as_mut().expect("dialog");
    input.text = text.into();
    p.key(KeyCode::Enter);
    p.app
        .state
        .confirm
        .as_ref()
        .expect("asks once for all")
        .question()
}

/// The toast answering the forward's ticket (its one journal line says
/// the same).
fn answer(p: &Pane) -> Option<String> {
    let toasts = p.app.state.toasts.visible();
    toasts
        .iter()
        .map(|t| t.text.clone())
        .find(|t| t.starts_with("port-forward pod shop/twoports"))
}

fn rows(p: &Pane) -> Vec<ForwardRow> {
    let mut all: Vec<ForwardRow> = p.app.state.kube.forwards.rows.values().cloned().collect();
    all.sort_by_key(|r| r.remote);
    all
}

#[tokio::test]
async fn all_forwards_both_ports_each_its_own_row_with_bytes_through_each() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = two_port_pod(&sim).await;
    let q = ask(&mut p, "all").await;
    assert!(
        q.contains("pod shop/twoports port 8080 to a free port, port 9090 to a free port"),
        "{q}"
    );
    p.key(KeyCode::Char('y'));
    p.until("two forwards and the answer", |p| {
        rows(p).len() == 2 && answer(p).is_some()
    })
    .await;
    let toast = answer(&p).expect("answered");
    assert!(
        toast.starts_with(
            "port-forward pod shop/twoports ports 8080, 9090: done, port 8080 on 127.0.0.1:"
        ),
        "{toast}"
    );
    assert!(toast.contains(", port 9090 on 127.0.0.1:"), "{toast}");
    let [http, metrics] = rows(&p).try_into().expect("two rows");
    assert_eq!((http.remote, metrics.remote), (8080, 9090));
    assert_ne!(http.local, metrics.local);
    assert_eq!(
        exchange(&http.local, b"to the http port").await,
        b"to the http port"
    );
    assert_eq!(exchange(&metrics.local, b"to metrics").await, b"to metrics");
    p.until("each row counts its own bytes", |p| {
        let r = &p.app.state.kube.forwards.rows;
        r[&http.id].bytes_in == 16 && r[&metrics.id].bytes_in == 10
    })
    .await;
    // Each stops on its own: `:pf`, the 9090 row, `x`.
    p.typed(":pf");
    p.key(KeyCode::Enter);
    assert!(p.app.state.kube.forwards.list.select(&metrics.id));
    p.key(KeyCode::Char('x'));
    assert_eq!(
        p.app.state.kube.forwards.rows[&metrics.id].state,
        ForwardState::Ended("stopped".into())
    );
    assert_eq!(exchange(&http.local, b"still here").await, b"still here");
}

#[tokio::test]
async fn a_local_port_in_use_is_named_and_the_other_port_still_forwards() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port to hold");
    let busy = taken.local_addr().expect("addr").port();
    let mut p = two_port_pod(&sim).await;
    let q = ask(&mut p, &format!("{busy}:8080,9090")).await;
    assert!(
        q.contains(&format!(
            "port 8080 to 127.0.0.1:{busy}, port 9090 to a free port"
        )),
        "{q}"
    );
    p.key(KeyCode::Char('y'));
    p.until("the answer", |p| answer(p).is_some()).await;
    let error = answer(&p).expect("answered");
    assert!(
        error.starts_with(&format!(
            "port-forward pod shop/twoports ports 8080, 9090 failed: port 8080 not forwarded: 127.0.0.1:{busy} is already in use on this machine; \
             forwarding port 9090 on 127.0.0.1:"
        )),
        "{error}"
    );
    p.until("the other forward listed", |p| rows(p).len() == 1)
        .await;
    let [metrics] = rows(&p).try_into().expect("one row");
    assert_eq!(metrics.remote, 9090);
    assert_eq!(metrics.state, ForwardState::Listening);
    assert_eq!(exchange(&metrics.local, b"through").await, b"through");
    drop(taken);
}
