//! (c) memory after 30 s, (d) idle CPU, (e) dockerd's extra CPU and (f)
//! bytes written to the terminal while nothing is being done.

use std::time::{Duration, Instant};

use crate::engine::{EXITED, PROJECT};
use crate::launch::{STEP, back_to_list, filter, settle};
use crate::procfs::{cpu_mark, cpu_percent, dockerd_pid, rss_bytes, sleep_until};
use crate::pty::Pty;
use crate::report::{Report, num};

/// CPU time is counted in clock ticks (10 ms): over 30 s one tick is
/// 0.03 % of a core, fine enough for a 0.2 % goal (10 s gave 0.1 % steps).
pub const WINDOW: Duration = Duration::from_secs(30);

/// dockerd's CPU over `WINDOW` with the workload running and no opsdeck.
pub fn dockerd_baseline(ticks: u64) -> Result<f64, String> {
    let pid = dockerd_pid().ok_or("no dockerd process found")?;
    let from = cpu_mark(pid)?;
    std::thread::sleep(WINDOW);
    Ok(cpu_percent(from, cpu_mark(pid)?, ticks))
}

/// `pty` was spawned at `spawned` and shows the full list.
pub fn measure(
    pty: &Pty,
    spawned: Instant,
    ticks: u64,
    baseline: Result<f64, String>,
    report: &mut Report,
) {
    let pid = pty.pid();
    sleep_until(spawned + Duration::from_secs(30));
    match rss_bytes(pid) {
        Ok(rss) => report.check(
            "c",
            "RSS 30 s after start",
            rss as f64 / 1024.0 / 1024.0,
            30.0,
            "MiB",
            "VmRSS of /proc/PID/status, full list on screen, no log open".into(),
        ),
        Err(e) => report.failed("c", "RSS 30 s after start", "<= 30 MiB", e),
    }
    // Window 1: the full list (CPU/MEM columns refresh every second).
    let dockerd = dockerd_pid();
    let window = (|| -> Result<(f64, Option<f64>, f64), String> {
        let (cpu0, bytes0, t0) = (cpu_mark(pid)?, pty.bytes_received(), Instant::now());
        let d0 = dockerd.and_then(|d| cpu_mark(d).ok());
        std::thread::sleep(WINDOW);
        let (cpu1, bytes1, t1) = (cpu_mark(pid)?, pty.bytes_received(), Instant::now());
        let d1 = dockerd.and_then(|d| cpu_mark(d).ok());
        let dockerd_cpu = match (d0, d1) {
            (Some(a), Some(b)) => Some(cpu_percent(a, b, ticks)),
            _ => None,
        };
        let rate = (bytes1 - bytes0) as f64 / (t1 - t0).as_secs_f64();
        Ok((cpu_percent(cpu0, cpu1, ticks), dockerd_cpu, rate))
    })();
    let full = match window {
        Ok(w) => w,
        Err(e) => {
            report.failed("d", "idle CPU", "<= 0.5 %", e);
            return;
        }
    };
    let (cpu_full, dockerd_with, bytes_full) = full;
    report.check(
        "d",
        "idle CPU, full list",
        cpu_full,
        0.5,
        "% core",
        format!(
            "utime+stime over {} s, {} containers listed, stats for the visible rows (cgroup files on a local engine)",
            WINDOW.as_secs(),
            count_rows(pty)
        ),
    );
    match (baseline, dockerd_with) {
        (Ok(without), Some(with)) => report.info(
            "e",
            "dockerd extra CPU with opsdeck",
            format!("{} % core", num(with - without)),
            format!(
                "dockerd {} % without opsdeck, {} % with it (full list) over {} s each, workload running in both",
                num(without),
                num(with),
                WINDOW.as_secs()
            ),
        ),
        (Err(e), _) => report.failed("e", "dockerd extra CPU", "-", e),
        (_, None) => report.failed("e", "dockerd extra CPU", "-", "dockerd pid not readable".into()),
    }
    report.info(
        "f1",
        "terminal bytes/s at idle, full list",
        format!("{} B/s", num(bytes_full)),
        "no log open; CPU/MEM/uptime cells change every second, so some output is expected".into(),
    );
    // Window 2: only the exited containers: nothing on screen should change.
    let exited = format!("{PROJECT}-exit");
    if let Err(e) = filter(pty, &exited, EXITED) {
        report.failed("f2", "terminal bytes/s at idle, static list", "0 B/s", e);
        return;
    }
    std::thread::sleep(Duration::from_secs(2));
    let (cpu0, bytes0, t0) = (cpu_mark(pid), pty.bytes_received(), Instant::now());
    let screen0 = pty.screen_text();
    std::thread::sleep(WINDOW);
    let (cpu1, bytes1, t1) = (cpu_mark(pid), pty.bytes_received(), Instant::now());
    let rate = (bytes1 - bytes0) as f64 / (t1 - t0).as_secs_f64();
    let written = bytes1 - bytes0;
    let what = if written == 0 {
        String::new()
    } else {
        let tail = pty.recent_output(written.min(160) as usize);
        format!(
            "; last bytes written: {:?}; rows that differ after the window: {}",
            String::from_utf8_lossy(&tail),
            changed_rows(&screen0, &pty.screen_text())
        )
    };
    report.check(
        "f2",
        "terminal bytes/s at idle, exited only",
        rate,
        0.0,
        "B/s",
        format!(
            "filter \"{exited}\" shows only the {EXITED} exited containers; {written} bytes in {} s{what}",
            WINDOW.as_secs()
        ),
    );
    if let (Ok(a), Ok(b)) = (cpu0, cpu1) {
        report.check(
            "d2",
            "idle CPU, exited only",
            cpu_percent(a, b, ticks),
            0.5,
            "% core",
            "same window as f2: nothing on screen changes".into(),
        );
    }
    settle(pty);
    let _ = back_to_list(pty);
    let _ = pty.wait_for(&format!("{PROJECT}-idle-"), STEP);
}

fn count_rows(pty: &Pty) -> String {
    // The pane title reads " Docker │ N containers ".
    let text = pty.screen_text();
    text.split_whitespace()
        .collect::<Vec<_>>()
        .windows(2)
        .find(|w| w.get(1) == Some(&"containers"))
        .and_then(|w| w.first().map(|n| n.to_string()))
        .unwrap_or_else(|| "?".into())
}

/// The rows of `after` that differ from `before`, trimmed, or "none".
fn changed_rows(before: &str, after: &str) -> String {
    let rows: Vec<String> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .map(|(_, b)| format!("{:?}", b.trim()))
        .collect();
    if rows.is_empty() {
        "none".into()
    } else {
        rows.join(", ")
    }
}
