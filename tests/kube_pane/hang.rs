//! A context whose API server accepts connections and never answers must
//! not delay another context's pods or a user action on them (issue 9),
//! and the source's health must not claim all is well.

use std::time::{Duration, Instant};

use opsdeck::core::action::Action;
use opsdeck_sim::kube::{CONTEXT, KubeSim, Scenario};

use crate::harness::{Pane, scope};

#[tokio::test]
async fn a_silent_context_delays_neither_the_other_context_nor_its_logs() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .expect("listener");
    let silent_url = format!("http://{}", listener.local_addr().expect("addr"));
    let silent = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let yaml = sim
        .kubeconfig_yaml()
        .replacen(
            "clusters:\n",
            &format!("clusters:\n- name: silent\n  cluster:\n    server: {silent_url}\n"),
            1,
        )
        .replacen(
            "contexts:\n",
            &format!(
                "contexts:\n- name: silent\n  context:\n    cluster: silent\n    user: {CONTEXT}-user\n"
            ),
            1,
        );
    let started = Instant::now();
    let mut p = Pane::with_kubeconfig(&yaml, scope(&[CONTEXT, "silent"], "default"));
    p.until("the answering context's pods", |p| {
        !p.live("default", "hello-").is_empty()
    })
    .await;
    let loaded_in = started.elapsed();
    assert!(loaded_in < Duration::from_secs(3), "{loaded_in:?}");
    assert!(
        !p.app.state.kube_health.is_connected(),
        "{:?}",
        p.app.state.kube_health
    );

    let hello = p.live("default", "hello-")[0].key.clone();
    p.select(&hello);
    let asked = Instant::now();
    p.act(Action::Logs);
    p.until("its log", |p| !p.log_lines().is_empty()).await;
    let log_in = asked.elapsed();
    assert!(log_in < Duration::from_secs(1), "{log_in:?}");
    println!("pods in {loaded_in:?}, log in {log_in:?}");

    // The silent context is named once its probe goes unanswered.
    p.until("the silent context named", |p| {
        p.health_error()
            .is_some_and(|e| e == "silent: no answer in 10 s")
    })
    .await;
    silent.abort();
}
