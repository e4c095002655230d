use bollard::{API_DEFAULT_VERSION, Docker};

/// Seconds bollard waits for a reply; long enough for a slow `stop`.
const REQUEST_TIMEOUT_SECS: u64 = 120;

/// Where the engine is: `DOCKER_HOST`, `DOCKER_CONTEXT`, the config, the
/// current docker context, the platform default (see `context`). A
/// context that cannot be read is kept as the address's error: the
/// source then says it instead of connecting. Its TLS files are kept
/// for `connect` to use (see `tls`).
pub fn resolve_host(configured: Option<&str>) -> Result<String, String> {
    let resolved = super::context::resolve(&super::context::Inputs::from_env(configured))?;
    engine_address(resolved)
}

/// An address in `[docker] hosts`: the environment's TLS rule applies to
/// it as to `[docker] host`.
pub fn resolve_address(host: &str) -> Result<String, String> {
    engine_address(super::context::Inputs::from_env(None).address(host))
}

/// A docker context named in `[docker] hosts`: its address and TLS files.
pub fn resolve_context(name: &str) -> Result<String, String> {
    let inputs = super::context::Inputs::from_env(None);
    let chosen_by = "[docker] hosts in config.toml";
    engine_address(super::context::context_endpoint(
        inputs.config_dir.as_deref(),
        name,
        chosen_by,
    )?)
}

/// The address, its TLS files kept for `connect`.
pub fn engine_address(resolved: super::context::Resolved) -> Result<String, String> {
    if let Some(tls) = &resolved.tls {
        super::tls::remember(&resolved.host, tls)?;
    }
    Ok(resolved.host)
}

/// The same, for callers that cannot report an error (tests, benches): a
/// context that cannot be read falls back to the default socket.
pub fn describe_host(configured: Option<&str>) -> String {
    resolve_host(configured).unwrap_or_else(|e| {
        tracing::warn!(error = %e, "Docker context unusable; trying the default socket");
        super::context::DEFAULT_HOST.to_string()
    })
}

/// Connects and negotiates the API version, so older engines (Debian's
/// 20.10 speaks 1.41) and Podman work with the same client: a local
/// socket's ping says it, other hosts are asked for their version.
pub async fn connect(host: &str) -> Result<Docker, String> {
    if host.starts_with("ssh://") {
        return connect_ssh(host).await;
    }
    let docker = if let Some(path) = host.strip_prefix("unix://") {
        // A local engine's ping names its API version: no /version
        // round trip (as the docker CLI negotiates). Without an answer,
        // negotiating below says what is wrong.
        if let Some(version) = super::ping::api_version(path).await {
            // As negotiating does: the engine's version when it is older.
            let version = if version < *API_DEFAULT_VERSION {
                version
            } else {
                *API_DEFAULT_VERSION
            };
            return Docker::connect_with_unix(path, REQUEST_TIMEOUT_SECS, &version)
                .map_err(|e| format!("cannot use Docker host {host}: {e}"));
        }
        Docker::connect_with_unix(path, REQUEST_TIMEOUT_SECS, API_DEFAULT_VERSION)
    } else if host.starts_with("tcp://") || host.starts_with("https://") {
        // An https:// address nobody resolved (a test's, a bench's) takes
        // the environment's files, as a resolved one would have.
        // A tcp:// one nobody resolved with TLS is plain.
        let tls = super::tls::known(host).or_else(|| {
            let https = host.starts_with("https://");
            https.then(|| super::context::Inputs::from_env(None).address(host).tls)?
        });
        match tls {
            Some(tls) => return connect_tls(host, &tls).await,
            None => Docker::connect_with_http(host, REQUEST_TIMEOUT_SECS, API_DEFAULT_VERSION),
        }
    } else if host.starts_with("http://") {
        Docker::connect_with_http(host, REQUEST_TIMEOUT_SECS, API_DEFAULT_VERSION)
    } else {
        return Err(format!(
            "unsupported Docker host `{host}` (use unix://, ssh://, tcp://, http:// or https://)"
        ));
    }
    .map_err(|e| format!("cannot use Docker host {host}: {e}"))?;
    // Negotiating asks the engine for its version, which also proves it
    // answers: no separate ping, one round trip less before the list.
    docker
        .negotiate_version()
        .await
        .map_err(|e| connect_error(host, &e))
}

/// With TLS files: the same negotiation, and TLS failures said with the
/// files to check.
async fn connect_tls(host: &str, tls: &super::tls::Tls) -> Result<Docker, String> {
    let docker = tls.client(host, REQUEST_TIMEOUT_SECS, API_DEFAULT_VERSION)?;
    docker.negotiate_version().await.map_err(|e| {
        super::tls::explain(host, tls, &chain(&e)).unwrap_or_else(|| connect_error(host, &e))
    })
}

/// Through the system ssh client; when the engine does not answer, ssh's
/// own words say why (login refused, no docker there) if it said any.
async fn connect_ssh(host: &str) -> Result<Docker, String> {
    let target = super::ssh::SshTarget::parse(host)?;
    let (docker, words) = super::ssh::client(&target, REQUEST_TIMEOUT_SECS)?;
    match docker.negotiate_version().await {
        Ok(docker) => Ok(docker),
        Err(e) => Err(match words.explain(&target).await {
            Some(text) => text,
            None => connect_error(&format!("ssh://{}", target.describe()), &e),
        }),
    }
}

/// Why the engine at `host` could not be reached, in one sentence that
/// names it and says what to check. bollard's own words ("Error in the
/// hyper legacy client: client error (Connect)") name neither.
pub fn connect_error(host: &str, e: &bollard::errors::Error) -> String {
    use bollard::errors::Error as E;
    const CHECK: &str =
        "check DOCKER_HOST (or DOCKER_CONTEXT, [docker] host in config.toml, docker context use)";
    match e {
        // Something answered, but /version is the first thing every Docker
        // API serves: it is not an engine (or a proxy hiding the API).
        // Go's TLS server answers a plain HTTP request so (crypto/tls,
        // net/http `Server.serve`): the engine has TLS on that port.
        E::DockerResponseServerError {
            status_code: 400,
            message,
        } if message.contains("HTTPS server") => format!(
            "the engine at {host} expects TLS: set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH, or \
             use a context with TLS"
        ),
        E::DockerResponseServerError {
            status_code,
            message,
        } => {
            let said = match message.trim() {
                "" => String::new(),
                m => format!(": {}", first_line(m)),
            };
            format!(
                "{host} answered HTTP {status_code}{said} to a Docker version request: it is \
                 not a Docker engine; {CHECK}"
            )
        }
        E::JsonSerdeError { .. } | E::JsonDataError { .. } | E::APIVersionParseError {} => {
            format!("{host} answered, but not as a Docker engine does; {CHECK}")
        }
        E::RequestTimeoutError => {
            format!("the Docker engine at {host} did not answer in time; is it overloaded?")
        }
        other => {
            let detail = chain(other).to_lowercase();
            if detail.contains("connection refused") {
                format!(
                    "nothing answers at {host} (connection refused): is the Docker engine \
                     running there? {}",
                    capital(CHECK)
                )
            } else if detail.contains("no such file") {
                format!(
                    "no Docker socket at {host}: is the Docker engine running? {}",
                    capital(CHECK)
                )
            } else if detail.contains("permission denied") {
                format!(
                    "permission denied on {host}: add your user to the docker group (then log \
                     in again), or use a socket you may open"
                )
            } else if detail.contains("dns") || detail.contains("lookup") {
                format!("the name in {host} does not resolve; {CHECK}")
            } else {
                format!("cannot reach the Docker engine at {host}: {}", chain(other))
            }
        }
    }
}

/// Engine errors in plain words: the engine's own message when it sent one.
pub fn plain_error(e: &bollard::errors::Error) -> String {
    use bollard::errors::Error as E;
    match e {
        E::DockerResponseServerError {
            status_code,
            message,
        } if message.trim().is_empty() => {
            format!("the engine answered HTTP {status_code} with no message")
        }
        E::DockerResponseServerError {
            status_code,
            message,
        } => format!("{} (HTTP {status_code})", first_line(message)),
        E::RequestTimeoutError => "the engine did not answer in time".to_string(),
        other => {
            let text = chain(other);
            if text.contains("No such file") || text.contains("Connection refused") {
                format!("engine not reachable: {text}")
            } else {
                text
            }
        }
    }
}

/// The error and its causes, each said once: bollard's top line alone
/// ("client error (Connect)") hides the one that matters.
fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let part = s.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = s.source();
    }
    text
}

fn first_line(text: &str) -> &str {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
}

fn capital(words: &str) -> String {
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    use super::*;

    #[tokio::test]
    async fn a_refused_tcp_connection_names_the_host_and_what_to_check() {
        // A port that was just free: nothing listens there.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let host = format!("tcp://127.0.0.1:{port}");
        let text = connect(&host).await.err().unwrap();
        assert!(text.contains(&host), "{text}");
        assert!(text.contains("connection refused"), "{text}");
        assert!(text.contains("DOCKER_HOST"), "{text}");
        assert!(!text.contains("hyper"), "{text}");
    }

    /// A loopback server that answers every request 404 with `body`.
    async fn not_docker(body: &'static str) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            while let Ok((mut sock, _)) = listener.accept().await {
                let mut buf = [0u8; 4096];
                let _ = sock.read(&mut buf).await;
                let reply = format!(
                    "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n\
                     Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = sock.write_all(reply.as_bytes()).await;
            }
        });
        format!("tcp://127.0.0.1:{port}")
    }

    #[tokio::test]
    async fn a_server_answering_404_is_said_not_to_be_an_engine() {
        for body in ["", "404 page not found\n<html>\n"] {
            let host = not_docker(body).await;
            let text = connect(&host).await.err().unwrap();
            assert!(text.contains(&host), "{text}");
            assert!(text.contains("HTTP 404"), "{text}");
            assert!(text.contains("not a Docker engine"), "{text}");
            assert!(!text.contains("( (") && !text.contains('\n'), "{text}");
        }
    }

    /// What Go's TLS server (dockerd with --tlsverify) answers to plain
    /// HTTP, byte for byte: status 400, no headers, its sentence.
    #[tokio::test]
    async fn plain_http_to_a_tls_port_is_told_the_engine_expects_tls() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            while let Ok((mut sock, _)) = listener.accept().await {
                let mut buf = [0u8; 4096];
                let _ = sock.read(&mut buf).await;
                let reply = "HTTP/1.0 400 Bad Request\r\n\r\n\
                             Client sent an HTTP request to an HTTPS server.\n";
                let _ = sock.write_all(reply.as_bytes()).await;
            }
        });
        let host = format!("tcp://127.0.0.1:{port}");
        let text = connect(&host).await.err().unwrap();
        assert!(
            text.starts_with(&format!(
                "the engine at {host} expects TLS: set DOCKER_TLS_VERIFY=1"
            )),
            "{text}"
        );
    }

    #[test]
    fn an_empty_engine_message_still_reads_as_a_sentence() {
        let e = bollard::errors::Error::DockerResponseServerError {
            status_code: 500,
            message: String::new(),
        };
        assert_eq!(
            plain_error(&e),
            "the engine answered HTTP 500 with no message"
        );
    }
}
