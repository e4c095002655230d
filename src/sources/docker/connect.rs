use bollard::{API_DEFAULT_VERSION, Docker};

/// Seconds bollard waits for a reply; long enough for a slow `stop`.
const REQUEST_TIMEOUT_SECS: u64 = 120;

/// Where the engine is: `DOCKER_HOST`, then the config, then the platform default.
pub fn describe_host(configured: Option<&str>) -> String {
    std::env::var("DOCKER_HOST")
        .ok()
        .filter(|h| !h.is_empty())
        .or_else(|| configured.map(str::to_string))
        .unwrap_or_else(|| "unix:///var/run/docker.sock".to_string())
}

/// Connects and negotiates the API version, so older engines (Debian's
/// 20.10 speaks 1.41) and Podman work with the same client.
pub async fn connect(host: &str) -> Result<Docker, String> {
    let docker = if let Some(path) = host.strip_prefix("unix://") {
        Docker::connect_with_unix(path, REQUEST_TIMEOUT_SECS, API_DEFAULT_VERSION)
    } else if host.starts_with("tcp://") || host.starts_with("http://") {
        if std::env::var("DOCKER_TLS_VERIFY").is_ok_and(|v| !v.is_empty() && v != "0") {
            Docker::connect_with_ssl_defaults()
        } else {
            Docker::connect_with_http(host, REQUEST_TIMEOUT_SECS, API_DEFAULT_VERSION)
        }
    } else if host.starts_with("https://") {
        Docker::connect_with_ssl_defaults()
    } else {
        return Err(format!(
            "unsupported Docker host `{host}` (use unix://, tcp://, http:// or https://)"
        ));
    }
    .map_err(|e| format!("cannot use Docker host {host}: {e}"))?;
    // Negotiating asks the engine for its version, which also proves it
    // answers: no separate ping, one round trip less before the list.
    docker
        .negotiate_version()
        .await
        .map_err(|e| plain_error(&e))
}

/// Engine errors in plain words: the engine's own message when it sent one.
pub fn plain_error(e: &bollard::errors::Error) -> String {
    use bollard::errors::Error as E;
    match e {
        E::DockerResponseServerError {
            status_code,
            message,
        } => format!("{message} (HTTP {status_code})"),
        E::RequestTimeoutError => "the engine did not answer in time".to_string(),
        other => {
            let text = other.to_string();
            if text.contains("No such file") || text.contains("Connection refused") {
                format!("engine not reachable: {text}")
            } else {
                text
            }
        }
    }
}
