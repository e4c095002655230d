//! What a simulated container is and how it behaves over time. These types
//! are public so tests and benchmarks can add their own containers.

use std::collections::BTreeMap;
use std::time::Duration;

/// Which of the two output streams a log line was written to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LogStream {
    Stdout,
    Stderr,
}

impl LogStream {
    /// The stream byte of Docker's multiplexed frame header.
    pub(crate) fn frame_byte(self) -> u8 {
        match self {
            LogStream::Stdout => 1,
            LogStream::Stderr => 2,
        }
    }
}

/// The family of realistic lines a container writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogStyle {
    /// nginx access log on stdout, error log on stderr.
    Nginx,
    /// One JSON object per line, warnings and errors on stderr.
    JsonApi,
    /// Human-readable lines with ANSI-coloured levels; errors on stderr.
    Worker,
    /// PostgreSQL server log (stderr, as the official image does).
    Postgres,
    /// Redis server log.
    Redis,
    /// Prometheus logfmt (stderr).
    Prometheus,
    /// Grafana logfmt.
    Grafana,
    /// A batch job printing progress.
    Batch,
    /// Compact deterministic lines for benchmarks.
    Bench,
}

/// Docker's `HostConfig.RestartPolicy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RestartPolicy {
    No,
    Always,
    UnlessStopped,
    /// `max_retries == 0` means no limit, as in Docker.
    OnFailure {
        max_retries: u32,
    },
}

impl RestartPolicy {
    pub(crate) fn name(self) -> &'static str {
        match self {
            RestartPolicy::No => "no",
            RestartPolicy::Always => "always",
            RestartPolicy::UnlessStopped => "unless-stopped",
            RestartPolicy::OnFailure { .. } => "on-failure",
        }
    }
}

/// The process exits by itself this long after each start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Crash {
    pub after: Duration,
    pub exit_code: i64,
    /// Killed by the kernel OOM killer: exit code 137 and `OOMKilled: true`.
    pub oom: bool,
}

/// A health check whose result cycles: `starting` for `starting_for`, then
/// `healthy`; if `healthy_for` is set it turns `unhealthy` after that long
/// and healthy again after `unhealthy_for`, and so on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HealthCycle {
    pub starting_for: Duration,
    pub healthy_for: Option<Duration>,
    pub unhealthy_for: Duration,
}

impl HealthCycle {
    /// A check that becomes healthy after `starting_for` and stays so.
    pub fn steady(starting_for: Duration) -> Self {
        HealthCycle {
            starting_for,
            healthy_for: None,
            unhealthy_for: Duration::ZERO,
        }
    }
}

/// What the process inside does while it runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Behaviour {
    pub style: LogStyle,
    /// Zero means silent.
    pub lines_per_sec: f64,
    pub crash: Option<Crash>,
    /// How long the engine waits before an automatic restart.
    pub restart_delay: Duration,
    pub health: Option<HealthCycle>,
    /// Average CPU use as a fraction of one core.
    pub cpu: f64,
    /// Resident memory when steady, in MiB.
    pub mem_mib: u64,
}

impl Behaviour {
    pub fn new(style: LogStyle, lines_per_sec: f64) -> Self {
        Behaviour {
            style,
            lines_per_sec,
            crash: None,
            restart_delay: Duration::from_secs(1),
            health: None,
            cpu: 0.05,
            mem_mib: 64,
        }
    }
}

/// A published or exposed port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortSpec {
    pub private: u16,
    /// Host port; `None` when only exposed.
    pub public: Option<u16>,
    /// "tcp" or "udp".
    pub proto: String,
}

impl PortSpec {
    pub fn tcp(private: u16, public: Option<u16>) -> Self {
        PortSpec {
            private,
            public,
            proto: "tcp".to_string(),
        }
    }
}

/// A container as `docker create` would describe it.
#[derive(Debug, Clone, PartialEq)]
pub struct ContainerSpec {
    /// Without the leading slash.
    pub name: String,
    pub image: String,
    pub command: Vec<String>,
    pub env: Vec<String>,
    pub labels: BTreeMap<String, String>,
    pub ports: Vec<PortSpec>,
    /// A TTY container's logs are a raw stream without frame headers.
    pub tty: bool,
    pub restart: RestartPolicy,
    /// Cgroup memory limit; `None` means the host's memory.
    pub memory_limit_mib: Option<u64>,
    pub behaviour: Behaviour,
}

impl ContainerSpec {
    pub fn new(name: &str, image: &str, behaviour: Behaviour) -> Self {
        ContainerSpec {
            name: name.trim_start_matches('/').to_string(),
            image: image.to_string(),
            command: Vec::new(),
            env: vec!["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into()],
            labels: BTreeMap::new(),
            ports: Vec::new(),
            tty: false,
            restart: RestartPolicy::No,
            memory_limit_mib: None,
            behaviour,
        }
    }

    pub fn label(mut self, key: &str, value: &str) -> Self {
        self.labels.insert(key.to_string(), value.to_string());
        self
    }

    /// Adds the labels `docker compose` puts on a service's container.
    pub fn compose(self, project: &str, service: &str) -> Self {
        let dir = format!("/srv/{project}");
        self.label("com.docker.compose.project", project)
            .label("com.docker.compose.service", service)
            .label("com.docker.compose.container-number", "1")
            .label("com.docker.compose.oneoff", "False")
            .label("com.docker.compose.project.working_dir", &dir)
            .label(
                "com.docker.compose.project.config_files",
                &format!("{dir}/compose.yaml"),
            )
            .label("com.docker.compose.version", "2.29.7")
    }

    /// `com.docker.compose.depends_on` as Compose v2 writes it
    /// (`service:condition:restart`, comma-separated).
    pub fn depends_on(self, services: &[&str]) -> Self {
        let value: Vec<String> = services
            .iter()
            .map(|s| format!("{s}:service_started:false"))
            .collect();
        self.label("com.docker.compose.depends_on", &value.join(","))
    }

    pub fn env(mut self, entry: &str) -> Self {
        self.env.push(entry.to_string());
        self
    }

    pub fn command(mut self, args: &[&str]) -> Self {
        self.command = args.iter().map(|a| a.to_string()).collect();
        self
    }

    pub fn port(mut self, port: PortSpec) -> Self {
        self.ports.push(port);
        self
    }

    pub fn restart(mut self, policy: RestartPolicy) -> Self {
        self.restart = policy;
        self
    }

    pub fn tty(mut self, tty: bool) -> Self {
        self.tty = tty;
        self
    }

    pub fn memory_limit_mib(mut self, mib: u64) -> Self {
        self.memory_limit_mib = Some(mib);
        self
    }
}
