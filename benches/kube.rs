//! The Kubernetes pane at scale: 10,000 pods across 50 namespaces in the
//! simulator, through the real kube client and watchers.
//! `cargo bench --bench kube`. Prints:
//! - time from the source's start to all 10,000 pods in the pane state;
//! - the process's peak RSS with them loaded (this process also hosts the
//!   simulator, so the figure is an upper bound for opsdeck alone; budget for
//!   the whole opsdeck process: under 60 MB);
//! - the time `update` spends applying a burst of 10,000 watch events
//!   (budget: under 50 ms);
//! - render of the pane at 200x50 with the 10,000 pods (budget: under 2 ms).

use std::time::{Duration, Instant};

use opsdeck::core::keymap::KeyMap;
use opsdeck::core::kube::{KubeScope, NamespaceScope};
use opsdeck::core::msg::Msg;
use opsdeck::core::state::{Settings, State, Tab};
use opsdeck::core::update::update;
use opsdeck::sources::kube::{self, KubeOptions};
use opsdeck::ui::{self, Look, Theme};
use opsdeck_sim::kube::{KubeSim, Scenario};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const PODS: usize = 10_000;
const NAMESPACES: usize = 50;

fn vm_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn pods_in(state: &State) -> usize {
    state.kube.pods.data().map(|m| m.len()).unwrap_or(0)
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let pods = if full { PODS } else { 500 };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let sim = KubeSim::start(Scenario::Scale { pods, namespaces: NAMESPACES })
            .await
            .expect("simulator");
        let dir = tempfile::tempdir().expect("temp dir");
        let kubeconfig = dir.path().join("kubeconfig");
        sim.write_kubeconfig(&kubeconfig).expect("kubeconfig");
        let rss_before = vm_kib("VmRSS");
        let (tx, mut rx) = tokio::sync::mpsc::channel(1024);
        let mut state = State::new(Settings::default(), KeyMap::default());
        state.tab = Tab::Kubernetes;
        update(&mut state, Msg::Resize { width: 200, height: 50 });
        let scope = KubeScope { contexts: Vec::new(), namespace: NamespaceScope::All };
        state.kube.scope = scope.clone();
        let started = Instant::now();
        let _commands = kube::spawn(
            KubeOptions { kubeconfig: Some(kubeconfig), scope, danger: Vec::new() },
            tx,
        );
        let deadline = started + Duration::from_secs(120);
        while pods_in(&state) < pods && Instant::now() < deadline {
            if let Ok(Some(msg)) = tokio::time::timeout(Duration::from_secs(1), rx.recv()).await {
                update(&mut state, msg);
            }
        }
        let listed = started.elapsed();
        println!("{pods} pods in {NAMESPACES} namespaces: all listed in the pane after {listed:.1?}");
        println!(
            "memory: RSS {} KiB before, {} KiB with the pods loaded, peak {} KiB \
             (simulator included)",
            rss_before,
            vm_kib("VmRSS"),
            vm_kib("VmHWM")
        );

        // A burst: the simulator modifies every pod; time only `update`.
        let emitted = sim.emit_burst(pods);
        let mut applied = 0usize;
        let mut in_update = Duration::ZERO;
        let burst_deadline = Instant::now() + Duration::from_secs(60);
        let before = pods_in(&state);
        while Instant::now() < burst_deadline {
            match tokio::time::timeout(Duration::from_millis(500), rx.recv()).await {
                Ok(Some(msg)) => {
                    let t = Instant::now();
                    update(&mut state, msg);
                    in_update += t.elapsed();
                    applied += 1;
                }
                _ => break,
            }
        }
        // The loop runs this once per batch it applied (what newly broke).
        let t = Instant::now();
        update(&mut state, Msg::BatchDone);
        in_update += t.elapsed();
        println!(
            "burst of {emitted} watch events: {applied} messages applied, {in_update:.2?} \
             spent in update (budget < 50 ms); pods now {} (was {before})",
            pods_in(&state),
        );

        let look = Look::new(Theme::default(), false);
        let mut terminal = Terminal::new(TestBackend::new(200, 50)).expect("terminal");
        let frames = 200u32;
        let t = Instant::now();
        for _ in 0..frames {
            terminal
                .draw(|f| ui::draw(f, &mut state, &look))
                .expect("draw");
        }
        println!(
            "render of the Kubernetes pane with {} pods at 200x50: {:.3?} per frame (budget < 2 ms)",
            pods_in(&state),
            t.elapsed() / frames
        );
        sim.shutdown().await;
    });
}
