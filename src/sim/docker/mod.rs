//! TEMPORARY placeholder until the simulator branch lands.
#![allow(dead_code)]
pub enum Scenario {
    Demo,
}
pub struct DockerSim;
impl DockerSim {
    pub async fn start(_s: Scenario) -> std::io::Result<DockerSim> {
        Ok(DockerSim)
    }
    pub fn docker_host(&self) -> String {
        "tcp://127.0.0.1:1".into()
    }
}
