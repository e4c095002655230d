use bollard::Docker;
use bollard::models::ContainerStatsResponse;
use bollard::query_parameters::StatsOptions;
use futures::StreamExt;
use tokio::sync::mpsc;

use crate::core::msg::{DockerEvent, Msg};

use super::super::kit::StreamTasks;
use super::cgroup::{self, CgroupFiles};
use super::stats_rule::{Counters, POLL_EVERY, Pace, STREAM_EVERY, Sampler};

/// One stats task per running container on screen. A container whose
/// figures move is followed by a streaming request (the engine pushes a
/// sample a second over a connection held open); on a local socket, one
/// whose cells print the same for a few seconds is asked once every
/// `POLL_EVERY` instead. Only changed figures become messages (`stats_rule`).
pub struct StatsStreams {
    running: StreamTasks<String>,
    /// Quiet containers are polled only through a local socket, where a
    /// connection is cheap (see `Sampler::new`).
    may_poll: bool,
}

impl StatsStreams {
    pub fn for_host(host: &str) -> StatsStreams {
        StatsStreams {
            running: StreamTasks::default(),
            may_poll: host.starts_with("unix://"),
        }
    }

    /// Makes the set of streams exactly `ids`.
    pub fn set(&mut self, docker: &Docker, ids: &[String], tx: &mpsc::Sender<Msg>) {
        self.running.retain(|id| ids.contains(id));
        for id in ids {
            if !self.running.is_running(id) {
                let stream = one(docker.clone(), id.clone(), self.may_poll, tx.clone());
                self.running.start(id.clone(), stream);
            }
        }
    }

    pub fn stop_all(&mut self) {
        self.running.stop_all();
    }
}

/// Ends when the engine stops answering for the container (it stopped or
/// went away) or the loop is gone; a new view of it starts a new task.
async fn one(docker: Docker, id: String, may_poll: bool, tx: mpsc::Sender<Msg>) {
    let mut sampler = Sampler::new(may_poll);
    // A local engine's container whose cgroup this machine can read is
    // sampled from its files: the engine is asked nothing (see `cgroup`).
    if may_poll && let Some(files) = cgroup_files(&docker, &id).await {
        return from_cgroup(&files, &id, &mut sampler, &tx).await;
    }
    loop {
        let more = match sampler.pace() {
            Pace::Stream => stream(&docker, &id, &mut sampler, &tx).await,
            Pace::Poll => poll(&docker, &id, &mut sampler, &tx).await,
        };
        if !more {
            return;
        }
    }
}

/// Reads the held stream until the sampler asks for polling (true) or
/// the stream ends (false).
async fn stream(docker: &Docker, id: &str, sampler: &mut Sampler, tx: &mpsc::Sender<Msg>) -> bool {
    let options = StatsOptions {
        stream: true,
        one_shot: false,
    };
    let mut samples = docker.stats(id, Some(options));
    while let Some(Ok(sample)) = samples.next().await {
        if !take(sampler, id, &sample, tx).await {
            return false;
        }
        if sampler.pace() == Pace::Poll {
            // Dropping the stream closes its connection: the engine stops
            // collecting for it.
            return true;
        }
    }
    false
}

/// Waits `POLL_EVERY`, then asks for one sample. One-shot: the engine
/// answers with the reading it has (no second reading to wait for); the
/// sampler has the previous one to compute CPU use from.
async fn poll(docker: &Docker, id: &str, sampler: &mut Sampler, tx: &mpsc::Sender<Msg>) -> bool {
    tokio::time::sleep(POLL_EVERY).await;
    let options = StatsOptions {
        stream: false,
        one_shot: true,
    };
    let mut answer = docker.stats(id, Some(options));
    let sample = match answer.next().await {
        Some(Ok(sample)) => sample,
        _ => return false,
    };
    // Read to the end of the answer: only a finished response gives its
    // connection back to the client's pool for the next poll; one dropped
    // half-read is closed, and every poll would open a new one.
    while answer.next().await.is_some() {}
    take(sampler, id, &sample, tx).await
}

/// The container's cgroup files, found through its main process.
async fn cgroup_files(docker: &Docker, id: &str) -> Option<CgroupFiles> {
    let details = docker.inspect_container(id, None).await.ok()?;
    let pid = details.state?.pid?;
    let full_id = details.id?;
    cgroup::locate(pid, &full_id)
}

/// Reads the counters each second while they move and every `POLL_EVERY`
/// once they sit still, as the engine's stream and polls would; ends when
/// the cgroup is gone (the container stopped) or the loop is.
async fn from_cgroup(files: &CgroupFiles, id: &str, sampler: &mut Sampler, tx: &mpsc::Sender<Msg>) {
    loop {
        // A read of a few in-memory kernel files: no need to leave the
        // runtime's thread for it.
        let Ok(counters) = files.read() else {
            return;
        };
        if !send_usage(sampler, id, counters, tx).await {
            return;
        }
        let wait = match sampler.pace() {
            Pace::Stream => STREAM_EVERY,
            Pace::Poll => POLL_EVERY,
        };
        let at = cgroup::next_beat(std::time::Instant::now(), wait);
        tokio::time::sleep_until(tokio::time::Instant::from_std(at)).await;
    }
}

/// Feeds one answer to the sampler and sends what it says is worth it.
/// False when the loop is gone.
async fn take(
    sampler: &mut Sampler,
    id: &str,
    sample: &ContainerStatsResponse,
    tx: &mpsc::Sender<Msg>,
) -> bool {
    // An answer without counters (a container that just stopped) is
    // skipped: its task ends with the stream or the next poll.
    let Some(counters) = counters(sample) else {
        return true;
    };
    send_usage(sampler, id, counters, tx).await
}

/// Sends the figures when the sampler says they print differently.
async fn send_usage(
    sampler: &mut Sampler,
    id: &str,
    counters: Counters,
    tx: &mpsc::Sender<Msg>,
) -> bool {
    let Some(usage) = sampler.observe(counters) else {
        return true;
    };
    let msg = Msg::Docker(DockerEvent::Usage {
        id: id.to_string(),
        usage,
    });
    tx.send(msg).await.is_ok()
}

/// The counters of one answer; None when the engine left them out (a
/// stopped container's answer is all zeros and has no host CPU time).
fn counters(s: &ContainerStatsResponse) -> Option<Counters> {
    let cpu = s.cpu_stats.as_ref()?;
    let cpu_total = cpu.cpu_usage.as_ref()?.total_usage?;
    let system_total = cpu.system_cpu_usage.filter(|t| *t > 0)?;
    // Older engines give no CPU count but one figure per CPU.
    let online_cpus = cpu
        .online_cpus
        .or_else(|| {
            let per_cpu = cpu.cpu_usage.as_ref()?.percpu_usage.as_ref()?;
            u32::try_from(per_cpu.len()).ok()
        })
        .unwrap_or(1);
    let (mem_bytes, mem_limit) = super::convert::memory_from_stats(s);
    Some(Counters {
        cpu_total,
        system_total,
        online_cpus,
        mem_bytes,
        mem_limit,
    })
}
