//! A crashing pod's incident bundle, end to end: the source fetches its
//! events and log, `core::incident` writes the Markdown, the kit's writer
//! saves it and the toast says so.

use opsdeck::core::kube_msg::KubeCommand;
use opsdeck::core::triage;
use opsdeck_sim::kube::{KubeSim, PodState, Scenario};

use crate::harness::{Pane, scope};

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
