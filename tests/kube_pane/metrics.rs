//! CPU and memory from the metrics API through the real kube client
//! against the simulator's `metrics.k8s.io`: figures parsed as the raw
//! list says, sorted both ways (pods and nodes), "n/a" with the reason
//! when the cluster does not serve the API, and no request while neither
//! list is on screen.

use std::time::Duration;

use kube::api::{Api, ApiResource, DynamicObject, ListParams};
use opsdeck::core::action::Action;
use opsdeck::core::key::KeyCode;
use opsdeck::core::kube_kind::Cell;
use opsdeck::core::kube_pane::KubeSort;
use opsdeck::sources::kube::quantity;
use opsdeck::ui::{self, Look, Theme};
use opsdeck_sim::kube::{KubeSim, MetricsMode, Scenario};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::harness::{Pane, client, scope};

/// Polls every 200 ms (the config allows no less than 15 s; tests need
/// several polls in a second).
fn fast(p: &mut Pane) {
    p.app.state.settings.kube_metrics_every = Duration::from_millis(200);
}

async fn pane(sim: &KubeSim) -> Pane {
    let mut p = Pane::start(sim, scope(&[], "*"));
    fast(&mut p);
    p.until("pods", |p| p.app.state.kube.all_loaded()).await;
    p
}

fn screen(p: &mut Pane) -> String {
    let look = Look::new(Theme::default(), false);
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).expect("terminal");
    terminal
        .draw(|f| ui::draw(f, &mut p.app.state, &look))
        .expect("draw");
    terminal.backend().to_string()
}

/// The figures of the pods shown, in the list's order (None: no figure).
fn shown_cpu(p: &Pane) -> Vec<Option<u64>> {
    let kube = &p.app.state.kube;
    kube.list
        .order()
        .iter()
        .map(|k| kube.metrics.pods.get(k).map(|u| u.cpu_milli))
        .collect()
}

#[tokio::test]
async fn pod_figures_match_the_api_and_sort_both_ways() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = pane(&sim).await;
    p.until("pod figures", |p| !p.app.state.kube.metrics.pods.is_empty())
        .await;
    // The raw list, read right after: the simulator's figures drift by a
    // few percent a second, the units must agree exactly.
    let resource = ApiResource {
        group: "metrics.k8s.io".into(),
        version: "v1beta1".into(),
        api_version: "metrics.k8s.io/v1beta1".into(),
        kind: "PodMetrics".into(),
        plural: "pods".into(),
    };
    let api: Api<DynamicObject> = Api::all_with(client(&sim).await, &resource);
    let raw = api.list(&ListParams::default()).await.expect("pod metrics");
    assert!(!raw.items.is_empty());
    let figures = p.app.state.kube.metrics.pods.clone();
    for item in &raw.items {
        let (ns, name) = (
            item.metadata.namespace.as_deref().unwrap(),
            item.metadata.name.as_deref().unwrap(),
        );
        let (mut cpu, mut mem) = (0u64, 0u64);
        for c in item.data["containers"].as_array().unwrap() {
            cpu += quantity::cpu_milli(c["usage"]["cpu"].as_str().unwrap()).unwrap();
            mem += quantity::bytes(c["usage"]["memory"].as_str().unwrap()).unwrap();
        }
        let Some((_, got)) = figures
            .iter()
            .find(|(k, _)| &*k.namespace == ns && &*k.name == name)
        else {
            continue; // started between the two lists
        };
        let close = |a: u64, b: u64, slack: u64| a.abs_diff(b) <= slack;
        assert!(
            close(got.cpu_milli, cpu, cpu / 5 + 3),
            "{ns}/{name} cpu {got:?} vs {cpu}m"
        );
        assert!(
            close(got.memory_bytes, mem, 3 << 20),
            "{ns}/{name} memory {got:?} vs {mem}"
        );
    }
    // Pods that do not run have no figure; the screen says `-`, never n/a.
    let text = screen(&mut p);
    assert!(text.contains("CPU") && text.contains("MEM"), "{text}");
    assert!(!text.contains("n/a"), "{text}");
    let (key, usage) = figures.iter().next().map(|(k, u)| (k.clone(), *u)).unwrap();
    assert!(p.app.state.kube.list.select(&key));
    let text = screen(&mut p);
    let line = text.lines().find(|l| l.contains(&*key.name)).unwrap();
    assert!(
        line.contains(&format!("{}Mi", usage.memory_bytes >> 20)),
        "{line}"
    );

    // `o` to CPU: largest first, pods without a figure last.
    while p.app.state.kube.list.sort() != KubeSort::Cpu {
        p.typed("o");
    }
    let cpu = shown_cpu(&p);
    let with: Vec<u64> = cpu.iter().map_while(|c| *c).collect();
    assert!(
        with.len() > 3 && with.windows(2).all(|w| w[0] >= w[1]),
        "{cpu:?}"
    );
    assert!(cpu[with.len()..].iter().all(Option::is_none), "{cpu:?}");
    // `O`: smallest first.
    p.typed("O");
    let cpu = shown_cpu(&p);
    let with: Vec<u64> = cpu.iter().filter_map(|c| *c).collect();
    assert!(with.windows(2).all(|w| w[0] <= w[1]), "{cpu:?}");
    // The order follows new figures as they come.
    let before = p.app.state.kube.metrics.pods.clone();
    p.until("new figures", |p| p.app.state.kube.metrics.pods != before)
        .await;
    let cpu = shown_cpu(&p);
    let with: Vec<u64> = cpu.iter().filter_map(|c| *c).collect();
    assert!(with.windows(2).all(|w| w[0] <= w[1]), "{cpu:?}");
}

fn node_figures(p: &Pane) -> Vec<(String, Option<u64>)> {
    let Some(view) = p.app.state.kube.kind.as_ref() else {
        return Vec::new();
    };
    view.list
        .order()
        .iter()
        .filter_map(|k| view.rows.get(k))
        .map(|r| {
            let mem = r.cells.iter().find_map(|c| match c {
                Cell::Memory(m) => Some(*m),
                _ => None,
            });
            (r.key.name.to_string(), mem.flatten())
        })
        .collect()
}

#[tokio::test]
async fn node_figures_are_shown_and_sorted_both_ways() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = pane(&sim).await;
    p.typed(":no");
    p.key(KeyCode::Enter);
    p.until("node figures", |p| {
        let f = node_figures(p);
        !f.is_empty() && f.iter().all(|(_, m)| m.is_some())
    })
    .await;
    while p.app.state.kube.kind.as_ref().unwrap().sort_label() != "memory" {
        p.typed("o");
    }
    let mem: Vec<u64> = node_figures(&p)
        .into_iter()
        .filter_map(|(_, m)| m)
        .collect();
    assert!(
        mem.len() >= 2 && mem.windows(2).all(|w| w[0] >= w[1]),
        "{mem:?}"
    );
    p.typed("O");
    let mem: Vec<u64> = node_figures(&p)
        .into_iter()
        .filter_map(|(_, m)| m)
        .collect();
    assert!(mem.windows(2).all(|w| w[0] <= w[1]), "{mem:?}");
    let text = screen(&mut p);
    assert!(
        text.contains("MEMORY") && text.contains("(reversed)"),
        "{text}"
    );
    let (name, bytes) = node_figures(&p)[0].clone();
    let line = text.lines().find(|l| l.contains(&name)).unwrap();
    assert!(
        line.contains(&format!("{}Mi", bytes.unwrap() >> 20)),
        "{line}"
    );
}

#[tokio::test]
async fn a_cluster_without_the_api_says_why_once() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    sim.set_metrics(MetricsMode::NotInstalled);
    let mut p = pane(&sim).await;
    let cases = [
        (MetricsMode::NotInstalled, "does not serve the metrics API"),
        (MetricsMode::Unavailable, "metrics-server is unavailable"),
        (MetricsMode::Forbidden, "forbidden"),
    ];
    for (mode, words) in cases {
        sim.set_metrics(mode);
        p.until(words, |p| {
            p.app
                .state
                .kube
                .metrics
                .unavailable
                .values()
                .any(|r| r.contains(words))
        })
        .await;
        assert!(p.app.state.kube.metrics.pods.is_empty());
        let text = screen(&mut p);
        assert_eq!(text.matches("CPU/MEM n/a").count(), 1, "once:\n{text}");
        assert!(text.contains(words), "{text}");
        let rows = text.lines().filter(|l| l.contains("n/a")).count();
        assert!(rows > 5, "each row reads n/a:\n{text}");
    }
    // Served again: figures come back and the reason goes.
    sim.set_metrics(MetricsMode::Served);
    p.until("figures again", |p| {
        !p.app.state.kube.metrics.pods.is_empty()
    })
    .await;
    assert!(p.app.state.kube.metrics.unavailable.is_empty());
    assert!(!screen(&mut p).contains("n/a"));
}

#[tokio::test]
async fn nothing_is_polled_while_neither_list_is_on_screen() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = pane(&sim).await;
    p.until("figures", |p| !p.app.state.kube.metrics.pods.is_empty())
        .await;
    let polling = sim.metrics_requests();
    assert!(polling > 0);
    // Another tab: the poll stops (one request may be in flight).
    p.act(Action::TabDocker);
    tokio::time::sleep(Duration::from_millis(500)).await;
    p.drain().await;
    let stopped = sim.metrics_requests();
    tokio::time::sleep(Duration::from_millis(1200)).await;
    p.drain().await;
    assert_eq!(sim.metrics_requests(), stopped, "no poll off screen");
    // Back: it polls again, every 200 ms.
    p.act(Action::TabKubernetes);
    tokio::time::sleep(Duration::from_millis(1000)).await;
    p.drain().await;
    let again = sim.metrics_requests();
    assert!(again >= stopped + 3, "{stopped} -> {again}");
    // A log over the list, or a list without figures, stops it too.
    for cover in [":svc", ":deploy"] {
        p.typed(cover);
        p.key(KeyCode::Enter);
        tokio::time::sleep(Duration::from_millis(400)).await;
        p.drain().await;
        let before = sim.metrics_requests();
        tokio::time::sleep(Duration::from_millis(1000)).await;
        p.drain().await;
        assert_eq!(sim.metrics_requests(), before, "no poll under {cover}");
        p.key(KeyCode::Esc);
    }
}
