//! `GET /api/v1/namespaces/{ns}/pods/{name}/portforward?ports=P[,Q]` over a
//! WebSocket, as the kubelet serves it behind the API server:
//!
//! - Subprotocol: the kubelet's WebSocket port-forward speaks
//!   `v4.channel.k8s.io` (binary), `v4.base64.channel.k8s.io` and no
//!   subprotocol at all (kubelet `pkg/kubelet/cri/streaming/portforward/
//!   websocket.go`, `handleWebSocketStreams`); `v5` is not in its list, so
//!   kube-rs, which offers `v5.channel.k8s.io, v4.channel.k8s.io`
//!   (kube-client `src/client/upgrade.rs`), gets v4. The base64 variant is
//!   not served here (no client of opsdeck asks for it).
//!   `portforward.k8s.io` is the SPDY protocol's name
//!   (`X-Stream-Protocol-Version`, what kubectl sends with
//!   `Upgrade: SPDY/3.1`); SPDY is not simulated.
//! - The API server takes the ports as `ports` (PodPortForwardOptions) and
//!   hands them on to the kubelet; each must parse as 1..=65535
//!   (websocket.go `NewV4Options`: "query parameter ... is required",
//!   "unable to parse ... as a port", "must be > 0").
//! - Channels: port `i` of the query gets data channel `2i` and error
//!   channel `2i+1`; every binary frame starts with its channel byte
//!   (apimachinery `pkg/util/httpstream/wsstream/conn.go`). "The associated
//!   port is written to each stream as a unsigned 16 bit integer in little
//!   endian format" first (websocket.go), which kube-rs checks
//!   (`portforward.rs`: the initial frame must be 3 bytes, the port must
//!   match).
//! - A port nobody listens on: the kubelet writes "error forwarding port
//!   P to pod ID, uid U: ERR" on the error channel (websocket.go
//!   `portForward`), ERR being the runtime's dial failure (containerd:
//!   "failed to connect to localhost:P inside namespace ...: connection
//!   refused"), then closes the streams and the connection.
//!
//! The pod "listens" on every `containerPort` its running containers
//! declare: an HTTP request gets a fixed `200 OK` naming the pod and the
//! port (so `curl` through a forward shows something), any other bytes
//! are echoed back.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures::{SinkExt, StreamExt};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::Role;

use super::errors::ApiError;
use super::state::Shared;
use super::store::Kind;

const V4: &str = "v4.channel.k8s.io";

/// The ports of the query, in its order (`ports=80,8080` or repeated).
fn parse_ports(pairs: &[(String, String)]) -> Result<Vec<u16>, ApiError> {
    let values: Vec<&str> = pairs
        .iter()
        .filter(|(k, _)| k == "ports" || k == "port")
        .map(|(_, v)| v.as_str())
        .collect();
    if values.is_empty() {
        return Err(ApiError::bad_request(
            "query parameter \"port\" is required",
        ));
    }
    let mut ports = Vec::new();
    for value in values {
        if value.is_empty() {
            return Err(ApiError::bad_request(
                "query parameter \"port\" cannot be empty",
            ));
        }
        for p in value.split(',') {
            let port: u16 = p.trim().parse().map_err(|_| {
                ApiError::bad_request(format!("unable to parse \"{value}\" as a port"))
            })?;
            if port == 0 {
                return Err(ApiError::bad_request(format!(
                    "port \"{value}\" must be > 0"
                )));
            }
            ports.push(port);
        }
    }
    Ok(ports)
}

/// What the pod answers on: its uid and the ports its running
/// containers declare (none when it does not run).
struct Listening {
    uid: String,
    ports: Vec<u16>,
}

fn listening(shared: &Shared, ns: &str, name: &str) -> Result<Listening, ApiError> {
    shared.read(|st| {
        let pod = st
            .store
            .get(Kind::Pod, ns, name)
            .ok_or_else(|| ApiError::not_found(Kind::Pod, name))?;
        // The API server refuses before reaching any kubelet
        // (pkg/registry/core/pod/strategy.go, PortForwardLocation).
        if pod.str_at("/spec/nodeName").is_empty() {
            return Err(ApiError::bad_request(format!(
                "pod {name} does not have a host assigned"
            )));
        }
        let uid = pod.str_at("/metadata/uid").to_string();
        let running = pod.str_at("/status/phase") == "Running";
        let statuses = pod
            .value
            .pointer("/status/containerStatuses")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let is_running = |container: &str| {
            statuses.iter().any(|s| {
                s["name"].as_str() == Some(container) && s.pointer("/state/running").is_some()
            })
        };
        let mut ports = Vec::new();
        let containers = pod
            .value
            .pointer("/spec/containers")
            .and_then(Value::as_array);
        for c in containers.into_iter().flatten() {
            let name = c["name"].as_str().unwrap_or_default();
            if !running || !is_running(name) {
                continue;
            }
            for p in c["ports"].as_array().into_iter().flatten() {
                if let Some(port) = p["containerPort"]
                    .as_u64()
                    .and_then(|n| u16::try_from(n).ok())
                {
                    ports.push(port);
                }
            }
        }
        Ok(Listening { uid, ports })
    })
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
    let ports = match parse_ports(&pairs) {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let pod = match listening(&shared, &ns, &name) {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let Some(key) = headers
        .get("sec-websocket-key")
        .and_then(|k| k.to_str().ok())
    else {
        return ApiError::bad_request(
            "port-forward needs a WebSocket upgrade (no Sec-WebSocket-Key)",
        )
        .into_response();
    };
    let protocol = match pick_protocol(&headers) {
        Ok(p) => p,
        Err(offered) => {
            return ApiError::bad_request(format!(
                "none of the offered subprotocols ({offered}) is supported; this server speaks {V4}"
            ))
            .into_response();
        }
    };
    let accept = derive_accept_key(key.as_bytes());
    tokio::spawn(async move {
        match hyper::upgrade::on(req).await {
            Ok(upgraded) => {
                let ws =
                    WebSocketStream::from_raw_socket(TokioIo::new(upgraded), Role::Server, None)
                        .await;
                serve(ws, &name, &pod, &ports).await;
            }
            Err(e) => tracing::warn!("port-forward upgrade failed: {e}"),
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
    if let Some(protocol) = protocol {
        h.insert(
            header::SEC_WEBSOCKET_PROTOCOL,
            header::HeaderValue::from_static(protocol),
        );
    }
    response
}

/// `v4.channel.k8s.io` when offered; `None` (no subprotocol, binary
/// framing too) when nothing is offered; the offer when none is spoken.
fn pick_protocol(headers: &HeaderMap) -> Result<Option<&'static str>, String> {
    let offered: Vec<String> = headers
        .get_all(header::SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    if offered.is_empty() {
        return Ok(None);
    }
    if offered.iter().any(|p| p == V4) {
        return Ok(Some(V4));
    }
    Err(offered.join(", "))
}

type Ws = WebSocketStream<TokioIo<hyper::upgrade::Upgraded>>;

fn frame(channel: u8, bytes: &[u8]) -> Message {
    let mut out = Vec::with_capacity(bytes.len() + 1);
    out.push(channel);
    out.extend_from_slice(bytes);
    Message::binary(out)
}

async fn serve(mut ws: Ws, pod: &str, listening: &Listening, ports: &[u16]) {
    for (i, port) in ports.iter().enumerate() {
        let Ok(data) = u8::try_from(2 * i) else {
            break;
        };
        let hello = port.to_le_bytes();
        if ws.send(frame(data, &hello)).await.is_err()
            || ws.send(frame(data + 1, &hello)).await.is_err()
        {
            return;
        }
    }
    let refused: Vec<(usize, u16)> = ports
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, p)| !listening.ports.contains(p))
        .collect();
    if !refused.is_empty() {
        for (i, port) in refused {
            let message = format!(
                "error forwarding port {port} to pod {uid}, uid : failed to execute portforward \
                 in network namespace \"/var/run/netns/cni-{uid}\": failed to connect to \
                 localhost:{port} inside namespace \"{uid}\", IPv4: dial tcp4 127.0.0.1:{port}: \
                 connect: connection refused IPv6 dial tcp6 [::1]:{port}: connect: connection \
                 refused ",
                uid = listening.uid,
            );
            if let Ok(ch) = u8::try_from(2 * i + 1) {
                let _ = ws.send(frame(ch, message.as_bytes())).await;
            }
        }
        let _ = ws.close(None).await;
        return;
    }
    while let Some(Ok(msg)) = ws.next().await {
        // A Close is answered by the next read, which then ends the loop.
        let Message::Binary(bytes) = msg else {
            continue;
        };
        let Some((&channel, data)) = bytes.split_first() else {
            continue;
        };
        let Some(&port) = ports.get(usize::from(channel) / 2) else {
            continue;
        };
        if channel % 2 != 0 || data.is_empty() {
            continue;
        }
        let reply = answer(pod, port, data);
        if ws.send(frame(channel, &reply)).await.is_err() {
            break;
        }
    }
    let _ = ws.close(None).await;
}

/// What the pod's server says to `data`: a fixed page to an HTTP
/// request, the bytes themselves otherwise.
fn answer(pod: &str, port: u16, data: &[u8]) -> Vec<u8> {
    let http = ["GET ", "HEAD ", "POST ", "PUT "]
        .iter()
        .any(|m| data.starts_with(m.as_bytes()));
    if !http {
        return data.to_vec();
    }
    let body = format!("hello from pod {pod} on port {port}\n");
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn ports_parse_comma_separated_or_repeated_and_refuse_nonsense() {
        let got = parse_ports(&pairs(&[("ports", "80,8080"), ("ports", "9")])).ok();
        assert_eq!(got, Some(vec![80, 8080, 9]));
        assert!(parse_ports(&pairs(&[])).is_err());
        assert!(parse_ports(&pairs(&[("ports", "0")])).is_err());
        assert!(parse_ports(&pairs(&[("ports", "http")])).is_err());
        assert!(parse_ports(&pairs(&[("ports", "70000")])).is_err());
    }

    #[test]
    fn http_gets_a_page_and_other_bytes_come_back() {
        assert_eq!(answer("web-1", 8080, b"ping"), b"ping");
        let page = String::from_utf8(answer("web-1", 8080, b"GET / HTTP/1.1\r\n\r\n")).unwrap();
        assert!(page.starts_with("HTTP/1.1 200 OK\r\n"), "{page}");
        assert!(
            page.ends_with("hello from pod web-1 on port 8080\n"),
            "{page}"
        );
    }
}
