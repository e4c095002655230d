//! Port-forwards through the API server (kube's `Api::<Pod>::portforward`,
//! the `ws` feature the pod shell uses too): a listener on 127.0.0.1
//! only, and for each accepted connection its own WebSocket to
//! `pods/{name}/portforward` (that protocol carries one stream per port
//! and connection, so every connection opens one, as kube-rs's own
//! example does). A connection the pod refuses ends that connection with
//! its reason on the forward's row; the listener stays up.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::FutureExt;
use k8s_openapi::api::core::v1::Pod;
use kube::{Api, Client};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, mpsc, oneshot};
use tokio::task::JoinSet;

use crate::core::kube_msg::KubeEvent;
use crate::core::msg::Msg;
use crate::core::port_forwards::{ForwardCommand, ForwardEvent, ForwardTarget, PortPair};

use super::super::kit::AbortOnDrop;
use super::errors::plain_error;
use super::port_forward_ports::{list_ports, resolve};
use super::port_forward_start::{self, Started, bind_error};

/// Figures changes are sent at most this often (a busy connection would
/// otherwise send one message per read).
const STATS_EVERY: Duration = Duration::from_millis(250);

/// The forwards of the session; dropping it (the source ends with the
/// app) closes every listener and connection.
#[derive(Default)]
pub struct Forwards {
    running: HashMap<u64, AbortOnDrop>,
}

impl Forwards {
    /// `client` is the target context's, or why there is none.
    pub fn command(
        &mut self,
        client: impl FnOnce(&str) -> Result<Client, String>,
        cmd: ForwardCommand,
        tx: &mpsc::Sender<Msg>,
    ) {
        self.running.retain(|_, task| !task.is_finished());
        match cmd {
            ForwardCommand::ListPorts { request, target } => {
                let client = client(&target.context);
                let tx = tx.clone();
                tokio::spawn(async move {
                    let result = match client {
                        Ok(c) => list_ports(c, &target).await,
                        Err(e) => Err(e),
                    };
                    let event = ForwardEvent::Ports { request, result };
                    let _ = tx.send(Msg::Kube(KubeEvent::PortForward(event))).await;
                });
            }
            ForwardCommand::Start {
                ticket,
                target,
                forwards,
            } => {
                let client = client(&target.context);
                let mut starts = Vec::new();
                for (id, pair) in forwards {
                    let (said, heard) = oneshot::channel();
                    let task = run(client.clone(), id, target.clone(), pair, said, tx.clone());
                    self.running.insert(id, AbortOnDrop::spawn(task));
                    starts.push((pair, heard));
                }
                tokio::spawn(port_forward_start::report(ticket, starts, tx.clone()));
            }
            ForwardCommand::Stop { id } => {
                self.running.remove(&id);
            }
        }
    }
}

/// What the connections of one forward add up to.
#[derive(Default)]
struct Counters {
    open: AtomicU32,
    bytes_in: AtomicU64,
    bytes_out: AtomicU64,
    last_error: Mutex<Option<String>>,
    changed: Notify,
}

impl Counters {
    fn event(&self, id: u64) -> ForwardEvent {
        ForwardEvent::Stats {
            id,
            open: self.open.load(Ordering::Relaxed),
            bytes_in: self.bytes_in.load(Ordering::Relaxed),
            bytes_out: self.bytes_out.load(Ordering::Relaxed),
            last_error: self.last_error.lock().map(|e| e.clone()).unwrap_or(None),
        }
    }

    fn failed(&self, why: String) {
        if let Ok(mut e) = self.last_error.lock() {
            *e = Some(why);
        }
        self.changed.notify_one();
    }
}

async fn send(tx: &mpsc::Sender<Msg>, event: ForwardEvent) {
    let _ = tx.send(Msg::Kube(KubeEvent::PortForward(event))).await;
}

/// One forward: resolve the pod, bind, say how that went (the ticket is
/// answered for all the forwards it started), then accept until stopped
/// (the task is aborted) or the listener fails.
async fn run(
    client: Result<Client, String>,
    id: u64,
    target: ForwardTarget,
    ports: PortPair,
    said: oneshot::Sender<Started>,
    tx: mpsc::Sender<Msg>,
) {
    let started = async {
        let client = client?;
        let (pod, remote) = resolve(&client, &target, ports.remote).await?;
        let listener = TcpListener::bind(("127.0.0.1", ports.local))
            .await
            .map_err(|e| bind_error(ports.local, &e))?;
        let local = listener
            .local_addr()
            .map_err(|e| format!("the listener has no address: {e}"))?;
        Ok::<_, String>((client, pod, remote, listener, local.to_string()))
    };
    let (client, pod, remote, listener, local) = match started.await {
        Ok(s) => s,
        Err(e) => {
            tracing::info!(target = %target.label(), error = %e, "port-forward failed");
            let _ = said.send(Err(e));
            return;
        }
    };
    let words = if pod == target.name {
        format!("on {local}")
    } else {
        format!("on {local} (pod {pod} port {remote})")
    };
    let _ = said.send(Ok(words));
    let listening = ForwardEvent::Listening {
        id,
        target: target.clone(),
        pod: pod.clone(),
        local,
        remote,
    };
    send(&tx, listening).await;
    let pods: Api<Pod> = Api::namespaced(client, &target.namespace);
    let counters = Arc::new(Counters::default());
    // Dropped with this task: a stopped forward closes its connections.
    let mut connections = JoinSet::new();
    // When the figures that changed are sent (None: nothing changed).
    let mut due: Option<tokio::time::Instant> = None;
    loop {
        let stats_due = async {
            match due {
                Some(at) => tokio::time::sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((socket, _)) => {
                    let link = Link {
                        pods: pods.clone(),
                        pod: pod.clone(),
                        remote,
                        counters: counters.clone(),
                    };
                    connections.spawn(link.carry(socket));
                }
                Err(e) => {
                    let reason = format!("the listener failed: {e}");
                    send(&tx, ForwardEvent::Ended { id, reason }).await;
                    return;
                }
            },
            () = counters.changed.notified(), if due.is_none() => {
                due = Some(tokio::time::Instant::now() + STATS_EVERY);
            }
            () = stats_due => {
                due = None;
                send(&tx, counters.event(id)).await;
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

/// One accepted connection and where it goes.
struct Link {
    pods: Api<Pod>,
    pod: String,
    remote: u16,
    counters: Arc<Counters>,
}

impl Link {
    async fn carry(self, socket: TcpStream) {
        let c = &self.counters;
        c.open.fetch_add(1, Ordering::Relaxed);
        c.changed.notify_one();
        if let Err(why) = self.through(socket).await {
            c.failed(why);
        }
        c.open.fetch_sub(1, Ordering::Relaxed);
        c.changed.notify_one();
    }

    async fn through(&self, socket: TcpStream) -> Result<(), String> {
        let mut forwarder = self
            .pods
            .portforward(&self.pod, &[self.remote])
            .await
            .map_err(|e| format!("pod {}: {}", self.pod, plain_error(&e)))?;
        let (Some(upstream), Some(error)) = (
            forwarder.take_stream(self.remote),
            forwarder.take_error(self.remote),
        ) else {
            return Err("the API server opened no stream for the port".into());
        };
        let (mut from_local, mut to_local) = socket.into_split();
        let (mut from_pod, mut to_pod) = tokio::io::split(upstream);
        let c = &self.counters;
        let up = async {
            pump(&mut from_local, &mut to_pod, &c.bytes_out, &c.changed).await;
            let _ = to_pod.shutdown().await;
            // The pod's side decides when the connection is over.
            std::future::pending::<()>().await;
        };
        let down = pump(&mut from_pod, &mut to_local, &c.bytes_in, &c.changed);
        tokio::select! {
            () = up => {}
            () = down => {}
        }
        // The kubelet writes its error before closing the streams, so it
        // has arrived by the time the pod's side has ended.
        match error.now_or_never().flatten() {
            Some(message) => Err(refusal_words(&message, &self.pod, self.remote)),
            None => Ok(()),
        }
    }
}

/// Copies until either side ends, counting the bytes as they go.
async fn pump(
    from: &mut (impl AsyncRead + Unpin),
    to: &mut (impl AsyncWrite + Unpin),
    count: &AtomicU64,
    changed: &Notify,
) {
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        if to.write_all(&buf[..n]).await.is_err() || to.flush().await.is_err() {
            return;
        }
        count.fetch_add(n as u64, Ordering::Relaxed);
        changed.notify_one();
    }
}

/// The kubelet's "error forwarding port 9999 to pod …, uid …: …
/// connection refused" in plain words.
pub fn refusal_words(message: &str, pod: &str, port: u16) -> String {
    let lower = message.to_lowercase();
    if lower.contains("connection refused") {
        return format!("refused: nothing listens on port {port} in pod {pod}");
    }
    if lower.contains("timed out") || lower.contains("timeout") {
        return format!("pod {pod} did not answer on port {port} (timed out)");
    }
    // Past the kubelet's prefix, the runtime's own words.
    let rest = message
        .split_once(": ")
        .map_or(message, |(_, rest)| rest)
        .trim();
    let short: String = rest.chars().take(160).collect();
    format!("pod {pod} port {port}: {short}")
}

#[cfg(test)]
mod tests {
    use super::refusal_words;

    #[test]
    fn the_kubelets_refusal_reads_in_plain_words() {
        let kubelet = "error forwarding port 9999 to pod 4f1c, uid : failed to execute portforward \
                       in network namespace \"/var/run/netns/cni-4f1c\": failed to connect to \
                       localhost:9999 inside namespace \"4f1c\", IPv4: dial tcp4 127.0.0.1:9999: \
                       connect: connection refused ";
        assert_eq!(
            refusal_words(kubelet, "web-1", 9999),
            "refused: nothing listens on port 9999 in pod web-1"
        );
        let other = "error forwarding port 80 to pod 4f1c, uid : socat not found";
        assert_eq!(
            refusal_words(other, "web-1", 80),
            "pod web-1 port 80: socat not found"
        );
    }
}
