//! Shared helpers: a kube client for the simulator, polling, and a
//! watcher whose events are forwarded to a channel for assertions.

use std::future::Future;
use std::time::Duration;

use futures::StreamExt;
use k8s_openapi::api::core::v1::Pod;
use kube::api::Api;
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::runtime::{WatchStreamExt, watcher};
use kube::{Client, Config, ResourceExt};
use opsdeck_sim::kube::{CONTEXT, KubeSim};
use tokio::sync::mpsc;

pub const WAIT: Duration = Duration::from_secs(15);

pub async fn client_for(yaml: &str, ctx: &str) -> Client {
    let kc = Kubeconfig::from_yaml(yaml).expect("kubeconfig parses");
    let opts = KubeConfigOptions {
        context: Some(ctx.to_string()),
        ..Default::default()
    };
    let cfg = Config::from_custom_kubeconfig(kc, &opts)
        .await
        .expect("config");
    Client::try_from(cfg).expect("client")
}

pub async fn client(sim: &KubeSim) -> Client {
    client_for(&sim.kubeconfig_yaml(), CONTEXT).await
}

/// Polls `f` until it yields `Some`, or fails the test after `WAIT`.
pub async fn eventually<T, F, Fut>(what: &str, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub fn api_code(e: &kube::Error) -> Option<u16> {
    match e {
        kube::Error::Api(s) => Some(s.code),
        _ => None,
    }
}

pub fn api_err(e: kube::Error) -> Box<kube::core::Status> {
    match e {
        kube::Error::Api(s) => s,
        other => panic!("expected an API error, got {other:?}"),
    }
}

pub fn live(pods: &[Pod]) -> Vec<&Pod> {
    pods.iter()
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .collect()
}

pub fn ready(p: &Pod) -> bool {
    p.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|cs| cs.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
}

pub fn first_state(p: &Pod) -> String {
    let st = p
        .status
        .as_ref()
        .and_then(|s| s.container_statuses.as_ref())
        .and_then(|c| c.first());
    let Some(state) = st.and_then(|c| c.state.as_ref()) else {
        return String::new();
    };
    if let Some(t) = &state.terminated {
        return t.reason.clone().unwrap_or_default();
    }
    if let Some(w) = &state.waiting {
        return w.reason.clone().unwrap_or_default();
    }
    if state.running.is_some() {
        "Running".into()
    } else {
        String::new()
    }
}

#[derive(Debug)]
pub enum Seen {
    Apply(String, String, bool),
    Delete(String),
    InitDone,
    Error(Option<u16>),
}

/// Runs a watcher and forwards what it reports.
pub fn watch_pods(api: Api<Pod>, cfg: watcher::Config) -> mpsc::UnboundedReceiver<Seen> {
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        let mut s = watcher(api, cfg).default_backoff().boxed();
        while let Some(ev) = s.next().await {
            let seen = match ev {
                Ok(watcher::Event::Apply(p) | watcher::Event::InitApply(p)) => {
                    let del = p.metadata.deletion_timestamp.is_some();
                    Seen::Apply(p.name_any(), first_state(&p), del)
                }
                Ok(watcher::Event::Delete(p)) => Seen::Delete(p.name_any()),
                Ok(watcher::Event::InitDone) => Seen::InitDone,
                Ok(watcher::Event::Init) => continue,
                Err(watcher::Error::WatchError(s)) => Seen::Error(Some(s.code)),
                Err(_) => Seen::Error(None),
            };
            if tx.send(seen).is_err() {
                return;
            }
        }
    });
    rx
}

pub async fn expect_seen(
    rx: &mut mpsc::UnboundedReceiver<Seen>,
    what: &str,
    mut pred: impl FnMut(&Seen) -> bool,
) -> Vec<Seen> {
    let mut log = Vec::new();
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            Ok(Some(s)) => {
                let hit = pred(&s);
                log.push(s);
                if hit {
                    return log;
                }
            }
            _ => panic!("timed out waiting for {what}; saw {log:?}"),
        }
    }
}
