//! A local container's CPU and memory read from the kernel's cgroup files,
//! the same counters the engine reads to answer a stats request
//! (kernel docs: admin-guide/cgroup-v2.rst `cpu.stat`, `memory.current`,
//! `memory.stat`, `memory.max`; cgroup-v1/cpuacct.rst `cpuacct.usage`,
//! cgroup-v1/memory.rst `memory.usage_in_bytes`, `memory.stat`,
//! `memory.limit_in_bytes`).
//!
//! Why: a stats request costs the engine a cgroup read plus JSON, and
//! opsdeck a connection, an HTTP exchange and a JSON parse; reading four
//! small files costs neither process more than a few system calls. So for
//! an engine on a local socket whose containers' processes this machine
//! can see, the stats task reads the files and asks the engine nothing.
//! Anything else (a remote engine, Docker Desktop's VM, a cgroup namespace
//! that hides the path) falls back to the engine's stats API.
//!
//! A container is found through its main process: `/proc/PID/cgroup`
//! names its cgroup, which must contain the container's full id (Docker
//! names it `docker-ID.scope` or `docker/ID`, Podman `libpod-ID.scope`),
//! so a pid from another machine's process table is never taken for it.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Instant;

use super::stats_rule::Counters;

/// Where one container's counters live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CgroupPaths {
    cpu: CpuFile,
    memory_usage: PathBuf,
    memory_stat: PathBuf,
    memory_limit: PathBuf,
    /// The memory.stat line `docker stats` takes the page cache from:
    /// `inactive_file` on v2, `total_inactive_file` (children included)
    /// on v1, as the docker CLI computes "MEM USAGE".
    inactive_key: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum CpuFile {
    /// cgroup v2 `cpu.stat`, whose `usage_usec` line counts µs.
    Stat(PathBuf),
    /// cgroup v1 `cpuacct.usage`: one number, in ns.
    Usage(PathBuf),
}

/// One cgroup hierarchy mounted on this machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    /// The cgroup path of the mount's root (`/` unless a namespace or a
    /// bind mount shows only part of the hierarchy).
    root: String,
    at: PathBuf,
    /// v1 controllers of the hierarchy (`cpuacct`, `memory`, …); empty
    /// for the v2 unified hierarchy.
    controllers: Vec<String>,
    v2: bool,
}

/// The cgroup mounts of this machine, read once from /proc/self/mountinfo.
fn mounts() -> &'static [Mount] {
    static MOUNTS: OnceLock<Vec<Mount>> = OnceLock::new();
    MOUNTS.get_or_init(|| {
        std::fs::read_to_string("/proc/self/mountinfo")
            .map(|text| parse_mountinfo(&text))
            .unwrap_or_default()
    })
}

/// The files of container `id` whose main process is `pid`, or None when
/// they cannot be read here (then the engine is asked instead).
pub fn locate(pid: i64, id: &str) -> Option<CgroupFiles> {
    if pid <= 0 || id.len() < 32 {
        return None;
    }
    let text = std::fs::read_to_string(format!("/proc/{pid}/cgroup")).ok()?;
    let files = locate_in(mounts(), &text, id)?.open().ok()?;
    // One read proves the files hold counters this user may read.
    files.read().ok()?;
    Some(files)
}

/// `locate` without the reads of /proc: the mounts and the process's
/// cgroup file's text given.
pub fn locate_in(mounts: &[Mount], proc_cgroup: &str, id: &str) -> Option<CgroupPaths> {
    let mut v2_path = None;
    let mut v1_paths: Vec<(Vec<&str>, &str)> = Vec::new();
    for line in proc_cgroup.lines() {
        // hierarchy-ID:controller-list:cgroup-path
        let mut parts = line.splitn(3, ':');
        let (Some(hierarchy), Some(list), Some(path)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        if !path.contains(id) {
            continue;
        }
        if hierarchy == "0" && list.is_empty() {
            v2_path = Some(path);
        } else {
            v1_paths.push((list.split(',').collect(), path));
        }
    }
    if let Some(dir) = v2_path.and_then(|p| v2_dir(mounts, p)) {
        // A hybrid machine mounts v2 without the memory controller: its
        // directory has cpu.stat but no memory.current. Then v1 counts.
        if dir.join("memory.current").exists() {
            return Some(CgroupPaths {
                cpu: CpuFile::Stat(dir.join("cpu.stat")),
                memory_usage: dir.join("memory.current"),
                memory_stat: dir.join("memory.stat"),
                memory_limit: dir.join("memory.max"),
                inactive_key: "inactive_file",
            });
        }
    }
    let v1_dir = |controller: &str| {
        let (_, path) = v1_paths
            .iter()
            .find(|(list, _)| list.contains(&controller))?;
        let mount = mounts
            .iter()
            .find(|m| !m.v2 && m.controllers.iter().any(|c| c == controller))?;
        join_mount(mount, path)
    };
    let cpu = v1_dir("cpuacct")?;
    let memory = v1_dir("memory")?;
    Some(CgroupPaths {
        cpu: CpuFile::Usage(cpu.join("cpuacct.usage")),
        memory_usage: memory.join("memory.usage_in_bytes"),
        memory_stat: memory.join("memory.stat"),
        memory_limit: memory.join("memory.limit_in_bytes"),
        inactive_key: "total_inactive_file",
    })
}

fn v2_dir(mounts: &[Mount], path: &str) -> Option<PathBuf> {
    join_mount(mounts.iter().find(|m| m.v2)?, path)
}

/// The directory of cgroup `path` under `mount`; None when the mount
/// shows another part of the hierarchy.
fn join_mount(mount: &Mount, path: &str) -> Option<PathBuf> {
    let below = if mount.root == "/" {
        path
    } else {
        path.strip_prefix(mount.root.as_str())?
    };
    Some(mount.at.join(below.trim_start_matches('/')))
}

impl CgroupPaths {
    /// Opens the files once: each later read is one `pread` per file,
    /// where opening them again would cost a path walk and two more
    /// system calls each (about 47 µs a sample against 14 µs, measured on
    /// a v1 machine).
    pub fn open(&self) -> std::io::Result<CgroupFiles> {
        let (cpu_path, cpu_in_usec) = match &self.cpu {
            CpuFile::Stat(path) => (path, true),
            CpuFile::Usage(path) => (path, false),
        };
        Ok(CgroupFiles {
            cpu: File::open(cpu_path)?,
            cpu_in_usec,
            memory_usage: File::open(&self.memory_usage)?,
            memory_stat: File::open(&self.memory_stat)?,
            memory_limit: File::open(&self.memory_limit)?,
            inactive_key: self.inactive_key,
        })
    }
}

/// One container's counter files, held open.
#[derive(Debug)]
pub struct CgroupFiles {
    cpu: File,
    /// `cpu.stat`'s `usage_usec` (v2) rather than `cpuacct.usage`'s ns (v1).
    cpu_in_usec: bool,
    memory_usage: File,
    memory_stat: File,
    memory_limit: File,
    inactive_key: &'static str,
}

impl CgroupFiles {
    /// The counters now, as a stats answer would give them; an error when
    /// the cgroup is gone (the container stopped: the kernel then fails
    /// reads of its files).
    pub fn read(&self) -> std::io::Result<Counters> {
        let mut buf = [0u8; 8192];
        let text = whole(&self.cpu, &mut buf, "cpu")?;
        let cpu_total = if self.cpu_in_usec {
            field(text, "usage_usec").map(|us| us.saturating_mul(1_000))
        } else {
            number(text)
        }
        .ok_or_else(|| unreadable("cpu"))?;
        let usage = number(whole(&self.memory_usage, &mut buf, "memory usage")?)
            .ok_or_else(|| unreadable("memory usage"))?;
        let cache = field(
            whole(&self.memory_stat, &mut buf, "memory.stat")?,
            self.inactive_key,
        )
        .unwrap_or(0);
        let limit = memory_limit(whole(&self.memory_limit, &mut buf, "memory limit")?);
        Ok(Counters {
            cpu_total,
            // The host's CPU time is wall time here: the share of one CPU
            // is then the container's CPU time over the wall time between
            // two readings, which is what the engine's formula comes to
            // (its host time counts every CPU, and it multiplies by their
            // number again).
            system_total: wall_ns(),
            online_cpus: 1,
            // As `docker stats`: usage without the inactive page cache.
            mem_bytes: if cache < usage { usage - cache } else { usage },
            mem_limit: limit,
        })
    }
}

/// The file's text from its start. cgroup files are generated whole on
/// each read from offset 0; every one of these fits the buffer, so a full
/// buffer means something else is there.
fn whole<'b>(file: &File, buf: &'b mut [u8], what: &str) -> std::io::Result<&'b str> {
    let n = file.read_at(buf, 0)?;
    if n == buf.len() {
        return Err(unreadable(what));
    }
    let bytes = buf.get(..n).unwrap_or_default();
    std::str::from_utf8(bytes).map_err(|_| unreadable(what))
}

/// "max" (v2) or a near-2^63 figure (v1) mean no limit; the engine then
/// reports the host's memory as the limit, and so does this.
fn memory_limit(text: &str) -> u64 {
    let host = host_memory();
    match number(text) {
        Some(limit) if host == 0 || limit < host => limit,
        _ => host,
    }
}

/// MemTotal of /proc/meminfo in bytes, read once; 0 when unknown.
fn host_memory() -> u64 {
    static TOTAL: OnceLock<u64> = OnceLock::new();
    *TOTAL.get_or_init(|| {
        std::fs::read_to_string("/proc/meminfo")
            .ok()
            .and_then(|text| {
                let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
                line.split_whitespace().nth(1)?.parse::<u64>().ok()
            })
            .map_or(0, |kib| kib * 1024)
    })
}

/// The moment every reading's wall time counts from, and the grid the
/// reads are lined up on.
fn origin() -> Instant {
    static ORIGIN: OnceLock<Instant> = OnceLock::new();
    *ORIGIN.get_or_init(Instant::now)
}

fn wall_ns() -> u64 {
    u64::try_from(origin().elapsed().as_nanos()).unwrap_or(u64::MAX)
}

/// When to read next, `every` apart: on a grid shared by every container,
/// so that the rows on screen are read in one wake-up of the runtime
/// rather than each on its own (45 quiet rows polled every 3 s woke the
/// process 15 times a second). At least half of `every` from `now`, so two
/// readings are never so close that their CPU share is noise.
pub fn next_beat(now: Instant, every: std::time::Duration) -> Instant {
    beat_after(origin(), now, every)
}

fn beat_after(origin: Instant, now: Instant, every: std::time::Duration) -> Instant {
    let every_ns = every.as_nanos().max(1);
    let earliest = now.saturating_duration_since(origin).as_nanos() + every_ns / 2;
    let beats = earliest.div_ceil(every_ns);
    let at = beats.saturating_mul(every_ns);
    origin + std::time::Duration::from_nanos(u64::try_from(at).unwrap_or(u64::MAX))
}

fn number(text: &str) -> Option<u64> {
    text.trim().parse().ok()
}

/// The value of the `key value` line of a flat-keyed cgroup file.
fn field(text: &str, key: &str) -> Option<u64> {
    text.lines().find_map(|line| {
        let (k, v) = line.split_once(' ')?;
        (k == key).then(|| v.trim().parse().ok()).flatten()
    })
}

fn unreadable(what: &str) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        format!("the cgroup's {what} file does not read as a counter"),
    )
}

/// The cgroup mounts in /proc/self/mountinfo's text (proc(5)): mount
/// root in field 4, mount point in field 5, then after ` - ` the file
/// system type and its super options, which name a v1 hierarchy's
/// controllers.
pub fn parse_mountinfo(text: &str) -> Vec<Mount> {
    text.lines()
        .filter_map(|line| {
            let (left, right) = line.split_once(" - ")?;
            let mut fields = left.split(' ');
            let root = fields.nth(3)?;
            let at = fields.next()?;
            let mut right = right.split(' ');
            let fstype = right.next()?;
            let options = right.nth(1).unwrap_or("");
            let v2 = match fstype {
                "cgroup2" => true,
                "cgroup" => false,
                _ => return None,
            };
            let controllers = if v2 {
                Vec::new()
            } else {
                options
                    .split(',')
                    .filter(|o| !matches!(*o, "rw" | "ro") && !o.contains('='))
                    .map(str::to_string)
                    .collect()
            };
            Some(Mount {
                root: unescape(root),
                at: PathBuf::from(unescape(at)),
                controllers,
                v2,
            })
        })
        .collect()
}

/// mountinfo writes a space, tab, newline or backslash in a path as an
/// octal escape (`\040`).
fn unescape(field: &str) -> String {
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let octal = bytes.get(i + 1..i + 4).and_then(|d| {
            let s = std::str::from_utf8(d).ok()?;
            u8::from_str_radix(s, 8).ok()
        });
        match (bytes[i], octal) {
            (b'\\', Some(byte)) => {
                out.push(byte);
                i += 4;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
#[path = "cgroup_tests.rs"]
mod tests;
