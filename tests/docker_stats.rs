//! The CPU and MEM figures against a REAL Docker engine: what the cgroup
//! files give agrees with the engine's own stats, and a quiet row that
//! gets busy shows it within seconds through the real stats task.
//!
//! Needs an engine at DOCKER_HOST with the busybox image (see
//! tests/docker_engine.rs); skips without one unless
//! `OPSDECK_REQUIRE_DOCKER=1` (CI), where it fails.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

use std::time::{Duration, Instant};

use bollard::Docker;
use bollard::exec::StartExecOptions;
use bollard::models::{ContainerCreateBody, ExecConfig};
use bollard::query_parameters::{
    CreateContainerOptions, KillContainerOptions, RemoveContainerOptions, StartContainerOptions,
    StatsOptions,
};
use futures::StreamExt;
use opsdeck::core::effect::DockerCommand;
use opsdeck::core::msg::{DockerEvent, Msg};
use opsdeck::sources::docker::{self, cgroup, stats_rule};
use tokio::sync::mpsc;

#[allow(dead_code)] // each test file uses part of it
#[path = "support/engine.rs"]
mod engine_kit;
use engine_kit::required;

const BUSY: &str = "while :; do :; done";
const IDLE: &str = "while :; do sleep 1; done";

async fn engine() -> Option<(Docker, String, String)> {
    let host = docker::describe_host(None);
    let image =
        std::env::var("OPSDECK_TEST_IMAGE").unwrap_or_else(|_| "opsdeck-busybox:latest".into());
    let problem = match docker::connect(&host).await {
        Ok(d) => match d.inspect_image(&image).await {
            Ok(_) => return Some((d, image, host)),
            Err(e) => format!("image {image} missing at {host} ({e})"),
        },
        Err(e) => format!("no Docker engine at {host}: {e}"),
    };
    assert!(!required(), "OPSDECK_REQUIRE_DOCKER=1 but {problem}");
    eprintln!("skipping Docker stats test: {problem}");
    None
}

/// A started container running `script`; removed by `Gone` on drop.
async fn run(d: &Docker, image: &str, tag: &str, script: &str) -> (String, Gone) {
    let name = format!("opsdeck-test-stats-{tag}-{}", std::process::id());
    let body = ContainerCreateBody {
        image: Some(image.to_string()),
        cmd: Some(vec!["sh".into(), "-c".into(), script.into()]),
        ..Default::default()
    };
    let options = CreateContainerOptions {
        name: Some(name.clone()),
        ..Default::default()
    };
    let _ = d.remove_container(&name, Some(force())).await;
    let id = d.create_container(Some(options), body).await.unwrap().id;
    d.start_container(&id, None::<StartContainerOptions>)
        .await
        .unwrap();
    (id.clone(), Gone(d.clone(), id))
}

fn force() -> RemoveContainerOptions {
    RemoveContainerOptions {
        force: true,
        ..Default::default()
    }
}

struct Gone(Docker, String);

impl Drop for Gone {
    fn drop(&mut self) {
        let (d, id) = (self.0.clone(), self.1.clone());
        // The test's runtime is ending: remove on a runtime of its own.
        std::thread::spawn(move || {
            let rt = tokio::runtime::Runtime::new().unwrap();
            let _ = rt.block_on(d.remove_container(&id, Some(force())));
        })
        .join()
        .ok();
    }
}

/// The engine's own memory figure for the container, as `docker stats`
/// computes it (usage without the inactive page cache).
async fn engine_memory(d: &Docker, id: &str) -> u64 {
    let options = StatsOptions {
        stream: false,
        one_shot: true,
    };
    let s = d.stats(id, Some(options)).next().await.unwrap().unwrap();
    let m = s.memory_stats.unwrap();
    let st = m.stats.unwrap_or_default();
    let cache = st
        .get("total_inactive_file")
        .or_else(|| st.get("inactive_file"))
        .copied()
        .unwrap_or(0);
    m.usage.unwrap().saturating_sub(cache)
}

#[tokio::test]
async fn cgroup_files_agree_with_the_engines_own_stats() {
    let Some((d, image, host)) = engine().await else {
        return;
    };
    if !host.starts_with("unix://") {
        eprintln!("skipping: {host} is not a local engine, its cgroups are not here");
        return;
    }
    let (busy, _g1) = run(&d, &image, "busy", BUSY).await;
    let (idle, _g2) = run(&d, &image, "idle", IDLE).await;
    let mut found = Vec::new();
    for id in [&busy, &idle] {
        let pid = d
            .inspect_container(id, None)
            .await
            .unwrap()
            .state
            .unwrap()
            .pid
            .unwrap();
        // CI's engine runs on this machine: its containers' cgroups must be found.
        let files = cgroup::locate(pid, id)
            .unwrap_or_else(|| panic!("no readable cgroup for container {id} (pid {pid})"));
        found.push(files);
    }
    let before: Vec<_> = found.iter().map(|f| f.read().unwrap()).collect();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after: Vec<_> = found.iter().map(|f| f.read().unwrap()).collect();
    let busy_cpu = stats_rule::cpu_between(&before[0], &after[0]).unwrap();
    let idle_cpu = stats_rule::cpu_between(&before[1], &after[1]).unwrap();
    // A shell spinning takes most of a CPU; one asleep next to nothing.
    assert!(busy_cpu > 50.0, "busy container at {busy_cpu:.1} %");
    assert!(idle_cpu < 5.0, "idle container at {idle_cpu:.1} %");
    // Memory: the engine reads the same counters; a sleeping shell's
    // figure barely moves between the two reads.
    let ours = found[1].read().unwrap().mem_bytes;
    let engines = engine_memory(&d, &idle).await;
    let apart = ours.abs_diff(engines);
    assert!(
        apart <= 256 * 1024,
        "memory {ours} B from the cgroup, {engines} B from the engine"
    );
    assert!(ours > 0);
    // Stopped: the files held open no longer read, which ends the task.
    d.kill_container(&busy, None::<KillContainerOptions>)
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while found[0].read().is_ok() {
        assert!(
            Instant::now() < deadline,
            "a stopped container's cgroup still reads"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_quiet_row_that_gets_busy_shows_it_within_seconds() {
    let Some((d, image, host)) = engine().await else {
        return;
    };
    let (id, _gone) = run(&d, &image, "wakes", IDLE).await;
    let (tx, mut rx) = mpsc::channel(256);
    let commands = docker::spawn(host, tx);
    commands
        .send(DockerCommand::WatchStats {
            ids: vec![id.clone()],
        })
        .unwrap();
    // Quiet first: figures arrive, then none while nothing changes, which
    // is when the task slows down to a read every POLL_EVERY.
    let quiet_since = loop {
        let (cpu, at) = next_usage(&mut rx, &id, Duration::from_secs(20)).await;
        if cpu < 1.0 {
            break at;
        }
    };
    let quiet_for = Duration::from_secs(u64::from(stats_rule::QUIET_AFTER) + 2);
    while quiet_since.elapsed() < quiet_for {
        let next = tokio::time::timeout(Duration::from_millis(200), rx.recv()).await;
        if let Ok(Some(msg)) = next
            && let Some(cpu) = usage_of(&msg, &id)
        {
            assert!(cpu < 5.0, "an idle container reported {cpu:.1} %");
        }
    }
    // Busy now: a second process spinning in the same container.
    let exec = d
        .create_exec(
            &id,
            ExecConfig {
                cmd: Some(vec!["sh".to_string(), "-c".to_string(), BUSY.to_string()]),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .id;
    let options = StartExecOptions {
        detach: true,
        ..Default::default()
    };
    d.start_exec(&exec, Some(options)).await.unwrap();
    let woke = Instant::now();
    // Within a poll, plus one second for the sample to have a second
    // reading, plus slack for a loaded machine.
    let budget = stats_rule::POLL_EVERY + Duration::from_secs(4);
    loop {
        let left = budget.saturating_sub(woke.elapsed());
        assert!(
            !left.is_zero(),
            "the busy container did not show in {budget:?}"
        );
        let (cpu, _) = next_usage(&mut rx, &id, left).await;
        if cpu > 50.0 {
            eprintln!("busy shown {:?} after it began", woke.elapsed());
            break;
        }
    }
}

fn usage_of(msg: &Msg, id: &str) -> Option<f64> {
    match msg {
        Msg::Docker(DockerEvent::Usage { id: of, usage }) if of == id => Some(usage.cpu_percent),
        _ => None,
    }
}

async fn next_usage(rx: &mut mpsc::Receiver<Msg>, id: &str, within: Duration) -> (f64, Instant) {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let msg = tokio::time::timeout_at(deadline, rx.recv())
            .await
            .unwrap_or_else(|_| panic!("no CPU figure for {id} within {within:?}"))
            .expect("source task alive");
        if let Some(cpu) = usage_of(&msg, id) {
            return (cpu, Instant::now());
        }
    }
}
