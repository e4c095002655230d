//! Logs in the shared viewer: follow, `previous`, container choice, and a
//! deployment's pods merged with each line tagged by its pod.

use std::collections::HashSet;

use opsdeck::core::action::Action;
use opsdeck::core::kube::LogTarget;
use opsdeck_sim::kube::{KubeSim, PodState, Scenario};

use crate::harness::{Pane, scope};

#[tokio::test]
async fn a_pod_log_follows_and_previous_shows_the_crashed_run() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = Pane::start(&sim, scope(&[], "default"));
    p.until("first list", |p| p.app.state.kube.all_loaded())
        .await;
    let hello = p
        .live("default", "hello-")
        .first()
        .expect("hello")
        .key
        .clone();
    p.select(&hello);
    p.act(Action::Logs);
    let req = p.app.state.kube.log_request.clone().expect("log open");
    assert_eq!(req.target, LogTarget::Pod(hello.clone()));
    assert!(!req.options.previous && req.options.follow);
    p.until("history", |p| !p.log_lines().is_empty()).await;
    assert!(sim.append_log("default", &hello.name, None, "marker-before-crash"));
    p.until("followed line", |p| {
        p.log_lines()
            .iter()
            .any(|l| l.ends_with("marker-before-crash"))
    })
    .await;

    assert!(sim.crash_pod("default", &hello.name));
    p.until("the crash is seen", |p| {
        p.pod("default", &hello.name)
            .is_some_and(|r| r.restarts > 0)
    })
    .await;
    p.act(Action::Back);
    assert!(p.app.state.kube.logs.is_none());
    p.act(Action::Logs);
    // The pane picks `previous` by itself only while the container is down;
    // `p` asks for it explicitly either way.
    if !p
        .app
        .state
        .kube
        .log_request
        .as_ref()
        .expect("open")
        .options
        .previous
    {
        p.act(Action::PreviousLog);
    }
    let req = p.app.state.kube.log_request.clone().expect("open");
    assert!(req.options.previous && !req.options.follow);
    p.until("previous log ends", |p| {
        p.app
            .state
            .kube
            .logs
            .as_ref()
            .is_some_and(|s| s.ended.is_some())
    })
    .await;
    let lines = p.log_lines();
    assert!(
        lines.iter().any(|l| l.ends_with("marker-before-crash")),
        "the previous run's log: {lines:?}"
    );
}

#[tokio::test]
async fn container_choice_and_tail_reopen_the_stream() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = Pane::start(&sim, scope(&[], "shop"));
    p.until("first list", |p| p.app.state.kube.all_loaded())
        .await;
    let web = p.live("shop", "web-").first().expect("web").key.clone();
    p.select(&web);
    p.act(Action::Logs);
    let first = p.app.state.kube.log_request.clone().expect("open");
    assert_eq!(first.containers, vec!["app", "metrics"]);
    assert_eq!(first.options.container.as_deref(), Some("app"));
    let stream = p.app.state.kube.logs.as_ref().expect("session").stream;
    p.act(Action::NextContainer);
    let second = p.app.state.kube.log_request.clone().expect("open");
    assert_eq!(second.options.container.as_deref(), Some("metrics"));
    assert_ne!(
        p.app.state.kube.logs.as_ref().expect("session").stream,
        stream
    );
    p.until("the metrics container's log", |p| !p.log_lines().is_empty())
        .await;
    p.act(Action::TailSize);
    let third = p.app.state.kube.log_request.clone().expect("open");
    assert_ne!(third.options.tail, second.options.tail);
    assert!(
        p.app
            .state
            .kube
            .logs
            .as_ref()
            .expect("s")
            .title
            .contains("[metrics]")
    );
}

#[tokio::test]
async fn a_deployments_pods_merge_into_one_log_tagged_by_pod() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = Pane::start(&sim, scope(&[], "shop"));
    p.until("pods and owners", |p| {
        p.app.state.kube.all_loaded() && !p.app.state.kube.rs_owners.is_empty()
    })
    .await;
    let web = p.live("shop", "web-").first().expect("web").key.clone();
    p.select(&web);
    p.act(Action::WorkloadLogs);
    let req = p.app.state.kube.log_request.clone().expect("open");
    match &req.target {
        LogTarget::Workload { owner, .. } => {
            assert_eq!(
                (owner.kind.as_str(), owner.name.as_str()),
                ("Deployment", "web")
            )
        }
        other => panic!("expected the deployment, got {other:?}"),
    }
    let pods: Vec<String> = p
        .live("shop", "web-")
        .iter()
        .map(|r| r.key.name.to_string())
        .collect();
    assert_eq!(pods.len(), 3);
    p.until("lines from all three pods", |p| {
        let tags: HashSet<String> = p
            .log_lines()
            .iter()
            // Real log lines, not the "+ pod joined" notes.
            .filter(|l| !l.contains("|+ ") && !l.contains("|- "))
            .filter_map(|l| l.split('|').next())
            .filter_map(|t| t.split('/').next().map(str::to_string))
            .collect();
        pods.iter().all(|n| tags.contains(n))
    })
    .await;
    assert!(sim.append_log("shop", &pods[1], Some("app"), "merged-marker"));
    let tag = format!("{}/app|", pods[1]);
    p.until("a followed line tagged with its pod", |p| {
        p.log_lines()
            .iter()
            .any(|l| l.starts_with(&tag) && l.ends_with("merged-marker"))
    })
    .await;
}

/// Opens the log of `key` with `l` and waits for its first lines.
async fn open_log(p: &mut Pane, key: &opsdeck::core::kube::PodKey) {
    p.select(key);
    p.act(Action::Logs);
    p.until("log lines", |p| !p.log_lines().is_empty()).await;
}

fn ended(p: &Pane) -> Option<String> {
    p.app.state.kube.logs.as_ref().and_then(|s| s.ended.clone())
}

/// A container that crashed before dies again and shows Terminated
/// (kubectl's `Error`/`OOMKilled`): the kubelet has already collected the
/// container before it, and the crash is in the current log.
#[tokio::test]
async fn a_terminated_container_opens_its_current_log_and_a_gone_previous_falls_back() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = Pane::start(&sim, scope(&[], "shop"));
    p.until("first list", |p| p.app.state.kube.all_loaded())
        .await;
    let cart = p.live("shop", "cart-").first().expect("cart").key.clone();
    assert!(sim.append_log("shop", &cart.name, None, "last-words-marker"));
    assert!(sim.set_pod_state("shop", &cart.name, PodState::OomKilled));
    p.until("OOMKilled shows", |p| {
        p.pod("shop", &cart.name)
            .is_some_and(|r| r.status == "OOMKilled")
    })
    .await;
    open_log(&mut p, &cart).await;
    let req = p.app.state.kube.log_request.clone().expect("open");
    assert!(
        !req.options.previous,
        "the current log, not the collected one"
    );
    p.until("the last words", |p| {
        p.log_lines()
            .iter()
            .any(|l| l.ends_with("last-words-marker"))
    })
    .await;

    // Asking for the previous one anyway: it is gone, the current one shows
    // with a note in plain words, and the title says which log it is.
    p.act(Action::PreviousLog);
    p.until("the fallback", |p| {
        p.log_lines()
            .iter()
            .any(|l| l.ends_with("last-words-marker"))
            || ended(p).is_some()
    })
    .await;
    // The container is stopped, so its log ends, and not with an error.
    let end = ended(&p).unwrap_or_default();
    assert!(!end.contains("unable"), "{end}");
    let lines = p.log_lines();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("the previous container's log is gone")),
        "{lines:?}"
    );
    let req = p.app.state.kube.log_request.clone().expect("open");
    assert!(!req.options.previous);
    let title = &p.app.state.kube.logs.as_ref().expect("s").title;
    assert!(!title.contains("(previous)"), "{title}");
}

/// An API-server restart cuts the follow; it resumes from the last line
/// shown once the server is back, says so, and shows no line twice.
#[tokio::test]
async fn a_followed_log_resumes_after_an_api_server_restart_without_duplicates() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = Pane::start(&sim, scope(&[], "default"));
    p.until("first list", |p| p.app.state.kube.all_loaded())
        .await;
    let hello = p
        .live("default", "hello-")
        .first()
        .expect("hello")
        .key
        .clone();
    open_log(&mut p, &hello).await;
    assert!(sim.append_log("default", &hello.name, None, "before-restart"));
    p.until("followed", |p| {
        p.log_lines().iter().any(|l| l.ends_with("before-restart"))
    })
    .await;
    sim.stop_server().await;
    p.until("the loss is said", |p| {
        p.log_lines()
            .iter()
            .any(|l| l.contains("connection lost, resuming"))
    })
    .await;
    assert!(sim.append_log("default", &hello.name, None, "while-down"));
    sim.restart_server().await.expect("restart");
    assert!(sim.append_log("default", &hello.name, None, "after-restart"));
    p.until("resumed", |p| {
        p.log_lines().iter().any(|l| l.ends_with("after-restart"))
    })
    .await;
    assert_eq!(ended(&p), None);
    let lines = p.log_lines();
    assert!(lines.iter().any(|l| l.ends_with("while-down")), "{lines:?}");
    let mut texts: Vec<&String> = lines.iter().filter(|l| !l.contains('—')).collect();
    let all = texts.len();
    texts.sort();
    texts.dedup();
    assert_eq!(texts.len(), all, "no line twice: {lines:?}");
}
