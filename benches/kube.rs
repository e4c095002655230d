//! The Kubernetes pane at scale: 10,000 pods across 50 namespaces, with
//! 10,000 events and 2,000 ReplicaSets beside them, in the simulator,
//! through the real kube client and watchers.
//! `cargo bench --bench kube`. The simulator runs in a process of its own
//! (the `opsdeck-sim` binary), so this process holds what opsdeck holds: the
//! Kubernetes source, the pane state and the renderer. Prints:
//! - the API's own list of all pods (kube client, pages of 500 as kubectl
//!   asks), then the time from the source's start to all of them in the
//!   pane state (budget: at most twice the API's list);
//! - this process's RSS with them loaded (VmRSS, and the peak VmHWM; budget
//!   for the whole opsdeck process: under 80 MB with the events and
//!   ReplicaSets watched too), and the simulator's for comparison;
//! - the time `update` spends applying a burst of 10,000 watch events
//!   (budget: under 50 ms), as wall time and as the UI thread's CPU time;
//! - RSS after the burst, and after the trim the app loop runs after one;
//! - render of the pane at 200x50 with the 10,000 pods (budget: under 2 ms);
//! - 50,000 pods (five times the size) listed from a fresh start: the time
//!   and the longest single `update` (a stall is one over 100 ms).
//!
//! OPSDECK_SIM_BIN=path skips building `opsdeck-sim`. OPSDECK_KUBE_BENCH_PODS=N
//! sets the size (events N, ReplicaSets N/5, the large list 5N); without
//! `--bench` (as `cargo test` runs it) N is 500.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use opsdeck::core::keymap::KeyMap;
use opsdeck::core::kube::{KubeScope, NamespaceScope};
use opsdeck::core::msg::Msg;
use opsdeck::core::state::{Settings, State, Tab};
use opsdeck::core::update::update;
use opsdeck::sources::kube::{self, KubeOptions};
use opsdeck::ui::{self, Look, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const PODS: usize = 10_000;
const NAMESPACES: usize = 50;
/// The stall budget for one `update` while 50,000 pods are listed.
const STALL: Duration = Duration::from_millis(100);

/// CPU time this thread has used: unlike wall time, not counting the
/// moments it waits for a core.
fn thread_cpu() -> Duration {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: clock_gettime writes one timespec we own.
        if unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) } == 0 {
            return Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32);
        }
    }
    Duration::ZERO
}

fn vm_kib(field: &str) -> u64 {
    vm_kib_of("self", field)
}

fn vm_kib_of(pid: &str, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
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

/// `opsdeck-sim`, built unless OPSDECK_SIM_BIN names one. `cargo bench`
/// builds only this package's targets, and the simulator is another
/// package's binary, so it is built here. Selecting opsdeck beside it
/// resolves features as opsdeck's own release build does, so the
/// dependencies built for that are reused instead of built again for the
/// simulator alone; cargo's JSON messages name the file wherever the target
/// directory is.
fn sim_binary() -> PathBuf {
    if let Some(p) = std::env::var_os("OPSDECK_SIM_BIN") {
        return PathBuf::from(p);
    }
    let out = Command::new(env!("CARGO"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "build",
            "--release",
            "-p",
            "opsdeck",
            "-p",
            "opsdeck-sim",
            "--bin",
            "opsdeck-sim",
        ])
        .arg("--message-format=json-render-diagnostics")
        .stderr(Stdio::inherit())
        .output()
        .expect("cargo build opsdeck-sim");
    assert!(out.status.success(), "building opsdeck-sim failed");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == "opsdeck-sim")
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
        .expect("cargo named no opsdeck-sim executable")
}

/// The simulator's process, driven through its stdin and stdout.
struct SimProcess {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: mpsc::Receiver<String>,
}

impl SimProcess {
    /// Starts it and waits for its ready line.
    fn start(pods: usize) -> (SimProcess, serde_json::Value) {
        let mut child = Command::new(sim_binary())
            .args(["--serve", "kube", "--kube-pods", &pods.to_string()])
            .args(["--kube-namespaces", &NAMESPACES.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start opsdeck-sim");
        let stdout = child.stdout.take().expect("stdout");
        let mut stderr = child.stderr.take().expect("stderr");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        // Its instructions are for people; kept in case it fails to start.
        let said = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            text
        });
        let stdin = child.stdin.take();
        let sim = SimProcess {
            child,
            stdin,
            lines,
        };
        match sim.next_json(Duration::from_secs(120)) {
            Some(ready) => (sim, ready),
            None => {
                drop(sim);
                panic!(
                    "opsdeck-sim did not get ready: {}",
                    said.join().unwrap_or_default()
                );
            }
        }
    }

    fn next_json(&self, wait: Duration) -> Option<serde_json::Value> {
        let line = self.lines.recv_timeout(wait).ok()?;
        serde_json::from_str(&line).ok()
    }

    /// One line of the simulator's control protocol; the number it answers
    /// under `field`.
    fn control(&mut self, line: &str, field: &str) -> usize {
        let stdin = self.stdin.as_mut().expect("stdin");
        writeln!(stdin, "{line}").expect("send a control line");
        let answer = self
            .next_json(Duration::from_secs(60))
            .unwrap_or_else(|| panic!("no answer to {line}"));
        answer[field].as_u64().unwrap_or(0) as usize
    }

    /// The simulator modifies `n` pods; returns how many events it emitted.
    fn burst(&mut self, n: usize) -> usize {
        self.control(&format!("kube-burst {n}"), "kube_burst")
    }

    fn rss_kib(&self) -> u64 {
        vm_kib_of(&self.child.id().to_string(), "VmRSS")
    }

    /// Closing stdin is its signal to stop and remove its files.
    fn stop(mut self) {
        self.stdin = None;
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for SimProcess {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

fn mib(kib: u64) -> String {
    format!(
        "{:.1} MiB ({:.1} MB)",
        kib as f64 / 1024.0,
        kib as f64 * 1.024 / 1000.0
    )
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let pods = std::env::var("OPSDECK_KUBE_BENCH_PODS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|n| *n > 0)
        .unwrap_or(if full { PODS } else { 500 });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let (mut sim, ready) = SimProcess::start(pods);
        let kubeconfig = PathBuf::from(ready["kubeconfig"].as_str().expect("kubeconfig"));
        let events = sim.control(&format!("kube-events {pods}"), "kube_events");
        let sets = sim.control(&format!("kube-replicasets {}", pods / 5), "kube_replicasets");
        println!("simulator: {pods} pods, {events} events, {sets} ReplicaSets");
        let api_list = big::api_list_time(&kubeconfig).await;
        let rss_before = vm_kib("VmRSS");
        let (tx, mut rx) = tokio::sync::mpsc::channel(1024);
        let mut state = State::new(Settings::default(), KeyMap::default());
        state.tab = Tab::Kubernetes;
        update(&mut state, Msg::Resize { width: 200, height: 50 });
        let scope = KubeScope { namespace: NamespaceScope::All, ..KubeScope::default() };
        state.kube.scope = scope.clone();
        let started = Instant::now();
        let _commands = kube::spawn(
            KubeOptions { kubeconfig: Some(kubeconfig), scope, danger: Vec::new() },
            tx,
        );
        let deadline = started + Duration::from_secs(120);
        // Where the memory goes: the kubeconfig read and the client built
        // (TLS, HTTP stack) before any pod, then the first rows.
        let mut rss_client = None;
        let mut rss_first_rows = None;
        while pods_in(&state) < pods && Instant::now() < deadline {
            if let Ok(Some(msg)) = tokio::time::timeout(Duration::from_secs(1), rx.recv()).await {
                if matches!(msg, Msg::Kube(opsdeck::core::kube_msg::KubeEvent::Contexts { .. })) {
                    rss_client.get_or_insert(vm_kib("VmRSS"));
                }
                update(&mut state, msg);
                if pods_in(&state) > 0 {
                    rss_first_rows.get_or_insert(vm_kib("VmRSS"));
                }
            }
        }
        let listed = started.elapsed();
        println!("{pods} pods in {NAMESPACES} namespaces: all listed in the pane after {listed:.1?}");
        println!(
            "the API's own list of them (pages of 500): {api_list:.1?}; the pane took {:.2}x \
             (budget <= 2x)",
            listed.as_secs_f64() / api_list.as_secs_f64().max(1e-9)
        );
        // The ReplicaSets' and warnings' watches finish their lists too
        // before memory is read: applied until a second goes by quietly.
        while let Ok(Some(msg)) = tokio::time::timeout(Duration::from_secs(1), rx.recv()).await {
            update(&mut state, msg);
        }
        println!(
            "watched beside the pods: {} ReplicaSets, {} warning events (of {events} events)",
            state.kube.rs_owners.len(),
            state.kube.warnings.len(),
        );
        println!(
            "memory of this process (the opsdeck side; the simulator runs in its own): \
             RSS {} before the source started, {} with the pods loaded, peak {} \
             (budget < 80 MB for the whole opsdeck process); simulator process RSS {}",
            mib(rss_before),
            mib(vm_kib("VmRSS")),
            mib(vm_kib("VmHWM")),
            mib(sim.rss_kib()),
        );

        println!(
            "memory steps: RSS {} with the kubeconfig read and the client built, {} when \
             the first list was in the pane",
            mib(rss_client.unwrap_or(0)),
            mib(rss_first_rows.unwrap_or(0)),
        );

        // A burst: the simulator modifies every pod; time only `update`.
        let emitted = sim.burst(pods);
        let mut applied = 0usize;
        let mut in_update = Duration::ZERO;
        let burst_deadline = Instant::now() + Duration::from_secs(60);
        let mut cpu_in_update = Duration::ZERO;
        let before = pods_in(&state);
        while Instant::now() < burst_deadline {
            match tokio::time::timeout(Duration::from_millis(500), rx.recv()).await {
                Ok(Some(msg)) => {
                    let (t, cpu) = (Instant::now(), thread_cpu());
                    update(&mut state, msg);
                    in_update += t.elapsed();
                    cpu_in_update += thread_cpu().saturating_sub(cpu);
                    applied += 1;
                }
                _ => break,
            }
        }
        // The loop runs this once per batch it applied (what newly broke).
        let (t, cpu) = (Instant::now(), thread_cpu());
        update(&mut state, Msg::BatchDone);
        let batch_done = t.elapsed();
        in_update += batch_done;
        cpu_in_update += thread_cpu().saturating_sub(cpu);
        // Wall time counts the moments the UI thread waits for a core while
        // the workers parse the burst (2 cores, and the simulator beside);
        // the thread's CPU time is update's own work.
        println!(
            "burst of {emitted} watch events: {applied} messages applied, {in_update:.2?} \
             spent in update (budget < 50 ms), of which the what-broke pass {batch_done:.2?}; \
             update's own CPU time {cpu_in_update:.2?}; pods now {} (was {before})",
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
        println!(
            "memory at the end (burst applied, rendered): RSS {}, peak {}",
            mib(vm_kib("VmRSS")),
            mib(vm_kib("VmHWM")),
        );
        // jemalloc hands freed pages back on its own (decay of 1 s, see
        // lib.rs): the figure a moment later is what an idle cockpit holds.
        tokio::time::sleep(Duration::from_millis(1500)).await;
        println!(
            "memory 1.5 s after the burst (freed pages handed back): RSS {}",
            mib(vm_kib("VmRSS")),
        );
        sim.stop();
        drop(state);
        big::list_without_stall(pods * 5).await;
    });
}

#[path = "kube_parts/big.rs"]
mod big;
