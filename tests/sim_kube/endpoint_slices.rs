//! EndpointSlices through the real kube client: discovery lists the
//! discovery.k8s.io group, a label selector picks a Service's slices, and
//! kube-runtime's watcher sees a pod's readiness reach them.

use futures::StreamExt;
use k8s_openapi::api::discovery::v1::EndpointSlice;
use kube::api::{Api, ListParams};
use kube::runtime::{WatchStreamExt, watcher};
use opsdeck_sim::kube::{KubeSim, PodState, Scenario};

use crate::support::{WAIT, client, eventually};

/// (pod, ready) of each endpoint.
fn endpoints(slice: &EndpointSlice) -> Vec<(String, bool)> {
    slice
        .endpoints
        .iter()
        .flatten()
        .map(|e| {
            let pod = e.target_ref.as_ref().and_then(|r| r.name.clone());
            let ready = e.conditions.as_ref().and_then(|c| c.ready) == Some(true);
            (pod.unwrap_or_default(), ready)
        })
        .collect()
}

#[tokio::test]
async fn slices_list_by_service_and_watch_readiness() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let c = client(&sim).await;
    let groups = c.list_api_groups().await.expect("groups");
    assert!(
        groups.groups.iter().any(|g| g.name == "discovery.k8s.io"),
        "{groups:?}"
    );
    let api: Api<EndpointSlice> = Api::namespaced(c, "shop");
    let by_web = ListParams::default().labels("kubernetes.io/service-name=web");
    let slice = eventually("three ready web endpoints", || {
        let api = api.clone();
        let by_web = by_web.clone();
        async move {
            let list = api.list(&by_web).await.ok()?;
            let slice = list.items.into_iter().next()?;
            (endpoints(&slice).iter().filter(|e| e.1).count() == 3).then_some(slice)
        }
    })
    .await;
    let labels = slice.metadata.labels.clone().unwrap_or_default();
    assert_eq!(
        labels
            .get("endpointslice.kubernetes.io/managed-by")
            .map(String::as_str),
        Some("endpointslice-controller.k8s.io")
    );
    assert_eq!(slice.address_type, "IPv4");
    let ports: Vec<(Option<String>, Option<i32>)> = slice
        .ports
        .iter()
        .flatten()
        .map(|p| (p.name.clone(), p.port))
        .collect();
    assert_eq!(
        ports,
        [
            (Some("http".into()), Some(8080)),
            (Some("https".into()), Some(443))
        ]
    );
    // Another Service's slices are not the web's.
    let all = api.list(&ListParams::default()).await.expect("all");
    assert!(all.items.len() > 1, "one per Service with a selector");
    let other = ListParams::default().labels("kubernetes.io/service-name=cart");
    let cart = api.list(&other).await.expect("cart");
    assert!(
        cart.items
            .iter()
            .all(|s| !endpoints(s).iter().any(|e| e.0.starts_with("web-")))
    );

    // The watcher, filtered the same way, sees a pod stop being ready.
    let cfg = watcher::Config::default().labels("kubernetes.io/service-name=web");
    let mut stream = watcher(api.clone(), cfg).applied_objects().boxed();
    let pod = endpoints(&slice)[0].0.clone();
    assert!(sim.set_pod_state("shop", &pod, PodState::NotReady));
    let seen = tokio::time::timeout(WAIT, async {
        while let Some(Ok(s)) = stream.next().await {
            if endpoints(&s).iter().any(|e| e.0 == pod && !e.1) {
                return s;
            }
        }
        panic!("the watch ended");
    })
    .await
    .expect("the watcher saw the pod not ready");
    let rv = |s: &EndpointSlice| s.metadata.resource_version.clone().unwrap_or_default();
    assert_ne!(rv(&seen), rv(&slice), "a new resourceVersion");
    sim.shutdown().await;
}
