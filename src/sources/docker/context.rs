//! Which engine one `docker` command would talk to, decided the way the
//! docker CLI decides it (cli/command/cli.go, resolveContextName and
//! resolveDockerEndpoint): `DOCKER_HOST` wins, then `DOCKER_CONTEXT`,
//! then opsdeck's `[docker] host`, then the context chosen with
//! `docker context use` (`currentContext` in `~/.docker/config.json`),
//! then the platform's default socket. A context's endpoint is read from
//! the context store, `~/.docker/contexts/meta/<sha256 of the name>/meta.json`
//! (`DOCKER_CONFIG` moves `~/.docker`), whose `Endpoints.docker.Host` is
//! the address (docs.docker.com/engine/manage-resources/contexts).
//!
//! The address comes with its TLS files (`tls`): a context's from the
//! store, an address given otherwise (`DOCKER_HOST`, `[docker] host`, an
//! address in `[docker] hosts`) from `DOCKER_TLS_VERIFY` and
//! `DOCKER_CERT_PATH`, as the CLI applies them to its `-H` address.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::tls::Tls;

pub const DEFAULT_HOST: &str = "unix:///var/run/docker.sock";

/// The context that means "no context": DOCKER_HOST or the default socket.
const DEFAULT_CONTEXT: &str = "default";

/// The environment and files the choice depends on, read once so the
/// rule itself can be tested without touching the process's environment.
#[derive(Debug, Default, Clone)]
pub struct Inputs {
    pub docker_host: Option<String>,
    pub docker_context: Option<String>,
    pub configured: Option<String>,
    /// `$DOCKER_CONFIG`, else `~/.docker`; None without a home directory.
    pub config_dir: Option<PathBuf>,
    /// `DOCKER_TLS_VERIFY` set to anything but "" or "0".
    pub tls_verify: bool,
    /// `DOCKER_CERT_PATH`: where the TLS files are, else `config_dir`.
    pub cert_path: Option<PathBuf>,
}

impl Inputs {
    pub fn from_env(configured: Option<&str>) -> Inputs {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        Inputs {
            docker_host: var("DOCKER_HOST"),
            docker_context: var("DOCKER_CONTEXT"),
            configured: configured.map(str::to_string),
            config_dir: var("DOCKER_CONFIG")
                .map(PathBuf::from)
                .or_else(|| std::env::home_dir().map(|h| h.join(".docker"))),
            tls_verify: var("DOCKER_TLS_VERIFY").is_some_and(|v| v != "0"),
            cert_path: var("DOCKER_CERT_PATH").map(PathBuf::from),
        }
    }

    /// An address given directly, with the environment's TLS files when
    /// `DOCKER_TLS_VERIFY` asks for them (`https://` always uses TLS).
    pub fn address(&self, host: &str) -> Resolved {
        let tls_scheme = host.starts_with("https://");
        let tls = if tls_scheme || (self.tls_verify && host.starts_with("tcp://")) {
            let (dir, origin) = match (&self.cert_path, &self.config_dir) {
                (Some(dir), _) => (dir.clone(), format!("DOCKER_CERT_PATH={}", dir.display())),
                (None, Some(dir)) => (
                    dir.clone(),
                    format!("{} (no DOCKER_CERT_PATH)", dir.display()),
                ),
                (None, None) => (
                    PathBuf::from(".docker"),
                    "no DOCKER_CERT_PATH, no home".into(),
                ),
            };
            Some(Tls::in_dir(&dir, origin))
        } else {
            None
        };
        Resolved {
            host: host.to_string(),
            tls,
        }
    }
}

/// An engine's address and, for TLS, its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub host: String,
    pub tls: Option<Tls>,
}

impl Resolved {
    fn plain(host: &str) -> Resolved {
        Resolved {
            host: host.to_string(),
            tls: None,
        }
    }
}

/// The engine, or why the named context cannot be used.
pub fn resolve(inputs: &Inputs) -> Result<Resolved, String> {
    if let Some(host) = &inputs.docker_host {
        return Ok(inputs.address(host));
    }
    if let Some(name) = &inputs.docker_context {
        return context_endpoint(inputs.config_dir.as_deref(), name, "DOCKER_CONTEXT");
    }
    if let Some(host) = &inputs.configured {
        return Ok(inputs.address(host));
    }
    let current = inputs
        .config_dir
        .as_deref()
        .and_then(current_context)
        .filter(|name| name != DEFAULT_CONTEXT);
    match current {
        Some(name) => context_endpoint(
            inputs.config_dir.as_deref(),
            &name,
            "the current context (docker context use)",
        ),
        None => Ok(Resolved::plain(DEFAULT_HOST)),
    }
}

/// `currentContext` of `config.json`; a missing or unreadable file means
/// none, as for the CLI.
fn current_context(config_dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(config_dir.join("config.json")).ok()?;
    let value: serde_json::Value = serde_json::from_str(&text).ok()?;
    value
        .get("currentContext")?
        .as_str()
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// The docker endpoint of context `name`, `chosen_by` saying where the
/// name came from so the message points at what to change.
pub fn context_endpoint(
    config_dir: Option<&Path>,
    name: &str,
    chosen_by: &str,
) -> Result<Resolved, String> {
    if name == DEFAULT_CONTEXT {
        return Ok(Resolved::plain(DEFAULT_HOST));
    }
    let Some(dir) = config_dir else {
        return Err(format!(
            "Docker context `{name}` ({chosen_by}) cannot be read: no home directory"
        ));
    };
    let id = context_id(name);
    let meta = dir
        .join("contexts")
        .join("meta")
        .join(&id)
        .join("meta.json");
    let text = std::fs::read_to_string(&meta).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            format!(
                "Docker context `{name}` ({chosen_by}) does not exist: `docker context ls` lists \
                 them (looked for {})",
                meta.display()
            )
        } else {
            format!(
                "cannot read Docker context `{name}` from {}: {e}",
                meta.display()
            )
        }
    })?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        format!(
            "Docker context `{name}`: {} is not valid JSON ({e})",
            meta.display()
        )
    })?;
    let host = value
        .pointer("/Endpoints/docker/Host")
        .and_then(|h| h.as_str())
        .filter(|h| !h.is_empty())
        .ok_or_else(|| {
            format!(
                "Docker context `{name}` has no docker endpoint in {}",
                meta.display()
            )
        })?;
    let skip_verify = value
        .pointer("/Endpoints/docker/SkipTLSVerify")
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(false);
    let tls_dir = dir.join("contexts").join("tls").join(&id).join("docker");
    let tls = context_tls(&tls_dir, name, host, skip_verify)?;
    Ok(Resolved {
        host: host.to_string(),
        tls,
    })
}

/// The store's directory name for a context: the hex SHA-256 of its name
/// (docker/cli cli/context/store, `contextdirOf`).
fn context_id(name: &str) -> String {
    Sha256::digest(name.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Sockets never use TLS, whatever files the context holds (load.go,
/// `isSocket`); ssh:// runs through ssh.
fn is_socket(host: &str) -> bool {
    ["unix://", "npipe://", "fd://", "ssh://"]
        .iter()
        .any(|s| host.starts_with(s))
}

/// The TLS files the store holds for the context's docker endpoint; None
/// when it holds none (a plain connection, as for the CLI).
fn context_tls(
    dir: &Path,
    name: &str,
    host: &str,
    skip_verify: bool,
) -> Result<Option<Tls>, String> {
    if is_socket(host) {
        return Ok(None);
    }
    let present = |file: &str| Some(dir.join(file)).filter(|p| p.exists());
    let (ca, cert, key) = (present("ca.pem"), present("cert.pem"), present("key.pem"));
    let client = match (cert, key) {
        (Some(cert), Some(key)) => Some((cert, key)),
        (None, None) => None,
        (Some(_), None) | (None, Some(_)) => {
            return Err(format!(
                "Docker context `{name}` has only half a client certificate in {}: cert.pem \
                 and key.pem go together",
                dir.display()
            ));
        }
    };
    // load.go: `SkipTLSVerify` alone still means TLS, unverified.
    if ca.is_none() && client.is_none() && !skip_verify {
        return Ok(None);
    }
    Ok(Some(Tls {
        origin: format!("context `{name}`"),
        ca,
        client,
        skip_verify,
    }))
}

#[cfg(test)]
#[path = "context_tests.rs"]
mod tests;
