//! `d` on kinds whose kubectl describer reads more than the object, through
//! the real kube client against the simulator: a Service's `Endpoints:`
//! from the EndpointSlices the simulator's controller keeps, and a Node's
//! `Non-terminated Pods` and `Allocated resources` from its pods.

use std::collections::BTreeSet;

use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::api::discovery::v1::EndpointSlice;
use kube::ResourceExt;
use kube::api::{Api, ListParams, PostParams};
use opsdeck::core::key::KeyCode;
use opsdeck::core::kube::PodKey;
use opsdeck_sim::kube::{CONTEXT, KubeSim, PodState, Scenario};

use crate::harness::{Pane, client, scope};

/// `d` on the selected row, then its text.
async fn describe(p: &mut Pane, what: &str) -> String {
    p.key(KeyCode::Char('d'));
    let (_, text) = p.wait_overlay(what).await;
    p.key(KeyCode::Esc);
    text
}

/// The web Service's endpoints as its slices hold them: (pod, IP, ready),
/// in the slices' order; waits until `want_ready` of them are ready.
async fn web_endpoints(sim: &KubeSim, want_ready: usize) -> Vec<(String, String, bool)> {
    let api: Api<EndpointSlice> = Api::namespaced(client(sim).await, "shop");
    let params = ListParams::default().labels("kubernetes.io/service-name=web");
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let slices = api.list(&params).await.expect("list slices");
        let eps: Vec<(String, String, bool)> = slices
            .items
            .iter()
            .flat_map(|s| s.endpoints.iter().flatten())
            .map(|e| {
                let pod = e.target_ref.as_ref().and_then(|r| r.name.clone());
                let ready = e.conditions.as_ref().and_then(|c| c.ready);
                (
                    pod.unwrap_or_default(),
                    e.addresses.first().cloned().unwrap_or_default(),
                    ready == Some(true),
                )
            })
            .collect();
        if eps.iter().filter(|e| e.2).count() == want_ready {
            return eps;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "web endpoints never had {want_ready} ready: {eps:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// The lines starting with `start`, their runs of spaces made one (the
/// column width depends on the widest field of the object).
fn line(text: &str, start: &str) -> Vec<String> {
    text.lines()
        .filter(|l| l.starts_with(start))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

#[tokio::test]
async fn a_service_describes_its_ready_endpoints_and_follows_readiness() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let eps = web_endpoints(&sim, 3).await;
    let mut p = Pane::start(&sim, scope(&[], "shop"));
    p.until("pods", |p| p.app.state.kube.all_loaded()).await;
    p.open_kind_at("svc", &PodKey::new(CONTEXT, "shop", "web"))
        .await;
    let text = describe(&mut p, "the service described").await;
    let at = |port: u16, skip: Option<&str>| -> String {
        let list: Vec<String> = eps
            .iter()
            .filter(|e| Some(e.0.as_str()) != skip)
            .map(|e| format!("{}:{port}", e.1))
            .collect();
        list.join(",")
    };
    // Port 80 goes to the pods' 8080, 443 to 443; one Endpoints line each.
    assert_eq!(
        line(&text, "Endpoints:"),
        [
            format!("Endpoints: {}", at(8080, None)),
            format!("Endpoints: {}", at(443, None)),
        ],
        "{text}"
    );
    // One pod stops being ready: the controller marks it, describe drops it.
    let gone = eps[1].0.clone();
    assert!(sim.set_pod_state("shop", &gone, PodState::NotReady));
    let after = web_endpoints(&sim, 2).await;
    assert!(
        after.iter().any(|e| e.0 == gone && !e.2),
        "still listed, not ready: {after:?}"
    );
    let text = describe(&mut p, "the service described again").await;
    let ports = line(&text, "Endpoints:");
    assert_eq!(ports.len(), 2, "{text}");
    assert_eq!(
        ports[0],
        format!("Endpoints: {}", at(8080, Some(&gone))),
        "{text}"
    );
    assert!(!ports[0].contains(&eps[1].1), "{text}");
    sim.shutdown().await;
}

/// Pods bound to `node` that are neither Succeeded nor Failed, as
/// (namespace, name), read with no field selector and filtered here.
async fn running_on(sim: &KubeSim, node: &str) -> BTreeSet<(String, String)> {
    let pods: Api<Pod> = Api::all(client(sim).await);
    let list = pods.list(&ListParams::default()).await.expect("pods");
    list.items
        .iter()
        .filter(|p| p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(node))
        .filter(|p| {
            let phase = p.status.as_ref().and_then(|s| s.phase.as_deref());
            !matches!(phase, Some("Succeeded" | "Failed"))
        })
        .map(|p| (p.namespace().unwrap_or_default(), p.name_any()))
        .collect()
}

#[tokio::test]
async fn a_node_describes_the_pods_on_it_and_what_they_take() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    // A finished pod on the node: kubectl's field selector leaves it out.
    let done: Pod = serde_json::from_value(serde_json::json!({
        "metadata": {"name": "done-1", "namespace": "default"},
        "spec": {"nodeName": "worker-a", "restartPolicy": "Never",
            "containers": [{"name": "main", "image": "busybox:1.36",
                "resources": {"requests": {"cpu": "3", "memory": "1Gi"}}}]}}))
    .expect("pod");
    let pods: Api<Pod> = Api::namespaced(client(&sim).await, "default");
    pods.create(&PostParams::default(), &done)
        .await
        .expect("create");
    // The kubelet takes the pod on its next round; then it can finish.
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while !sim.set_pod_state("default", "done-1", PodState::Completed) {
        assert!(tokio::time::Instant::now() < deadline, "done-1 never ran");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let phase = pods
        .get("done-1")
        .await
        .expect("get")
        .status
        .and_then(|s| s.phase);
    assert_eq!(phase.as_deref(), Some("Succeeded"));
    let mut p = Pane::start(&sim, scope(&[], "*"));
    p.until("pods", |p| p.app.state.kube.all_loaded()).await;
    p.open_kind_at("no", &PodKey::new(CONTEXT, "", "worker-a"))
        .await;
    // The demo's pods come and go: what is listed must lie between what
    // ran on the node just before and just after.
    let before = running_on(&sim, "worker-a").await;
    let text = describe(&mut p, "the node described").await;
    let after = running_on(&sim, "worker-a").await;
    assert!(!before.is_empty(), "the demo runs pods on worker-a");
    let lines: Vec<&str> = text.lines().collect();
    let head = lines
        .iter()
        .position(|l| l.starts_with("Non-terminated Pods:"))
        .unwrap_or_else(|| panic!("no pods block in\n{text}"));
    let n: usize = lines[head]
        .split('(')
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{}", lines[head]));
    assert_eq!(
        line(&text, "  Namespace"),
        ["Namespace Name CPU Requests CPU Limits Memory Requests Memory Limits Age"]
    );
    let rows: BTreeSet<(String, String)> = lines[head + 3..head + 3 + n]
        .iter()
        .map(|l| {
            let mut cells = l.split_whitespace();
            let ns = cells.next().unwrap_or_default().to_string();
            (ns, cells.next().unwrap_or_default().to_string())
        })
        .collect();
    assert_eq!(rows.len(), n, "{text}");
    assert!(
        before.intersection(&after).all(|k| rows.contains(k)),
        "{before:?} {after:?}\n{text}"
    );
    assert!(
        rows.iter().all(|k| before.contains(k) || after.contains(k)),
        "{text}"
    );
    assert!(
        !text.contains("done-1"),
        "a finished pod is not listed: {text}"
    );
    assert_eq!(lines[head + 3 + n], "Allocated resources:", "{text}");
    // The demo's pods ask for CPU and memory: a share of what the node
    // can allocate (3800m), as kubectl works it out.
    let cpu = line(&text, "  cpu ");
    assert_eq!(cpu.len(), 1, "{text}");
    assert!(cpu[0].ends_with("%)"), "{text}");
    assert!(!cpu[0].starts_with("cpu 0 (0%)"), "{text}");
    assert_eq!(
        line(&text, "  hugepages-2Mi "),
        ["hugepages-2Mi 0 (0%) 0 (0%)"]
    );
    assert!(text.contains("\nEvents:"), "{text}");
    sim.shutdown().await;
}
