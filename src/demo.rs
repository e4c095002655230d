//! `--demo`: starts the simulated APIs on loopback and points the real
//! clients at them. The only product file that knows the simulators exist;
//! it compiles only with the `demo` feature.

use std::path::PathBuf;
use std::time::Duration;

use crate::sources::github::{
    ANSWER_TIMEOUT, Backfill, GithubSetup, HOURLY_WINDOW, RUNS_PER_PAGE, Token, TokenSource,
};
use opsdeck_sim::docker::{DockerSim, Scenario as DockerScenario};
use opsdeck_sim::github::{GithubSim, Scenario as GithubScenario};
use opsdeck_sim::kube::{KubeSim, Scenario as KubeScenario};

pub struct Demo {
    pub docker: DockerSim,
    pub github: GithubSim,
    pub kube: KubeSim,
    /// The simulator's kubeconfig, removed when the demo ends.
    kubeconfig: PathBuf,
}

impl Demo {
    pub async fn start() -> std::io::Result<Demo> {
        // The three start at once: start-up time is the slowest, not the sum.
        let (docker, github, kube) = tokio::try_join!(
            DockerSim::start(DockerScenario::Demo),
            GithubSim::start(GithubScenario::Demo),
            KubeSim::start(KubeScenario::Demo),
        )?;
        let kubeconfig =
            std::env::temp_dir().join(format!("opsdeck-demo-{}.kubeconfig", std::process::id()));
        kube.write_kubeconfig(&kubeconfig)?;
        Ok(Demo {
            docker,
            github,
            kube,
            kubeconfig,
        })
    }

    pub fn docker_host(&self) -> String {
        self.docker.docker_host()
    }

    /// The kubeconfig the Kubernetes source reads under `--demo`.
    pub fn kubeconfig(&self) -> PathBuf {
        self.kubeconfig.clone()
    }

    /// The GitHub source pointed at the simulator, with its repositories.
    /// Polls are quicker than the defaults: the simulator is local and free,
    /// and a demo should move.
    pub fn github_setup(&self) -> GithubSetup {
        GithubSetup {
            api_url: self.github.base_url().to_string(),
            token: Token::new(self.github.token())
                .map(TokenSource::fixed)
                .unwrap_or_default(),
            repos: ["acme/shop-api", "acme/web", "acme/infra"]
                .map(String::from)
                .to_vec(),
            discover_from: None,
            owners: Vec::new(),
            owner_repos_max: 0,
            poll_active: Duration::from_secs(3),
            poll_idle: Duration::from_secs(10),
            per_page: RUNS_PER_PAGE,
            answer_timeout: ANSWER_TIMEOUT,
            rate_window: HOURLY_WINDOW,
            // As `[timeline]`'s defaults (its day of history mostly fits
            // the first pages).
            backfill: Backfill {
                window: Duration::from_secs(6 * 3600),
                max_runs: crate::core::timeline::DEFAULT_MAX_ENTRIES / 2,
            },
        }
    }
}

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.kubeconfig);
    }
}
