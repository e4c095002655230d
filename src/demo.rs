//! `--demo`: starts the simulated APIs on loopback and points the real
//! clients at them. The only place outside `sim/` and the tests that knows
//! the simulators exist.

use std::path::PathBuf;

use crate::sim::docker::{DockerSim, Scenario as DockerScenario};
use crate::sim::kube::{KubeSim, Scenario as KubeScenario};

pub struct Demo {
    pub docker: DockerSim,
    pub kube: KubeSim,
    /// The simulator's kubeconfig, removed when the demo ends.
    kubeconfig: PathBuf,
}

impl Demo {
    pub async fn start() -> std::io::Result<Demo> {
        let docker = DockerSim::start(DockerScenario::Demo).await?;
        let kube = KubeSim::start(KubeScenario::Demo).await?;
        let kubeconfig =
            std::env::temp_dir().join(format!("opsdeck-demo-{}.kubeconfig", std::process::id()));
        kube.write_kubeconfig(&kubeconfig)?;
        Ok(Demo {
            docker,
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
}

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.kubeconfig);
    }
}
