//! Docker domain types: what the Docker pane shows, free of bollard's types.

use chrono::{DateTime, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ContainerState {
    Running,
    Restarting,
    Paused,
    Created,
    Removing,
    Exited,
    Dead,
    Unknown,
}

impl ContainerState {
    pub fn parse(s: &str) -> Self {
        match s.to_ascii_lowercase().as_str() {
            "running" => Self::Running,
            "restarting" => Self::Restarting,
            "paused" => Self::Paused,
            "created" => Self::Created,
            "removing" => Self::Removing,
            "exited" => Self::Exited,
            "dead" => Self::Dead,
            _ => Self::Unknown,
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Restarting => "restarting",
            Self::Paused => "paused",
            Self::Created => "created",
            Self::Removing => "removing",
            Self::Exited => "exited",
            Self::Dead => "dead",
            Self::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Health {
    Starting,
    Healthy,
    Unhealthy,
}

impl Health {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "starting" => Some(Self::Starting),
            "healthy" => Some(Self::Healthy),
            "unhealthy" => Some(Self::Unhealthy),
            _ => None,
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Self::Starting => "starting",
            Self::Healthy => "healthy",
            Self::Unhealthy => "unhealthy",
        }
    }
}

/// A container's key in the pane, the lists and every command about it:
/// its id, prefixed by its engine's name when several engines are shown
/// (`build/3f2a...`), since the same id can come from two engines (one
/// engine reached two ways). Engine names never hold a `/`; ids never do.
pub fn container_key(engine: &str, id: &str) -> String {
    if engine.is_empty() {
        id.to_string()
    } else {
        format!("{engine}/{id}")
    }
}

/// A key's engine ("" with one engine) and the engine's own id.
pub fn split_key(key: &str) -> (&str, &str) {
    key.split_once('/').unwrap_or(("", key))
}

#[derive(Debug, Clone, PartialEq)]
pub struct Container {
    pub id: String,
    /// The engine's name when several are configured; empty with one.
    pub engine: String,
    pub name: String,
    /// `com.docker.compose.project`, the grouping key of the pane.
    pub project: Option<String>,
    /// `com.docker.compose.service`: its tag in a project's merged log.
    pub service: Option<String>,
    pub image: String,
    pub state: ContainerState,
    pub health: Option<Health>,
    pub exit_code: Option<i64>,
    pub oom_killed: bool,
    pub restart_count: i64,
    pub ports: String,
    pub created: Option<DateTime<Utc>>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    /// `org.opencontainers.image.revision`, to find the CI run that built it.
    pub revision: Option<String>,
}

impl Container {
    /// How bad the row looks; drives colour, symbol and the triage view.
    pub fn severity(&self) -> Severity {
        match (self.state, self.health) {
            (_, Some(Health::Unhealthy)) => Severity::Broken,
            (ContainerState::Restarting | ContainerState::Dead, _) => Severity::Broken,
            (ContainerState::Exited, _) if self.oom_killed || self.exit_code.unwrap_or(0) != 0 => {
                Severity::Broken
            }
            (ContainerState::Paused | ContainerState::Created | ContainerState::Removing, _) => {
                Severity::Warning
            }
            (_, Some(Health::Starting)) => Severity::Warning,
            (ContainerState::Exited, _) => Severity::Idle,
            _ => Severity::Ok,
        }
    }

    /// What the STATE column says, e.g. `exited (137, OOM)`, `running (unhealthy)`.
    pub fn state_text(&self) -> String {
        let mut s = self.state.word().to_string();
        if matches!(self.state, ContainerState::Exited | ContainerState::Dead) {
            let code = self.exit_code.unwrap_or(0);
            if self.oom_killed {
                s.push_str(&format!(" ({code}, OOM)"));
            } else {
                s.push_str(&format!(" ({code})"));
            }
        }
        if let Some(h) = self.health {
            s.push_str(&format!(" ({})", h.word()));
        }
        s
    }

    pub fn key(&self) -> String {
        container_key(&self.engine, &self.id)
    }

    pub fn is_running(&self) -> bool {
        matches!(
            self.state,
            ContainerState::Running | ContainerState::Restarting
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Ok,
    Idle,
    Warning,
    Broken,
}

/// Live resource use from the stats stream.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Usage {
    pub cpu_percent: f64,
    pub mem_bytes: u64,
    pub mem_limit: u64,
}

impl Usage {
    /// The CPU and MEM cells as the container list prints them. The stats
    /// source compares these, so a figure that would print the same is not
    /// sent again.
    pub fn cells(&self) -> (String, String) {
        (
            format!("{:.1}%", self.cpu_percent),
            human_bytes(self.mem_bytes),
        )
    }
}

/// Lifecycle operations on a container; each one is confirmed first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerOp {
    Start,
    Stop,
    Restart,
    Pause,
    Unpause,
    Kill,
    Remove,
}

impl ContainerOp {
    pub fn verb(self) -> &'static str {
        match self {
            Self::Start => "start",
            Self::Stop => "stop",
            Self::Restart => "restart",
            Self::Pause => "pause",
            Self::Unpause => "unpause",
            Self::Kill => "kill",
            Self::Remove => "remove",
        }
    }
}

pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = n as f64;
    let mut unit = 0;
    while v >= 1024.0 && unit < UNITS.len() - 1 {
        v /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n}B")
    } else {
        format!("{v:.1}{}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn container(state: ContainerState, exit: Option<i64>, health: Option<Health>) -> Container {
        Container {
            image: "nginx".into(),
            health,
            exit_code: exit,
            ..Container::fixture("abc", "web", state)
        }
    }

    #[test]
    fn severity_follows_what_an_on_call_engineer_cares_about() {
        use ContainerState::*;
        assert_eq!(container(Running, None, None).severity(), Severity::Ok);
        assert_eq!(container(Exited, Some(0), None).severity(), Severity::Idle);
        assert_eq!(
            container(Exited, Some(1), None).severity(),
            Severity::Broken
        );
        assert_eq!(
            container(Restarting, None, None).severity(),
            Severity::Broken
        );
        assert_eq!(
            container(Running, None, Some(Health::Unhealthy)).severity(),
            Severity::Broken
        );
        assert_eq!(container(Paused, None, None).severity(), Severity::Warning);
        let mut oom = container(Exited, Some(137), None);
        oom.oom_killed = true;
        assert_eq!(oom.state_text(), "exited (137, OOM)");
    }

    #[test]
    fn bytes_are_human() {
        assert_eq!(human_bytes(512), "512B");
        assert_eq!(human_bytes(1536), "1.5KiB");
        assert_eq!(human_bytes(3 * 1024 * 1024 * 1024), "3.0GiB");
    }
}
