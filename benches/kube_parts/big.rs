//! Part of the kube bench: the API's own list time (the yardstick for
//! "listed in at most twice the API's time") and the large list that must
//! not stall the UI thread.

use std::path::Path;
use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, ListParams};
use opsdeck::core::keymap::KeyMap;
use opsdeck::core::kube::{KubeScope, NamespaceScope};
use opsdeck::core::msg::Msg;
use opsdeck::core::state::{Settings, State, Tab};
use opsdeck::core::update::update;
use opsdeck::sources::kube::{KubeOptions, spawn};

use super::{NAMESPACES, STALL, SimProcess, pods_in};

async fn client(kubeconfig: &Path) -> kube::Client {
    let yaml = std::fs::read_to_string(kubeconfig).expect("read the kubeconfig");
    let kc = kube::config::Kubeconfig::from_yaml(&yaml).expect("kubeconfig");
    let cfg = kube::Config::from_custom_kubeconfig(kc, &Default::default())
        .await
        .expect("config");
    kube::Client::try_from(cfg).expect("client")
}

/// Every pod listed by the plain client in pages of 500, as `kubectl get
/// pods -A` asks (its `--chunk-size` default); the best of three.
pub async fn api_list_time(kubeconfig: &Path) -> Duration {
    let api: Api<Pod> = Api::all(client(kubeconfig).await);
    let mut best = Duration::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        let mut params = ListParams::default().limit(500);
        let mut n = 0;
        loop {
            let page = api.list(&params).await.expect("list pods");
            n += page.items.len();
            match page.metadata.continue_.filter(|c| !c.is_empty()) {
                Some(token) => params = params.continue_token(&token),
                None => break,
            }
        }
        best = best.min(t.elapsed());
        assert!(n > 0, "the API listed no pods");
    }
    best
}

/// `pods` pods listed from a fresh start, timing each `update`: the
/// longest one is how long the screen would freeze.
pub async fn list_without_stall(pods: usize) {
    let (sim, ready) = SimProcess::start(pods);
    let kubeconfig = ready["kubeconfig"].as_str().expect("kubeconfig").into();
    let (tx, mut rx) = tokio::sync::mpsc::channel(1024);
    let mut state = State::new(Settings::default(), KeyMap::default());
    state.tab = Tab::Kubernetes;
    update(
        &mut state,
        Msg::Resize {
            width: 200,
            height: 50,
        },
    );
    let scope = KubeScope {
        namespace: NamespaceScope::All,
        ..KubeScope::default()
    };
    state.kube.scope = scope.clone();
    let started = Instant::now();
    let _commands = spawn(
        KubeOptions {
            kubeconfig: Some(kubeconfig),
            scope,
            danger: Vec::new(),
        },
        tx,
    );
    let deadline = started + Duration::from_secs(300);
    let mut longest = Duration::ZERO;
    while pods_in(&state) < pods && Instant::now() < deadline {
        if let Ok(Some(msg)) = tokio::time::timeout(Duration::from_secs(1), rx.recv()).await {
            let t = Instant::now();
            update(&mut state, msg);
            longest = longest.max(t.elapsed());
        }
    }
    let verdict = if longest < STALL {
        "no stall"
    } else {
        "STALLED"
    };
    println!(
        "{} of {pods} pods in {NAMESPACES} namespaces listed after {:.1?}; longest single \
         update {longest:.2?} ({verdict}: budget < {STALL:?}); RSS now {}",
        pods_in(&state),
        started.elapsed(),
        super::mib(super::vm_kib("VmRSS")),
    );
    sim.stop();
}
