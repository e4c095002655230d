use std::collections::HashMap;

use bollard::Docker;
use bollard::query_parameters::StatsOptions;
use futures::StreamExt;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::core::msg::{DockerEvent, Msg};

use super::convert::usage_from_stats;

/// One streaming stats request per container on screen: the engine pushes a
/// sample a second over a connection held open, instead of a new request
/// (and connection) per sample.
#[derive(Default)]
pub struct StatsStreams {
    running: HashMap<String, JoinHandle<()>>,
}

impl StatsStreams {
    /// Makes the set of streams exactly `ids`.
    pub fn set(&mut self, docker: &Docker, ids: &[String], tx: &mpsc::Sender<Msg>) {
        self.running.retain(|id, handle| {
            let keep = ids.contains(id) && !handle.is_finished();
            if !keep {
                handle.abort();
            }
            keep
        });
        for id in ids {
            if !self.running.contains_key(id) {
                let handle = spawn_one(docker.clone(), id.clone(), tx.clone());
                self.running.insert(id.clone(), handle);
            }
        }
    }

    pub fn stop_all(&mut self) {
        for (_, handle) in self.running.drain() {
            handle.abort();
        }
    }
}

impl Drop for StatsStreams {
    fn drop(&mut self) {
        self.stop_all();
    }
}

fn spawn_one(docker: Docker, id: String, tx: mpsc::Sender<Msg>) -> JoinHandle<()> {
    tokio::spawn(async move {
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
    })
}
