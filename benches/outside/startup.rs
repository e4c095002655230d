//! (a) spawn to the workload on screen, and (j) `q` to process exit, over
//! several fresh starts.

use std::time::Duration;

use bollard::query_parameters::ListContainersOptions;
use tokio::runtime::Runtime;

use crate::engine::{Engine, PROJECT};
use crate::launch::{Launch, STEP, settle};
use crate::report::{Report, ms, quantile, spread};

const RUNS: usize = 7;

pub fn measure(launch: &Launch, engine: &Engine, rt: &Runtime, report: &mut Report) {
    engine_list(engine, rt, report);
    let mut to_list = Vec::new();
    let mut to_exit = Vec::new();
    let mut problems = Vec::new();
    for _ in 0..RUNS {
        match one(launch) {
            Ok((list, exit)) => {
                to_list.push(list);
                to_exit.push(exit);
            }
            Err(e) => problems.push(e),
        }
        // Let the engine and the page cache calm down between starts.
        std::thread::sleep(Duration::from_millis(500));
    }
    if to_list.is_empty() {
        let why = problems.first().cloned().unwrap_or_default();
        report.failed("a", "spawn -> workload listed", "<= 50 ms", why.clone());
        report.failed("j", "q -> process exit", "<= 100 ms", why);
        return;
    }
    let failures = if problems.is_empty() {
        String::new()
    } else {
        format!("; {} runs failed: {}", problems.len(), problems.join(" / "))
    };
    report.check(
        "a",
        "spawn -> workload listed (median)",
        ms(quantile(&to_list, 0.5)),
        50.0,
        "ms",
        format!(
            "fresh process to the first `{PROJECT}-idle-` row on screen; {}{failures}",
            spread(&to_list)
        ),
    );
    report.check(
        "j",
        "q -> process exit (median)",
        ms(quantile(&to_exit, 0.5)),
        100.0,
        "ms",
        format!(
            "key written to the pty until waitpid reports the exit (1 ms polling); {}",
            spread(&to_exit)
        ),
    );
}

fn one(launch: &Launch) -> Result<(Duration, Duration), String> {
    let (mut pty, start) = launch.spawn(None)?;
    let seen = pty.wait_until("the workload listed", STEP, |s| {
        s.contents().contains(&format!("{PROJECT}-idle-"))
    })?;
    let to_list = seen.when.duration_since(start);
    settle(&pty);
    pty.send("q")?;
    let (status, to_exit) = pty.wait_exit(Duration::from_secs(5))?;
    if !status.success() {
        return Err(format!("exit status {status:?}"));
    }
    if pty.alternate_screen() {
        return Err("left the alternate screen on".into());
    }
    Ok((to_list, to_exit))
}

/// The engine's own answer to the list opsdeck asks for on start (all
/// containers, no sizes), timed from here: the part of (a) that no change
/// in opsdeck can take away.
fn engine_list(engine: &Engine, rt: &Runtime, report: &mut Report) {
    let mut took = Vec::new();
    let mut rows = 0;
    for _ in 0..RUNS {
        let options = ListContainersOptions {
            all: true,
            ..Default::default()
        };
        let start = std::time::Instant::now();
        match rt.block_on(engine.docker.list_containers(Some(options))) {
            Ok(list) => {
                took.push(start.elapsed());
                rows = list.len();
            }
            Err(e) => {
                report.failed("a0", "the engine's own list", "-", e.to_string());
                return;
            }
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    report.info(
        "a0",
        "the engine's own list (median)",
        format!("{} ms", crate::report::num(ms(quantile(&took, 0.5)))),
        format!(
            "GET /containers/json?all=1 answered with {rows} containers, timed by the bench's \
             client; {}",
            spread(&took)
        ),
    );
}
