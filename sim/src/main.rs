//! `opsdeck-sim`: the simulated Docker, GitHub and Kubernetes APIs in a
//! process of their own, for an opsdeck built without the `demo` feature, or
//! for measuring opsdeck without the simulators in its process.
//!
//! Prints how to start opsdeck against them (stderr) and one JSON ready line
//! (stdout), then serves until SIGINT, SIGTERM or the end of stdin. Each
//! line on stdin is a control command answered with one JSON line.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use opsdeck_sim::docker::Scenario as DockerScenario;
use opsdeck_sim::github::Scenario as GithubScenario;
use opsdeck_sim::kube::Scenario as KubeScenario;
use opsdeck_sim::launch::{LaunchOptions, Launched};
use tokio::sync::mpsc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Api {
    Docker,
    Github,
    Kube,
}

/// Serves simulated Docker, GitHub and Kubernetes APIs on loopback and
/// writes a config.toml and a kubeconfig that point opsdeck at them.
#[derive(Debug, Parser)]
#[command(name = "opsdeck-sim", version, about)]
struct Args {
    /// The APIs to serve (comma-separated).
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_values = ["docker", "github", "kube"]
    )]
    serve: Vec<Api>,
    /// Directory for config.toml and kubeconfig (created if missing); the
    /// files, not the directory, are removed on exit. Default: a fresh
    /// temporary directory, removed on exit.
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// Kubernetes: this many quiet, ready pods instead of the demo cluster.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    kube_pods: Option<u32>,
    /// Kubernetes: namespaces the pods of --kube-pods are spread over.
    #[arg(long, value_name = "N", default_value_t = 50,
          value_parser = clap::value_parser!(u32).range(1..=10_000))]
    kube_namespaces: u32,
    /// Docker: this many running containers instead of the demo world.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    docker_containers: Option<u32>,
    /// Docker: exited containers beside those of --docker-containers.
    #[arg(long, value_name = "N", default_value_t = 0,
          value_parser = clap::value_parser!(u32).range(0..=100_000))]
    docker_exited: u32,
    /// Docker: log lines per second per running container of --docker-containers.
    #[arg(long, value_name = "N", default_value_t = 1)]
    docker_lines_per_sec: u32,
    /// GitHub: this many repositories (acme/svc-00 …) instead of the demo ones.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1_000))]
    github_repos: Option<u32>,
    /// GitHub: completed runs per repository of --github-repos.
    #[arg(long, value_name = "N", default_value_t = 100,
          value_parser = clap::value_parser!(u32).range(0..=10_000))]
    github_runs: u32,
    /// Keep serving when stdin ends (stdin is often /dev/null in the
    /// background); then only SIGINT or SIGTERM stops it.
    #[arg(long)]
    ignore_stdin: bool,
}

impl Args {
    fn options(&self) -> LaunchOptions {
        let wants = |api| self.serve.contains(&api);
        let n = |v: u32| usize::try_from(v).unwrap_or(usize::MAX);
        LaunchOptions {
            docker: wants(Api::Docker).then(|| match self.docker_containers {
                Some(running) => DockerScenario::Scale {
                    running: n(running),
                    exited: n(self.docker_exited),
                    lines_per_sec: self.docker_lines_per_sec,
                },
                None => DockerScenario::Demo,
            }),
            github: wants(Api::Github).then(|| match self.github_repos {
                Some(repos) => GithubScenario::Scale {
                    repos: n(repos),
                    runs_per_repo: n(self.github_runs),
                },
                None => GithubScenario::Demo,
            }),
            kube: wants(Api::Kube).then(|| match self.kube_pods {
                Some(pods) => KubeScenario::Scale {
                    pods: n(pods),
                    namespaces: n(self.kube_namespaces),
                },
                None => KubeScenario::Demo,
            }),
            dir: self.dir.clone(),
        }
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            say_err(&format!("opsdeck-sim: cannot start the runtime: {e}\n"));
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(serve(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            say_err(&format!("opsdeck-sim: {e}\n"));
            ExitCode::from(2)
        }
    }
}

async fn serve(args: Args) -> Result<(), String> {
    // Listening before the ready line: whoever reads it may stop us at once,
    // and the files must still be removed.
    let stop = stop_signals().map_err(|e| format!("cannot listen for signals: {e}"))?;
    tokio::pin!(stop);
    let launched = Launched::start(args.options())
        .await
        .map_err(|e| format!("cannot start the simulators: {e}"))?;
    say_err(&launched.instructions());
    say_out(&launched.ready_json().to_string());
    let reading = !args.ignore_stdin;
    let mut lines = read_stdin(reading);
    loop {
        tokio::select! {
            _ = &mut stop => break,
            line = lines.recv(), if reading => match line {
                Some(line) => {
                    if let Some(answer) = launched.control(&line) {
                        say_out(&answer.to_string());
                    }
                }
                None => break,
            },
        }
    }
    launched.shutdown().await;
    Ok(())
}

/// Stdin lines from a plain thread: a blocking read cannot be cancelled, and
/// a thread still reading does not keep the process from exiting (a tokio
/// blocking task would hold up the runtime's shutdown).
fn read_stdin(reading: bool) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel(16);
    if reading {
        std::thread::spawn(move || {
            for line in std::io::stdin().lock().lines() {
                let Ok(line) = line else { break };
                if tx.blocking_send(line).is_err() {
                    break;
                }
            }
        });
    }
    rx
}

/// SIGINT or SIGTERM. Handlers are installed here, not when first awaited.
#[cfg(unix)]
fn stop_signals() -> std::io::Result<impl Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    })
}

#[cfg(not(unix))]
fn stop_signals() -> std::io::Result<impl Future<Output = ()>> {
    Ok(async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    })
}

/// A reader that went away is no reason to stop serving or to panic.
fn say_out(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

fn say_err(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}
