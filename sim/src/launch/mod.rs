//! The simulators served for an opsdeck running in another process (the
//! `opsdeck-sim` binary, and the benchmarks that must measure opsdeck
//! without the simulators in the same process): starts the chosen ones,
//! writes a config.toml and a kubeconfig for opsdeck, and says how to point
//! opsdeck at them.

mod text;

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::docker::{DockerSim, Scenario as DockerScenario};
use crate::github::{GithubSim, Scenario as GithubScenario};
use crate::kube::{KubeSim, Scenario as KubeScenario};

pub use text::shell_quote;

/// What to serve; `None` leaves that API out (opsdeck then uses its usual
/// settings for it).
#[derive(Debug, Clone)]
pub struct LaunchOptions {
    pub docker: Option<DockerScenario>,
    pub github: Option<GithubScenario>,
    pub kube: Option<KubeScenario>,
    /// Where the files go; a fresh temporary directory when `None`.
    pub dir: Option<PathBuf>,
}

impl Default for LaunchOptions {
    /// All three, with the demo scenarios.
    fn default() -> Self {
        LaunchOptions {
            docker: Some(DockerScenario::Demo),
            github: Some(GithubScenario::Demo),
            kube: Some(KubeScenario::Demo),
            dir: None,
        }
    }
}

/// The files written for opsdeck. Removed on drop: a temporary directory as a
/// whole, a directory the user named only for the files written into it.
enum Files {
    Temp(tempfile::TempDir),
    Given(PathBuf),
}

impl Files {
    fn dir(&self) -> &Path {
        match self {
            Files::Temp(t) => t.path(),
            Files::Given(d) => d,
        }
    }
}

/// The running simulators and the files that point opsdeck at them.
pub struct Launched {
    pub docker: Option<DockerSim>,
    pub github: Option<GithubSim>,
    pub kube: Option<KubeSim>,
    files: Files,
    written: Vec<PathBuf>,
}

pub const CONFIG_FILE: &str = "config.toml";
pub const KUBECONFIG_FILE: &str = "kubeconfig";

impl Launched {
    pub async fn start(options: LaunchOptions) -> io::Result<Launched> {
        let files = match &options.dir {
            Some(d) => {
                std::fs::create_dir_all(d)?;
                Files::Given(d.clone())
            }
            None => Files::Temp(tempfile::Builder::new().prefix("opsdeck-sim-").tempdir()?),
        };
        // All at once: start-up is the slowest simulator's, not the sum.
        let (docker, github, kube) = tokio::try_join!(
            async {
                match options.docker {
                    Some(s) => DockerSim::start(s).await.map(Some),
                    None => Ok(None),
                }
            },
            async {
                match options.github {
                    Some(s) => GithubSim::start(s).await.map(Some),
                    None => Ok(None),
                }
            },
            async {
                match options.kube {
                    Some(s) => KubeSim::start(s).await.map(Some),
                    None => Ok(None),
                }
            },
        )?;
        let mut launched = Launched {
            docker,
            github,
            kube,
            files,
            written: Vec::new(),
        };
        if let Some(yaml) = launched.kube.as_ref().map(KubeSim::kubeconfig_yaml) {
            launched.write_new(launched.dir().join(KUBECONFIG_FILE), &yaml)?;
        }
        launched.write_new(launched.config_path(), &launched.config_toml())?;
        Ok(launched)
    }

    /// Only a new file: what is written is removed on exit, and a user's own
    /// config.toml in `--dir` must survive that.
    fn write_new(&mut self, path: PathBuf, text: &str) -> io::Result<()> {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| match e.kind() {
                io::ErrorKind::AlreadyExists => io::Error::new(
                    e.kind(),
                    format!(
                        "{} exists already; opsdeck-sim writes only new files, since it removes \
                         them when it stops (choose another --dir)",
                        path.display()
                    ),
                ),
                _ => io::Error::new(e.kind(), format!("cannot write {}: {e}", path.display())),
            })?;
        // Recorded before the text goes in, so a half-written file goes too.
        self.written.push(path);
        file.write_all(text.as_bytes())
    }

    pub fn dir(&self) -> &Path {
        self.files.dir()
    }

    pub fn config_path(&self) -> PathBuf {
        self.dir().join(CONFIG_FILE)
    }

    pub fn kubeconfig_path(&self) -> Option<PathBuf> {
        self.kube.as_ref().map(|_| self.dir().join(KUBECONFIG_FILE))
    }

    pub fn docker_host(&self) -> Option<String> {
        self.docker.as_ref().map(DockerSim::docker_host)
    }

    /// The config.toml opsdeck reads with `--config`.
    pub fn config_toml(&self) -> String {
        text::config_toml(&text::Endpoints {
            docker_host: self.docker_host(),
            github: self
                .github
                .as_ref()
                .map(|g| (g.base_url().to_string(), g.repos(), g.token().to_string())),
            kube: self.kube.is_some(),
        })
    }

    /// The environment opsdeck needs beside `--config`: these variables win
    /// over the config file, so the user's own values must not leak in (a
    /// real GH_TOKEN would otherwise be sent to the simulator).
    pub fn env(&self) -> Vec<(&'static str, String)> {
        let mut env = Vec::new();
        if let Some(host) = self.docker_host() {
            env.push(("DOCKER_HOST", host));
        }
        if let Some(path) = self.kubeconfig_path() {
            env.push(("KUBECONFIG", path.display().to_string()));
        }
        if let Some(github) = &self.github {
            env.push(("GH_TOKEN", github.token().to_string()));
        }
        env
    }

    /// The shell command that starts opsdeck against the simulators.
    pub fn command(&self) -> String {
        text::command(&self.env(), &self.config_path())
    }

    /// The one line a program reads to know the simulators are up.
    pub fn ready_json(&self) -> Value {
        let env: serde_json::Map<String, Value> = self
            .env()
            .into_iter()
            .map(|(k, v)| (k.to_string(), Value::String(v)))
            .collect();
        json!({
            "ready": true,
            "pid": std::process::id(),
            // As text: a path that is not UTF-8 must not stop the line.
            "dir": self.dir().display().to_string(),
            "config": self.config_path().display().to_string(),
            "kubeconfig": self.kubeconfig_path().map(|p| p.display().to_string()),
            "docker_host": self.docker_host(),
            "github_url": self.github.as_ref().map(GithubSim::base_url),
            "kube_url": self.kube.as_ref().map(KubeSim::url),
            "env": env,
            "command": self.command(),
        })
    }

    /// What a person reads: where things are and the command to run.
    pub fn instructions(&self) -> String {
        let mut serving = Vec::new();
        if let Some(h) = self.docker_host() {
            serving.push(format!("Docker at {h}"));
        }
        if let Some(g) = &self.github {
            serving.push(format!("GitHub at {}", g.base_url()));
        }
        if let Some(k) = &self.kube {
            serving.push(format!("Kubernetes at {}", k.url()));
        }
        text::instructions(&serving, &self.written, &self.command())
    }

    /// One line of the control protocol on stdin; the answer is one JSON
    /// line. Lets a benchmark drive the simulator it does not host.
    pub fn control(&self, line: &str) -> Option<Value> {
        let mut words = line.split_whitespace();
        let verb = words.next()?;
        Some(match (verb, words.next(), words.next()) {
            ("kube-burst", Some(n), None) => match (n.parse::<usize>(), &self.kube) {
                (Ok(n), Some(kube)) => json!({ "kube_burst": kube.emit_burst(n) }),
                (Err(_), _) => json!({ "error": format!("kube-burst wants a count, not {n:?}") }),
                (_, None) => json!({ "error": "the Kubernetes simulator is not served" }),
            },
            ("kube-events" | "kube-replicasets", Some(n), None) => {
                match (n.parse::<usize>(), &self.kube) {
                    (Ok(n), Some(kube)) if verb == "kube-events" => {
                        json!({ "kube_events": kube.fill_events(n) })
                    }
                    (Ok(n), Some(kube)) => json!({ "kube_replicasets": kube.fill_replica_sets(n) }),
                    (Err(_), _) => json!({ "error": format!("{verb} wants a count, not {n:?}") }),
                    (_, None) => json!({ "error": "the Kubernetes simulator is not served" }),
                }
            }
            _ => json!({
                "error": format!(
                    "unknown command {line:?}; known: kube-burst N, kube-events N, kube-replicasets N"
                ),
            }),
        })
    }

    /// Stops the servers, then removes the files.
    pub async fn shutdown(mut self) {
        if let Some(d) = self.docker.take() {
            d.shutdown().await;
        }
        if let Some(g) = self.github.take() {
            g.shutdown().await;
        }
        if let Some(k) = self.kube.take() {
            k.shutdown().await;
        }
    }
}

impl Drop for Launched {
    fn drop(&mut self) {
        // The temporary directory removes itself; a named one keeps what
        // was there before.
        if let Files::Given(_) = self.files {
            for f in &self.written {
                let _ = std::fs::remove_file(f);
            }
        }
    }
}

#[cfg(test)]
mod tests;
