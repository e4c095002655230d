//! `--demo`: starts the simulated APIs on loopback and points the real
//! clients at them. The only place outside `sim/` and the tests that knows
//! the simulators exist.

use crate::sim::docker::{DockerSim, Scenario as DockerScenario};

pub struct Demo {
    pub docker: DockerSim,
}

impl Demo {
    pub async fn start() -> std::io::Result<Demo> {
        let docker = DockerSim::start(DockerScenario::Demo).await?;
        Ok(Demo { docker })
    }

    pub fn docker_host(&self) -> String {
        self.docker.docker_host()
    }
}
