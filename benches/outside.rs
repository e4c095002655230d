//! opsdeck measured from the outside: the release binary in a pseudo-
//! terminal, against a REAL Docker engine (DOCKER_HOST) with a workload
//! this bench creates and removes: 300 running containers (50 of them
//! logging 5 lines/s), 10 exited ones, one with a 200,000-line log, and two
//! that write on cue.
//!
//! Run: `eval "$(bash .ci/docker-engine.sh up)"; cargo bench --bench outside`
//! (`OPSDECK_BIN=path` measures another build; `OPSDECK_OUTSIDE_QUIET=N`
//! and `OPSDECK_OUTSIDE_ONLY=parts` make a smaller, quicker run: see
//! `engine::quiet` and `wants`). Prints a table of figures
//! against the budgets and writes it as markdown to target/outside-bench.md.
//! Skips, saying why, when no engine answers. Takes about four minutes.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

#[allow(dead_code)]
#[path = "../tests/support/pty.rs"]
mod pty;

#[path = "outside/engine.rs"]
mod engine;
#[path = "outside/idle.rs"]
mod idle;
#[path = "outside/latency.rs"]
mod latency;
#[path = "outside/launch.rs"]
mod launch;
#[path = "outside/logs.rs"]
mod logs;
#[path = "outside/procfs.rs"]
mod procfs;
#[path = "outside/report.rs"]
mod report;
#[path = "outside/startup.rs"]
mod startup;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use engine::{Cleanup, Engine, PROJECT};
use launch::{COLS, Launch, ROWS, STEP};
use report::Report;

fn main() -> ExitCode {
    // `cargo bench` passes `--bench`; a filter that does not name us means
    // another bench was asked for.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if args.iter().any(|a| !"outside".contains(a.as_str())) {
        return ExitCode::SUCCESS;
    }
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("outside: cannot start a runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let engine = match Engine::connect(&rt) {
        Ok(e) => e,
        Err(why) => {
            println!(
                "outside: SKIPPED, no usable Docker engine: {why}\n\
                 outside: start one with `eval \"$(bash .ci/docker-engine.sh up)\"`, then rerun"
            );
            return ExitCode::SUCCESS;
        }
    };
    match run(&engine, &rt) {
        Ok(report) => {
            println!("\n{}", report.table());
            let path = report_path();
            match std::fs::write(&path, report.markdown()) {
                Ok(()) => println!("outside: written to {}", path.display()),
                Err(e) => eprintln!("outside: cannot write {}: {e}", path.display()),
            }
            println!("outside: {} budget misses or failures", report.misses());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("outside: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(engine: &Engine, rt: &tokio::runtime::Runtime) -> Result<Report, String> {
    let leftovers = engine.remove_all(rt);
    if leftovers > 0 {
        eprintln!("outside: removed {leftovers} containers left by an earlier run");
    }
    let dir = tempfile::Builder::new()
        .prefix("opsdeck-outside-")
        .tempdir()
        .map_err(|e| format!("temp dir: {e}"))?;
    // A private copy: the shared target dir may be rebuilt under us.
    let source = pty::opsdeck_bin();
    let bin = dir.path().join("opsdeck");
    std::fs::copy(&source, &bin).map_err(|e| format!("copy {}: {e}", source.display()))?;
    let launch = Launch {
        bin,
        docker_host: engine.host.clone(),
        dir: dir.path().to_path_buf(),
    };
    let ticks = procfs::clock_ticks_per_sec();
    let mut report = Report::default();
    report.context.push(format!("binary: {}", source.display()));
    report
        .context
        .push(format!("engine: {} (image {})", engine.host, engine.image));
    report.context.push(format!(
        "terminal {COLS}x{ROWS}; workload: {} running at 5 lines/s, {} running quietly, {} exited, {} with {} lines, 2 that write on cue",
        engine::RUNNING,
        engine::quiet(),
        engine::EXITED,
        engine::BIG,
        engine::BIG_LINES
    ));

    eprintln!("outside: creating the workload");
    let _cleanup = Cleanup { engine, rt };
    engine.create_workload(rt)?;
    let load_start = procfs::load_average();

    eprintln!("outside: dockerd baseline ({} s)", idle::WINDOW.as_secs());
    let baseline = idle::dockerd_baseline(ticks);

    if wants("startup") {
        eprintln!("outside: start-up and quit");
        startup::measure(&launch, engine, rt, &mut report);
    }

    if wants("idle") || wants("keys") || wants("logs") {
        eprintln!("outside: the long-running instance (about 2 minutes)");
        let (mut pty, spawned) = launch.spawn(None)?;
        // By name the quiet ones come first: any of them means the list is up.
        pty.wait_for(&format!("{PROJECT}-idle-"), STEP)?;
        if wants("idle") {
            idle::measure(&pty, spawned, ticks, baseline, &mut report);
        }
        if wants("keys") {
            latency::keys_on_list(&pty, &mut report);
        }
        if wants("logs") {
            latency::logs_open(&pty, &mut report);
            logs::freshness(&pty, engine, rt, &mut report);
            logs::lost_lines(&pty, engine, rt, dir.path(), &mut report);
        }
        if let Ok(rss) = procfs::rss_bytes(pty.pid()) {
            report.info(
                "c2",
                "RSS at the end of the long run",
                format!("{} MiB", report::num(rss as f64 / 1024.0 / 1024.0)),
                "after the log views above (10,000-line log among them) were opened and closed"
                    .into(),
            );
        }
        pty.send("q")?;
        pty.wait_exit(Duration::from_secs(5))?;
    }

    if wants("biglog") {
        eprintln!("outside: key latency in a 200,000-line log");
        latency::keys_in_big_log(&launch, &mut report);
    }

    report.context.push(format!(
        "1-min load average at start {load_start}, at end {} (2 shared cores: other builds add noise)",
        procfs::load_average()
    ));
    Ok(report)
}

/// `OPSDECK_OUTSIDE_ONLY=startup,idle` runs only those parts (of startup,
/// idle, keys, logs, biglog), for a quicker run while iterating; unset runs
/// all of them.
fn wants(part: &str) -> bool {
    match std::env::var("OPSDECK_OUTSIDE_ONLY") {
        Ok(only) if !only.trim().is_empty() => only.split(',').any(|p| p.trim() == part),
        _ => true,
    }
}

fn report_path() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("outside-bench.md")
}
