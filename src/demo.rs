//! `--demo`: starts the simulated APIs on loopback and points the real
//! clients at them. The only place outside `sim/` and the tests that knows
//! the simulators exist.

use std::time::Duration;

use crate::sim::docker::{DockerSim, Scenario as DockerScenario};
use crate::sim::github::{GithubSim, Scenario as GithubScenario};
use crate::sources::github::{GithubSetup, RUNS_PER_PAGE, Token, TokenSource};

pub struct Demo {
    pub docker: DockerSim,
    pub github: GithubSim,
}

impl Demo {
    pub async fn start() -> std::io::Result<Demo> {
        let docker = DockerSim::start(DockerScenario::Demo).await?;
        let github = GithubSim::start(GithubScenario::Demo).await?;
        Ok(Demo { docker, github })
    }

    pub fn docker_host(&self) -> String {
        self.docker.docker_host()
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
            poll_active: Duration::from_secs(3),
            poll_idle: Duration::from_secs(10),
            per_page: RUNS_PER_PAGE,
        }
    }
}
