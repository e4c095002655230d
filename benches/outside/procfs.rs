//! What the kernel says about a process: resident memory and CPU time.

use std::path::Path;
use std::time::Instant;

/// Resident set size in bytes (`VmRSS` of /proc/PID/status).
pub fn rss_bytes(pid: u32) -> Result<u64, String> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .map_err(|e| format!("/proc/{pid}/status: {e}"))?;
    let line = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .ok_or_else(|| format!("no VmRSS for {pid}"))?;
    let kib: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| format!("bad VmRSS line {line:?}"))?;
    Ok(kib * 1024)
}

/// User plus system CPU time of a process, in clock ticks.
pub fn cpu_ticks(pid: u32) -> Result<u64, String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map_err(|e| format!("/proc/{pid}/stat: {e}"))?;
    // The command name (field 2) may hold spaces and parentheses: fields
    // are counted from the last ')'.
    let after = stat
        .rfind(')')
        .and_then(|i| stat.get(i + 1..))
        .ok_or_else(|| format!("bad stat for {pid}"))?;
    let fields: Vec<&str> = after.split_whitespace().collect();
    // After ')': state is field 3, so utime (14) and stime (15) sit at 11 and 12.
    let utime: u64 = fields
        .get(11)
        .and_then(|v| v.parse().ok())
        .ok_or("no utime")?;
    let stime: u64 = fields
        .get(12)
        .and_then(|v| v.parse().ok())
        .ok_or("no stime")?;
    Ok(utime + stime)
}

pub fn clock_ticks_per_sec() -> u64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
        .filter(|&t| t > 0)
        .unwrap_or(100)
}

/// A CPU-time reading of one process at one moment.
#[derive(Clone, Copy)]
pub struct CpuMark {
    ticks: u64,
    at: Instant,
}

pub fn cpu_mark(pid: u32) -> Result<CpuMark, String> {
    Ok(CpuMark {
        ticks: cpu_ticks(pid)?,
        at: Instant::now(),
    })
}

/// Percent of one core used between two marks.
pub fn cpu_percent(from: CpuMark, to: CpuMark, ticks_per_sec: u64) -> f64 {
    let wall = to.at.duration_since(from.at).as_secs_f64();
    if wall <= 0.0 {
        return 0.0;
    }
    let cpu = to.ticks.saturating_sub(from.ticks) as f64 / ticks_per_sec as f64;
    cpu / wall * 100.0
}

/// dockerd's pid: from the pidfile of the engine CI starts, else the first
/// process named `dockerd`.
pub fn dockerd_pid() -> Option<u32> {
    let state =
        std::env::var("OPSDECK_ENGINE_STATE").unwrap_or_else(|_| "/var/tmp/opsdeck-ci".into());
    let pidfile = Path::new(&state).join("dockerd.pid");
    if let Some(pid) = std::fs::read_to_string(pidfile)
        .ok()
        .and_then(|s| s.trim().parse::<u32>().ok())
        .filter(|pid| is_named(*pid, "dockerd"))
    {
        return Some(pid);
    }
    let entries = std::fs::read_dir("/proc").ok()?;
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .find(|pid| is_named(*pid, "dockerd"))
}

fn is_named(pid: u32, name: &str) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/comm")).is_ok_and(|c| c.trim() == name)
}

/// The 1-minute load average, to judge how noisy the machine was.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

/// Sleeps until `deadline` (no-op if it has passed).
pub fn sleep_until(deadline: Instant) {
    let now = Instant::now();
    if deadline > now {
        std::thread::sleep(deadline - now);
    }
}
