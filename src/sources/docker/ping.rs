//! The API version of a local engine from `GET /_ping`.
//!
//! bollard negotiates with `GET /version`, which a 20.10 engine answers in
//! ~10 ms (it asks containerd and runc for their versions too); every
//! engine also names its API version in the `API-Version` header of its
//! `/_ping` answer (Docker Engine API docs, "Ping": "API-Version: Max API
//! Version the server supports"), which takes ~1 ms. That is one round
//! trip of the few between start-up and the container list on screen.
//! Anything unexpected gives None, and the caller negotiates as before.

use std::time::Duration;

use bollard::ClientVersion;
use bytes::Bytes;
use http_body_util::Empty;
use hyper_util::rt::TokioIo;

/// An engine that takes longer than this to answer a ping is asked the
/// usual way, whose error messages say what is wrong.
const PING_TIMEOUT: Duration = Duration::from_secs(2);

/// The `API-Version` an engine at the unix socket `path` answers a ping
/// with, or None (no answer in time, not 200, no such header).
pub async fn api_version(path: &str) -> Option<ClientVersion> {
    tokio::time::timeout(PING_TIMEOUT, ask(path))
        .await
        .ok()
        .flatten()
}

async fn ask(path: &str) -> Option<ClientVersion> {
    let stream = tokio::net::UnixStream::connect(path).await.ok()?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .ok()?;
    // Driven on its own task: it ends when the answer is read and the
    // sender dropped, or when the engine closes the socket.
    tokio::spawn(connection);
    let request = hyper::Request::get("/_ping")
        .header(hyper::header::HOST, "docker")
        .body(Empty::<Bytes>::new())
        .ok()?;
    let response = sender.send_request(request).await.ok()?;
    if !response.status().is_success() {
        return None;
    }
    let text = response.headers().get("api-version")?.to_str().ok()?;
    parse(text)
}

/// "1.41" → 1.41; anything else (a missing minor, words) → None.
fn parse(text: &str) -> Option<ClientVersion> {
    let (major, minor) = text.trim().split_once('.')?;
    Some(ClientVersion {
        major_version: major.parse().ok()?,
        minor_version: minor.parse().ok()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[test]
    fn versions_are_read_as_the_engine_writes_them() {
        let v = parse("1.41").expect("parsed");
        assert_eq!((v.major_version, v.minor_version), (1, 41));
        let v = parse(" 1.52 ").expect("parsed");
        assert_eq!((v.major_version, v.minor_version), (1, 52));
        assert!(parse("1").is_none());
        assert!(parse("one.two").is_none());
        assert!(parse("").is_none());
    }

    /// A socket that answers one request with `answer`.
    async fn engine_answering(answer: &'static str) -> (tempfile::TempDir, String) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("docker.sock");
        let listener = tokio::net::UnixListener::bind(&path).expect("bind");
        tokio::spawn(async move {
            if let Ok((mut conn, _)) = listener.accept().await {
                let mut buf = [0u8; 1024];
                let _ = conn.read(&mut buf).await;
                let _ = conn.write_all(answer.as_bytes()).await;
            }
        });
        (dir, path.to_string_lossy().into_owned())
    }

    #[tokio::test]
    async fn the_ping_header_gives_the_version() {
        let (_dir, path) =
            engine_answering("HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Length: 2\r\n\r\nOK")
                .await;
        let v = api_version(&path).await.expect("a version");
        assert_eq!((v.major_version, v.minor_version), (1, 41));
    }

    #[tokio::test]
    async fn no_header_an_error_or_no_engine_is_none() {
        let (_dir, path) = engine_answering("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK").await;
        assert!(api_version(&path).await.is_none());
        let (_dir, path) = engine_answering(
            "HTTP/1.1 500 Internal Server Error\r\nApi-Version: 1.41\r\nContent-Length: 0\r\n\r\n",
        )
        .await;
        assert!(api_version(&path).await.is_none());
        assert!(api_version("/nonexistent/docker.sock").await.is_none());
    }
}
