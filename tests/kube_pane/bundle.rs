//! A crashing pod's incident bundle, end to end: the source fetches its
//! events and log, `core::incident` writes the Markdown, the kit's writer
//! saves it and the toast says so.

use opsdeck::core::kube_msg::KubeCommand;
use opsdeck::core::triage;
use opsdeck_sim::kube::{KubeSim, PodState, Scenario};

use crate::harness::{Pane, scope};

/// Writes `pod`'s bundle through the source and returns the Markdown.
async fn bundle(p: &mut Pane, ns: &str, pod: &str) -> String {
    let row = p.pod(ns, pod).cloned().expect("pod");
    let item = triage::items(&p.app.state)
        .into_iter()
        .find(|i| i.what == format!("pod {ns}/{pod}"))
        .expect("the pod is a triage item");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("incident.md");
    p.send(KubeCommand::IncidentBundle {
        path: path.clone(),
        item: Box::new(item),
        pod: Box::new(row),
        timeline: String::new(),
    });
    p.until("saved", |p| {
        p.app
            .state
            .toasts
            .visible()
            .iter()
            .any(|t| t.text.contains("incident.md"))
    })
    .await;
    std::fs::read_to_string(&path).expect("the file")
}

/// A pod that was OOM-killed and runs again: the crash is in its
/// previous container's log, which the bundle must carry.
async fn running_after_an_oom_kill(sim: &KubeSim, p: &mut Pane) -> String {
    p.until("first list", |p| p.app.state.kube.all_loaded())
        .await;
    let ledger = sim
        .pod_names("payments")
        .into_iter()
        .find(|n| n.starts_with("ledger-"))
        .expect("a ledger pod");
    // Held as it is: running, its last life ended OOMKilled.
    assert!(sim.set_pod_state("payments", &ledger, PodState::Running));
    p.until("running after an OOMKill", |p| {
        p.pod("payments", &ledger).is_some_and(|r| {
            r.status == "Running"
                && r.containers.iter().any(|c| {
                    c.last_termination
                        .as_ref()
                        .is_some_and(|t| t.reason == "OOMKilled")
                })
        })
    })
    .await;
    ledger
}

#[tokio::test]
async fn a_pod_running_after_an_oom_kill_has_the_crash_in_its_bundle() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = Pane::start(&sim, scope(&[], "payments"));
    let ledger = running_after_an_oom_kill(&sim, &mut p).await;
    let md = bundle(&mut p, "payments", &ledger).await;
    assert!(
        md.contains("log lines of app before it terminated (OOMKilled, exit 137"),
        "{md}"
    );
    assert!(md.contains("java.lang.OutOfMemoryError"), "{md}");
    // And what runs now, after it.
    let previous = md.find("before it terminated").expect("previous");
    let current = md.rfind("log lines of app\n").expect("current log");
    assert!(previous < current, "{md}");
}

#[tokio::test]
async fn a_previous_log_the_node_no_longer_has_is_said_so() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = Pane::start(&sim, scope(&[], "payments"));
    let ledger = running_after_an_oom_kill(&sim, &mut p).await;
    assert!(sim.forget_previous_logs("payments", &ledger));
    let md = bundle(&mut p, "payments", &ledger).await;
    assert!(
        md.contains("## Log of app before it terminated (OOMKilled"),
        "{md}"
    );
    assert!(
        md.contains("(not available: the node no longer has the previous container's log"),
        "{md}"
    );
    assert!(
        md.contains("log lines of app\n"),
        "the current log is still there: {md}"
    );
}

#[tokio::test]
async fn a_crashing_pods_bundle_holds_its_events_and_log() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = Pane::start(&sim, scope(&[], "default"));
    p.until("first list", |p| p.app.state.kube.all_loaded())
        .await;
    let hello = sim.pod_names("default").into_iter().next().expect("hello");
    assert!(sim.set_pod_state("default", &hello, PodState::CrashLoopBackOff));
    p.until("CrashLoopBackOff shows", |p| {
        p.pod("default", &hello)
            .is_some_and(|r| r.status == "CrashLoopBackOff")
    })
    .await;
    let item = triage::items(&p.app.state)
        .into_iter()
        .find(|i| i.what == format!("pod default/{hello}"))
        .expect("the pod is a triage item");
    let pod = p.pod("default", &hello).cloned().expect("pod");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("incident.md");
    p.send(KubeCommand::IncidentBundle {
        path: path.clone(),
        item: Box::new(item),
        pod: Box::new(pod),
        timeline: String::new(),
    });
    p.until("saved", |p| {
        p.app
            .state
            .toasts
            .visible()
            .iter()
            .any(|t| t.text.contains("incident.md"))
    })
    .await;
    let toast = p.app.state.toasts.visible().last().map(|t| t.text.clone());
    assert!(
        toast.as_deref().is_some_and(|t| t.starts_with("saved ")),
        "{toast:?}"
    );
    let md = std::fs::read_to_string(&path).expect("the file");
    assert!(
        md.starts_with(&format!("# Incident: pod default/{hello}")),
        "{md}"
    );
    assert!(md.contains("## Recent events"), "{md}");
    assert!(md.contains("log lines"), "{md}");
}
