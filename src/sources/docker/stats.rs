use bollard::Docker;
use bollard::query_parameters::StatsOptions;
use futures::StreamExt;
use tokio::sync::mpsc;

use crate::core::msg::{DockerEvent, Msg};

use super::super::kit::StreamTasks;
use super::convert::usage_from_stats;

/// One streaming stats request per container on screen: the engine pushes a
/// sample a second over a connection held open, instead of a new request
/// (and connection) per sample.
#[derive(Default)]
pub struct StatsStreams {
    running: StreamTasks<String>,
}

impl StatsStreams {
    /// Makes the set of streams exactly `ids`.
    pub fn set(&mut self, docker: &Docker, ids: &[String], tx: &mpsc::Sender<Msg>) {
        self.running.retain(|id| ids.contains(id));
        for id in ids {
            if !self.running.is_running(id) {
                let stream = one(docker.clone(), id.clone(), tx.clone());
                self.running.start(id.clone(), stream);
            }
        }
    }

    pub fn stop_all(&mut self) {
        self.running.stop_all();
    }
}

async fn one(docker: Docker, id: String, tx: mpsc::Sender<Msg>) {
    let options = StatsOptions {
        stream: true,
        one_shot: false,
    };
    let mut samples = docker.stats(&id, Some(options));
    while let Some(Ok(sample)) = samples.next().await {
        let usage = usage_from_stats(&sample);
        let msg = Msg::Docker(DockerEvent::Usage {
            id: id.clone(),
            usage,
        });
        if tx.send(msg).await.is_err() {
            return;
        }
    }
}
