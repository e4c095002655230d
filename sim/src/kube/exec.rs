//! `GET /api/v1/namespaces/{ns}/pods/{name}/exec` over a WebSocket, the way
//! the API server serves it to kubectl and kube-rs:
//!
//! - The client offers subprotocols in one `Sec-WebSocket-Protocol` header
//!   (kube-rs sends `v5.channel.k8s.io, v4.channel.k8s.io`,
//!   kube-client `src/client/upgrade.rs`); the server answers with the
//!   first it supports. v5 adds a CLOSE frame `[255, channel]`
//!   (apimachinery `pkg/util/remotecommand/constants.go`, KEP-3396).
//! - Every binary frame starts with its channel byte: 0 stdin, 1 stdout,
//!   2 stderr, 3 error (a `metav1.Status` as JSON, written once at exit),
//!   4 resize (`{"Width":..,"Height":..}`) (apimachinery
//!   `pkg/util/httpstream/wsstream/conn.go`, the "channel.k8s.io" protocol:
//!   "each binary message ... prefixed with a byte indicating the channel").
//! - On connection the server writes a frame holding only the channel byte
//!   of each channel it writes to (kube-rs `remote_command.rs` skips those
//!   "Message of size 1 (only channel number) is sent on connection").
//! - At exit the error channel carries `{"status":"Success"}` or a Failure
//!   with reason `NonZeroExitCode` and a cause of type `ExitCode` holding
//!   the code (kubelet `pkg/kubelet/cri/streaming/remotecommand`,
//!   `errorDecoderV4` in client-go); a program missing from the image is an
//!   `InternalError` "error executing command in container" (kubelet), as
//!   containerd reports it. Then the server closes the WebSocket.
//!
//! The container runs the tiny shell of `exec_shell.rs`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures::{SinkExt, StreamExt};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::Role;

use super::errors::ApiError;
use super::exec_shell::{Program, Step};
use super::state::Shared;
use super::store::Kind;

const STDIN: u8 = 0;
const STDOUT: u8 = 1;
const STDERR: u8 = 2;
const ERROR: u8 = 3;
const RESIZE: u8 = 4;
const CLOSE: u8 = 255;

const V5: &str = "v5.channel.k8s.io";
const V4: &str = "v4.channel.k8s.io";

/// What the query asked for (`command` repeats, one per argument).
struct Asked {
    command: Vec<String>,
    container: Option<String>,
    stdin: bool,
    stderr: bool,
    tty: bool,
}

impl Asked {
    fn parse(pairs: &[(String, String)]) -> Asked {
        let flag = |k: &str| {
            pairs
                .iter()
                .any(|(n, v)| n == k && (v == "true" || v == "1"))
        };
        Asked {
            command: pairs
                .iter()
                .filter(|(n, _)| n == "command")
                .map(|(_, v)| v.clone())
                .collect(),
            container: pairs
                .iter()
                .find(|(n, _)| n == "container")
                .map(|(_, v)| v.clone()),
            stdin: flag("stdin"),
            stderr: flag("stderr"),
            tty: flag("tty"),
        }
    }
}

pub(crate) async fn handle(
    State(shared): State<Arc<Shared>>,
    Path((ns, name)): Path<(String, String)>,
    Query(pairs): Query<Vec<(String, String)>>,
    req: Request,
) -> Response {
    let headers = req.headers().clone();
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if token.map(str::trim) != Some(shared.token.as_str()) {
        return ApiError::unauthorized().into_response();
    }
    let asked = Asked::parse(&pairs);
    if asked.command.is_empty() {
        return ApiError::bad_request("you must specify at least 1 command").into_response();
    }
    // A TTY merges stderr into stdout (kubectl refuses both at once).
    if asked.tty && asked.stderr {
        return ApiError::bad_request("stderr cannot be used with tty").into_response();
    }
    let env = match container_env(&shared, &ns, &name, asked.container.as_deref()) {
        Ok(env) => env,
        Err(e) => return e.into_response(),
    };
    let Some(key) = headers
        .get("sec-websocket-key")
        .and_then(|k| k.to_str().ok())
    else {
        return ApiError::bad_request("exec needs a WebSocket upgrade (no Sec-WebSocket-Key)")
            .into_response();
    };
    let Some(protocol) = pick_protocol(&headers) else {
        return ApiError::bad_request(format!(
            "none of the offered subprotocols is supported; this server speaks {V5} and {V4}"
        ))
        .into_response();
    };
    let accept = derive_accept_key(key.as_bytes());
    tokio::spawn(async move {
        match hyper::upgrade::on(req).await {
            Ok(upgraded) => {
                let io = TokioIo::new(upgraded);
                let ws = WebSocketStream::from_raw_socket(io, Role::Server, None).await;
                run(ws, protocol == V5, asked, &name, env).await;
            }
            Err(e) => tracing::warn!("exec upgrade failed: {e}"),
        }
    });
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
    let h = response.headers_mut();
    h.insert(
        header::UPGRADE,
        header::HeaderValue::from_static("websocket"),
    );
    h.insert(
        header::CONNECTION,
        header::HeaderValue::from_static("Upgrade"),
    );
    if let Ok(v) = header::HeaderValue::from_str(&accept) {
        h.insert(header::SEC_WEBSOCKET_ACCEPT, v);
    }
    h.insert(
        header::SEC_WEBSOCKET_PROTOCOL,
        header::HeaderValue::from_static(protocol),
    );
    response
}

/// The first subprotocol offered that is spoken here, v5 before v4 when
/// both are offered (the client lists them in its order of preference).
fn pick_protocol(headers: &HeaderMap) -> Option<&'static str> {
    let offered: Vec<String> = headers
        .get_all(header::SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|p| p.trim().to_string())
        .collect();
    offered.iter().find_map(|p| match p.as_str() {
        V5 => Some(V5),
        V4 => Some(V4),
        _ => None,
    })
}

/// The container's environment as `env` prints it; the API server's 404
/// and 400s for a missing pod, container, or a pod that has finished.
fn container_env(
    shared: &Shared,
    ns: &str,
    name: &str,
    container: Option<&str>,
) -> Result<Vec<(String, String)>, ApiError> {
    shared.read(|st| {
        let pod = st
            .store
            .get(Kind::Pod, ns, name)
            .ok_or_else(|| ApiError::not_found(Kind::Pod, name))?;
        let ctr = super::logs::resolve_container(&pod.value, name, container)?;
        let phase = pod.str_at("/status/phase");
        if phase == "Succeeded" || phase == "Failed" {
            return Err(ApiError::bad_request(format!(
                "cannot exec into a container in a completed pod; current phase is {phase}"
            )));
        }
        let spec = pod
            .value
            .pointer("/spec/containers")
            .and_then(Value::as_array)
            .and_then(|cs| cs.iter().find(|c| c["name"].as_str() == Some(&ctr)));
        let mut env = vec![
            ("HOSTNAME".to_string(), name.to_string()),
            (
                "PATH".to_string(),
                "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string(),
            ),
        ];
        for var in spec.and_then(|c| c["env"].as_array()).into_iter().flatten() {
            if let (Some(k), Some(v)) = (var["name"].as_str(), var["value"].as_str()) {
                env.push((k.to_string(), v.to_string()));
            }
        }
        Ok(env)
    })
}

type Ws = WebSocketStream<TokioIo<hyper::upgrade::Upgraded>>;

async fn run(mut ws: Ws, v5: bool, asked: Asked, pod: &str, env: Vec<(String, String)>) {
    let mut ready = vec![STDOUT, ERROR];
    if asked.stderr {
        ready.insert(1, STDERR);
    }
    for channel in ready {
        if ws.send(Message::binary(vec![channel])).await.is_err() {
            return;
        }
    }
    let err_channel = if asked.stderr { STDERR } else { STDOUT };
    let program = Program::from_command(&asked.command);
    let mut shell = match program {
        Program::Missing(what) => {
            let message = format!(
                "Internal error occurred: error executing command in container: failed to \
                 exec in container: failed to start exec: OCI runtime exec failed: exec \
                 failed: unable to start container process: exec: \"{what}\": executable \
                 file not found in $PATH: unknown"
            );
            let status = json!({"kind": "Status", "apiVersion": "v1", "metadata": {},
                "status": "Failure", "message": message, "reason": "InternalError",
                "details": {"causes": [{"message": message}]}, "code": 500});
            finish(&mut ws, &status).await;
            return;
        }
        Program::Run(shell) => shell.with(asked.tty, pod, env),
    };
    let mut code = None;
    for step in shell.start() {
        code = code.or(send_step(&mut ws, err_channel, step).await);
    }
    while code.is_none() && asked.stdin {
        let Some(Ok(msg)) = ws.next().await else {
            return;
        };
        let Message::Binary(frame) = msg else {
            if matches!(msg, Message::Close(_)) {
                return;
            }
            continue;
        };
        match frame.first().copied() {
            Some(STDIN) => {
                for step in shell.input(&frame[1..]) {
                    code = code.or(send_step(&mut ws, err_channel, step).await);
                }
            }
            Some(RESIZE) => {
                if let Ok(size) = serde_json::from_slice::<HashMap<String, u16>>(&frame[1..]) {
                    let (w, h) = (size.get("Width"), size.get("Height"));
                    if let (Some(&w), Some(&h)) = (w, h) {
                        shell.resize(w, h);
                    }
                }
            }
            // stdin closed (v5 only): the shell reads end-of-file.
            Some(CLOSE) if v5 && frame.get(1) == Some(&STDIN) => {
                for step in shell.input(b"\x04") {
                    code = code.or(send_step(&mut ws, err_channel, step).await);
                }
                code = code.or(Some(0));
            }
            _ => {}
        }
    }
    let code = code.unwrap_or(0);
    let status = if code == 0 {
        json!({"metadata": {}, "status": "Success"})
    } else {
        json!({"metadata": {}, "status": "Failure",
            "message": format!("command terminated with non-zero exit code: error executing command [{}], exit code {code}", asked.command.join(" ")),
            "reason": "NonZeroExitCode",
            "details": {"causes": [{"reason": "ExitCode", "message": code.to_string()}]}})
    };
    finish(&mut ws, &status).await;
}

/// Sends the shell's output; `Some(code)` once it has exited.
async fn send_step(ws: &mut Ws, err_channel: u8, step: Step) -> Option<i32> {
    let (channel, bytes) = match step {
        Step::Out(bytes) => (STDOUT, bytes),
        Step::Err(bytes) => (err_channel, bytes),
        Step::Exit(code) => return Some(code),
    };
    let mut frame = Vec::with_capacity(bytes.len() + 1);
    frame.push(channel);
    frame.extend_from_slice(&bytes);
    let _ = ws.send(Message::binary(frame)).await;
    None
}

async fn finish(ws: &mut Ws, status: &Value) {
    let mut frame = vec![ERROR];
    frame.extend_from_slice(status.to_string().as_bytes());
    let _ = ws.send(Message::binary(frame)).await;
    let _ = ws.close(None).await;
}
