//! The workload on the real engine: creating it, poking it, reading its
//! logs back, and removing every trace of it (also after a panic).

use std::collections::HashMap;
use std::time::Duration;

use bollard::Docker;
use bollard::container::LogOutput;
use bollard::models::{ContainerCreateBody, HostConfig};
use bollard::query_parameters::{
    CreateContainerOptions, KillContainerOptions, ListContainersOptions, LogsOptions,
    RemoveContainerOptions, WaitContainerOptions,
};
use futures::StreamExt;
use tokio::runtime::Runtime;

/// Every container the bench creates carries this label, so leftovers of
/// a killed run are found and removed by the next one.
pub const LABEL: &str = "opsdeck.bench";
pub const LABEL_VALUE: &str = "outside";
/// The compose project the workload is grouped under in opsdeck.
pub const PROJECT: &str = "obench";

/// Running containers that log 5 lines/s (the figures' earlier workload).
pub const RUNNING: usize = 50;
/// Running containers that stay quiet, so the list holds 300 running rows
/// (the size) while the log load stays the one measured before.
/// `OPSDECK_OUTSIDE_QUIET=N` sets another count (a quicker run while
/// iterating; the README's figures use the default).
pub fn quiet() -> usize {
    std::env::var("OPSDECK_OUTSIDE_QUIET")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(250)
}
pub const EXITED: usize = 10;
pub const BIG_LINES: u32 = 200_000;
pub const FRESH_LINES: u32 = 40;
pub const LOSSLESS_LINES: u32 = 10_000;

pub fn running_name(i: usize) -> String {
    format!("obench-run-{i:02}")
}
/// No filter the bench types matches these: not as one piece, and `idle`
/// starts no word of another name, so no abbreviation reaches them.
pub fn quiet_name(i: usize) -> String {
    format!("obench-idle-{i:03}")
}
pub fn exited_name(i: usize) -> String {
    format!("obench-exit-{i:02}")
}
// The filter is fuzzy over name, project, image and state: each of these
// names has a letter (j/m, f, w) that no other row's text holds, so
// filtering by the name leaves exactly that container.
pub const BIG: &str = "obench-jumbo";
pub const FRESH: &str = "obench-fresh";
pub const LOSSLESS: &str = "obench-flow";

/// Idles until SIGUSR1 (`trap` is what makes PID 1 accept the signal), so
/// the bench can open the log view first and then start the output.
const AWAIT_GO: &str = "trap 'go=1' USR1; while [ -z \"$go\" ]; do sleep 0.05; done; ";
const IDLE_FOREVER: &str = "while true; do sleep 3600; done";

pub struct Engine {
    pub docker: Docker,
    pub host: String,
    pub image: String,
}

impl Engine {
    /// The engine at DOCKER_HOST with the test image, or why not.
    pub fn connect(rt: &Runtime) -> Result<Engine, String> {
        let host = opsdeck::sources::docker::describe_host(None);
        let image =
            std::env::var("OPSDECK_TEST_IMAGE").unwrap_or_else(|_| "opsdeck-busybox:latest".into());
        let docker = rt.block_on(async {
            tokio::time::timeout(
                Duration::from_secs(10),
                opsdeck::sources::docker::connect(&host),
            )
            .await
            .map_err(|_| format!("no answer from {host} within 10 s"))?
        })?;
        rt.block_on(docker.inspect_image(&image))
            .map_err(|e| format!("image {image} missing at {host}: {e}"))?;
        Ok(Engine {
            docker,
            host,
            image,
        })
    }

    /// Removes every container with the bench label; returns how many.
    pub fn remove_all(&self, rt: &Runtime) -> usize {
        rt.block_on(async {
            let mut filters = HashMap::new();
            filters.insert("label".to_string(), vec![format!("{LABEL}={LABEL_VALUE}")]);
            let options = ListContainersOptions {
                all: true,
                filters: Some(filters),
                ..Default::default()
            };
            let Ok(list) = self.docker.list_containers(Some(options)).await else {
                return 0;
            };
            let ids: Vec<String> = list.into_iter().filter_map(|c| c.id).collect();
            let removals = ids.iter().map(|id| {
                self.docker.remove_container(
                    id,
                    Some(RemoveContainerOptions {
                        force: true,
                        ..Default::default()
                    }),
                )
            });
            let results = futures::future::join_all(removals).await;
            results.iter().filter(|r| r.is_ok()).count()
        })
    }

    /// Creates and starts the whole workload; waits for the exited ones to exit.
    pub fn create_workload(&self, rt: &Runtime) -> Result<(), String> {
        let mut specs: Vec<(String, String)> = Vec::new();
        for i in 0..RUNNING {
            specs.push((
                running_name(i),
                "i=0; while true; do echo \"tick $i\"; i=$((i+1)); sleep 0.2; done".into(),
            ));
        }
        for i in 0..quiet() {
            specs.push((quiet_name(i), IDLE_FOREVER.into()));
        }
        for i in 0..EXITED {
            specs.push((
                exited_name(i),
                format!("echo 'job {i} done'; exit {}", i % 3),
            ));
        }
        specs.push((BIG.into(), format!("seq {BIG_LINES}; {IDLE_FOREVER}")));
        specs.push((
            FRESH.into(),
            format!(
                "{AWAIT_GO}i=0; while [ $i -lt {FRESH_LINES} ]; do printf 'fresh %05d\\n' $i; \
                 i=$((i+1)); sleep 0.25; done; {IDLE_FOREVER}"
            ),
        ));
        specs.push((
            LOSSLESS.into(),
            format!(
                "{AWAIT_GO}i=0; while [ $i -lt {LOSSLESS_LINES} ]; do j=0; \
                 while [ $j -lt 100 ]; do echo \"seq $i\"; i=$((i+1)); j=$((j+1)); done; \
                 sleep 0.1; done; echo 'seq end'; {IDLE_FOREVER}"
            ),
        ));
        rt.block_on(async {
            // A few at a time: the engine serialises much of this anyway,
            // and a burst of 300 creates only makes its latency spiky.
            for chunk in specs.chunks(8) {
                let starts = chunk.iter().map(|(name, script)| self.run(name, script));
                for r in futures::future::join_all(starts).await {
                    r?;
                }
            }
            for i in 0..EXITED {
                let name = exited_name(i);
                let mut wait = self
                    .docker
                    .wait_container(&name, None::<WaitContainerOptions>);
                // A non-zero exit is reported as an error by bollard; either way it exited.
                let _ = tokio::time::timeout(Duration::from_secs(30), wait.next()).await;
            }
            Ok(())
        })
    }

    async fn run(&self, name: &str, script: &str) -> Result<(), String> {
        let mut labels = HashMap::new();
        labels.insert(LABEL.to_string(), LABEL_VALUE.to_string());
        labels.insert(
            "com.docker.compose.project".to_string(),
            PROJECT.to_string(),
        );
        labels.insert("com.docker.compose.service".to_string(), name.to_string());
        let body = ContainerCreateBody {
            image: Some(self.image.clone()),
            cmd: Some(vec!["sh".into(), "-c".into(), script.into()]),
            labels: Some(labels),
            // No network: nothing needs one, and 60 veth pairs would only
            // add engine work that is not opsdeck's.
            host_config: Some(HostConfig {
                network_mode: Some("none".into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        let options = CreateContainerOptions {
            name: Some(name.to_string()),
            ..Default::default()
        };
        self.docker
            .create_container(Some(options), body)
            .await
            .map_err(|e| format!("create {name}: {e}"))?;
        self.docker
            .start_container(name, None)
            .await
            .map_err(|e| format!("start {name}: {e}"))
    }

    /// Lets a container waiting in `AWAIT_GO` start its output.
    pub fn go(&self, rt: &Runtime, name: &str) -> Result<(), String> {
        let options = KillContainerOptions {
            signal: "USR1".into(),
        };
        rt.block_on(self.docker.kill_container(name, Some(options)))
            .map_err(|e| format!("signal {name}: {e}"))
    }

    /// The container's whole log as (engine timestamp, line) pairs. The
    /// timestamp is when the engine read the line from the container.
    pub fn logs_with_timestamps(
        &self,
        rt: &Runtime,
        name: &str,
    ) -> Result<Vec<(chrono::DateTime<chrono::Utc>, String)>, String> {
        rt.block_on(async {
            let options = LogsOptions {
                stdout: true,
                stderr: true,
                timestamps: true,
                tail: "all".into(),
                ..Default::default()
            };
            let mut stream = self.docker.logs(name, Some(options));
            let mut text = Vec::new();
            while let Some(part) = stream.next().await {
                match part.map_err(|e| format!("logs of {name}: {e}"))? {
                    LogOutput::StdOut { message } | LogOutput::StdErr { message } => {
                        text.extend_from_slice(&message)
                    }
                    _ => {}
                }
            }
            let text = String::from_utf8_lossy(&text);
            let mut lines = Vec::new();
            for line in text.lines() {
                let Some((stamp, rest)) = line.split_once(' ') else {
                    continue;
                };
                if let Ok(t) = chrono::DateTime::parse_from_rfc3339(stamp) {
                    lines.push((t.with_timezone(&chrono::Utc), rest.to_string()));
                }
            }
            Ok(lines)
        })
    }
}

/// Removes the workload when dropped, so a panic in a measurement does
/// not leave 313 containers running.
pub struct Cleanup<'a> {
    pub engine: &'a Engine,
    pub rt: &'a Runtime,
}

impl Drop for Cleanup<'_> {
    fn drop(&mut self) {
        let n = self.engine.remove_all(self.rt);
        eprintln!("outside: removed {n} bench containers");
    }
}
