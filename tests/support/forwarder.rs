//! A TCP port forwarding to the engine's unix socket: a second engine
//! that is the same engine reached another way, which a test can stop
//! (an engine going away) and ask which requests went through it.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)] // shared by tests using parts of it

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, UnixStream};
use tokio::task::JoinSet;

/// A TCP port forwarding to the engine's unix socket, noting each
/// request line; `stop` drops the listener and every connection.
pub struct Forwarder {
    pub port: u16,
    socket: String,
    requests: Arc<Mutex<Vec<String>>>,
    tasks: Option<JoinSet<()>>,
}

impl Forwarder {
    pub async fn start(socket: &str, port: u16) -> Forwarder {
        let mut f = Forwarder {
            port,
            socket: socket.to_string(),
            requests: Arc::default(),
            tasks: None,
        };
        f.serve().await;
        f
    }

    pub async fn serve(&mut self) {
        let listener = TcpListener::bind(("127.0.0.1", self.port))
            .await
            .expect("bind the forwarder");
        self.port = listener.local_addr().unwrap().port();
        let (socket, requests) = (self.socket.clone(), self.requests.clone());
        let mut tasks = JoinSet::new();
        // The connections belong to the accept loop's task: aborting it
        // drops their set, which cuts them all, as an engine dying would.
        let conns = Arc::new(Mutex::new(JoinSet::new()));
        tasks.spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let (socket, requests) = (socket.clone(), requests.clone());
                conns.lock().unwrap().spawn(async move {
                    let Ok(unix) = UnixStream::connect(&socket).await else {
                        return;
                    };
                    let (mut tr, mut tw) = tcp.into_split();
                    let (mut ur, mut uw) = unix.into_split();
                    let up = async {
                        let mut buf = vec![0u8; 16 * 1024];
                        while let Ok(n) = tr.read(&mut buf).await {
                            if n == 0 {
                                break;
                            }
                            let text = String::from_utf8_lossy(&buf[..n]);
                            for line in text.lines().filter(|l| l.ends_with("HTTP/1.1")) {
                                requests.lock().unwrap().push(line.to_string());
                            }
                            if uw.write_all(&buf[..n]).await.is_err() {
                                break;
                            }
                        }
                    };
                    let down = tokio::io::copy(&mut ur, &mut tw);
                    tokio::select! {
                        _ = up => {}
                        _ = down => {}
                    }
                });
            }
        });
        self.tasks = Some(tasks);
    }

    pub fn stop(&mut self) {
        if let Some(mut tasks) = self.tasks.take() {
            tasks.abort_all();
        }
    }

    pub fn saw(&self, needle: &str) -> bool {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .any(|r| r.contains(needle))
    }

    /// A request line holding both (a method and a path).
    pub fn saw_both(&self, a: &str, b: &str) -> bool {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .any(|r| r.contains(a) && r.contains(b))
    }
}
