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
    let tls = context_tls(&tls_dir, name, host)?;
    if skip_verify && !is_socket(host) {
        // bollard's TLS client always verifies the engine's certificate
        // (Docker::connect_with_ssl takes no such switch).
        return Err(format!(
            "Docker context `{name}` sets SkipTLSVerify, which opsdeck cannot honour: it always \
             checks the engine's certificate. Give the context the engine's CA instead \
             (docker context update {name} --docker \"host={host},ca=…\")"
        ));
    }
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
fn context_tls(dir: &Path, name: &str, host: &str) -> Result<Option<Tls>, String> {
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
    if ca.is_none() && client.is_none() {
        return Ok(None);
    }
    Ok(Some(Tls {
        origin: format!("context `{name}`"),
        ca,
        client,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(dir: &Path, name: &str, host: &str) {
        let hex: String = Sha256::digest(name.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let meta = dir.join("contexts/meta").join(hex);
        std::fs::create_dir_all(&meta).unwrap();
        let json = serde_json::json!({
            "Name": name, "Metadata": {},
            "Endpoints": {"docker": {"Host": host, "SkipTLSVerify": false}}
        });
        std::fs::write(meta.join("meta.json"), json.to_string()).unwrap();
    }

    fn temp_dir(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("opsdeck-ctx-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn precedence_is_the_docker_clis() {
        let dir = temp_dir("prec");
        store(&dir, "remote", "ssh://ci@build:2222");
        store(&dir, "other", "tcp://10.0.0.9:2375");
        std::fs::write(dir.join("config.json"), r#"{"currentContext":"remote"}"#).unwrap();
        let mut inputs = Inputs {
            config_dir: Some(dir.clone()),
            ..Default::default()
        };
        // `docker context use remote` is honoured.
        assert_eq!(resolve(&inputs).unwrap().host, "ssh://ci@build:2222");
        // opsdeck's own config beats the current context...
        inputs.configured = Some("unix:///run/podman/podman.sock".into());
        assert_eq!(
            resolve(&inputs).unwrap().host,
            "unix:///run/podman/podman.sock"
        );
        // ...DOCKER_CONTEXT beats both, and DOCKER_HOST beats everything.
        inputs.docker_context = Some("other".into());
        assert_eq!(resolve(&inputs).unwrap().host, "tcp://10.0.0.9:2375");
        inputs.docker_host = Some("tcp://h:1".into());
        assert_eq!(resolve(&inputs).unwrap().host, "tcp://h:1");
        // The `default` context is the default socket.
        let inputs = Inputs {
            docker_context: Some("default".into()),
            config_dir: Some(dir.clone()),
            ..Default::default()
        };
        assert_eq!(resolve(&inputs).unwrap().host, DEFAULT_HOST);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_missing_context_or_broken_store_is_said_plainly() {
        let dir = temp_dir("missing");
        let inputs = Inputs {
            docker_context: Some("nope".into()),
            config_dir: Some(dir.clone()),
            ..Default::default()
        };
        let e = resolve(&inputs).unwrap_err();
        assert!(e.contains("`nope`") && e.contains("DOCKER_CONTEXT"), "{e}");
        // A config.json that is not JSON means no current context, as for the CLI.
        std::fs::write(dir.join("config.json"), "{not json").unwrap();
        let inputs = Inputs {
            config_dir: Some(dir.clone()),
            ..Default::default()
        };
        assert_eq!(resolve(&inputs).unwrap().host, DEFAULT_HOST);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Writes `files` into the context's TLS directory, as the store does.
    fn store_tls(dir: &Path, name: &str, files: &[&str]) -> PathBuf {
        let tls = dir
            .join("contexts/tls")
            .join(context_id(name))
            .join("docker");
        std::fs::create_dir_all(&tls).unwrap();
        for file in files {
            std::fs::write(tls.join(file), "-----BEGIN X-----\n").unwrap();
        }
        tls
    }

    #[test]
    fn a_context_with_tls_files_uses_them() {
        let dir = temp_dir("tls");
        store(&dir, "secure", "tcp://10.0.0.9:2376");
        let tls_dir = store_tls(&dir, "secure", &["ca.pem", "cert.pem", "key.pem"]);
        let inputs = Inputs {
            docker_context: Some("secure".into()),
            config_dir: Some(dir.clone()),
            ..Default::default()
        };
        let tls = resolve(&inputs).unwrap().tls.expect("TLS");
        assert_eq!(tls.ca, Some(tls_dir.join("ca.pem")));
        assert_eq!(
            tls.client,
            Some((tls_dir.join("cert.pem"), tls_dir.join("key.pem")))
        );
        assert_eq!(tls.origin, "context `secure`");
        // The CA alone: the engine is verified, no client certificate.
        store(&dir, "ca-only", "tcp://10.0.0.9:2376");
        store_tls(&dir, "ca-only", &["ca.pem"]);
        let inputs = Inputs {
            docker_context: Some("ca-only".into()),
            ..inputs
        };
        let tls = resolve(&inputs).unwrap().tls.expect("TLS");
        assert!(tls.ca.is_some() && tls.client.is_none());
        // A key without its certificate is said, naming the directory.
        store(&dir, "half", "tcp://10.0.0.9:2376");
        let half = store_tls(&dir, "half", &["key.pem"]);
        let inputs = Inputs {
            docker_context: Some("half".into()),
            ..inputs
        };
        let e = resolve(&inputs).unwrap_err();
        assert!(
            e.contains("`half`") && e.contains(&half.display().to_string()),
            "{e}"
        );
        // No files: a plain connection, as for the CLI.
        store(&dir, "plain", "tcp://10.0.0.9:2375");
        let inputs = Inputs {
            docker_context: Some("plain".into()),
            ..inputs
        };
        assert_eq!(resolve(&inputs).unwrap().tls, None);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn skip_tls_verify_is_refused_in_plain_words() {
        let dir = temp_dir("skip");
        store(&dir, "lax", "tcp://10.0.0.9:2376");
        let meta = dir
            .join("contexts/meta")
            .join(context_id("lax"))
            .join("meta.json");
        let text = std::fs::read_to_string(&meta).unwrap();
        std::fs::write(
            &meta,
            text.replace("\"SkipTLSVerify\":false", "\"SkipTLSVerify\":true"),
        )
        .unwrap();
        let inputs = Inputs {
            docker_context: Some("lax".into()),
            config_dir: Some(dir.clone()),
            ..Default::default()
        };
        let e = resolve(&inputs).unwrap_err();
        assert!(e.contains("`lax`") && e.contains("SkipTLSVerify"), "{e}");
        assert!(e.contains("cannot honour"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn docker_tls_verify_applies_to_a_tcp_address_given_directly() {
        let inputs = Inputs {
            docker_host: Some("tcp://10.0.0.9:2376".into()),
            tls_verify: true,
            cert_path: Some("/certs".into()),
            config_dir: Some("/home/u/.docker".into()),
            ..Default::default()
        };
        let tls = resolve(&inputs).unwrap().tls.expect("TLS");
        assert_eq!(tls.ca, Some(PathBuf::from("/certs/ca.pem")));
        assert!(tls.origin.contains("DOCKER_CERT_PATH=/certs"));
        // Without DOCKER_CERT_PATH the files are in ~/.docker (or DOCKER_CONFIG).
        let inputs = Inputs {
            cert_path: None,
            ..inputs
        };
        let tls = resolve(&inputs).unwrap().tls.expect("TLS");
        assert_eq!(tls.ca, Some(PathBuf::from("/home/u/.docker/ca.pem")));
        // [docker] host takes the same rule; a socket or ssh:// never TLS.
        let inputs = Inputs {
            docker_host: None,
            configured: Some("unix:///var/run/docker.sock".into()),
            ..inputs
        };
        assert_eq!(resolve(&inputs).unwrap().tls, None);
        // Without DOCKER_TLS_VERIFY a tcp:// address is plain.
        let inputs = Inputs {
            docker_host: Some("tcp://10.0.0.9:2375".into()),
            tls_verify: false,
            ..inputs
        };
        assert_eq!(resolve(&inputs).unwrap().tls, None);
    }

    /// The real docker CLI writes the store; opsdeck must read what it wrote.
    #[test]
    fn reads_a_context_the_docker_cli_created() {
        let Ok(out) = std::process::Command::new("docker")
            .arg("--version")
            .output()
        else {
            eprintln!("skipped: no docker CLI");
            return;
        };
        if !out.status.success() {
            return;
        }
        let dir = temp_dir("cli");
        let run = |args: &[&str]| {
            std::process::Command::new("docker")
                .args(args)
                .env("DOCKER_CONFIG", &dir)
                .env_remove("DOCKER_HOST")
                .env_remove("DOCKER_CONTEXT")
                .output()
                .unwrap()
        };
        let made = run(&[
            "context",
            "create",
            "remote",
            "--docker",
            "host=ssh://ci@build:2222",
        ]);
        assert!(
            made.status.success(),
            "{}",
            String::from_utf8_lossy(&made.stderr)
        );
        assert!(run(&["context", "use", "remote"]).status.success());
        let inputs = Inputs {
            config_dir: Some(dir.clone()),
            ..Default::default()
        };
        assert_eq!(resolve(&inputs).unwrap().host, "ssh://ci@build:2222");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
