//! Which engine one `docker` command would talk to, decided the way the
//! docker CLI decides it (cli/command/cli.go, resolveContextName and
//! resolveDockerEndpoint): `DOCKER_HOST` wins, then `DOCKER_CONTEXT`,
//! then opsdeck's `[docker] host`, then the context chosen with
//! `docker context use` (`currentContext` in `~/.docker/config.json`),
//! then the platform's default socket. A context's endpoint is read from
//! the context store, `~/.docker/contexts/meta/<sha256 of the name>/meta.json`
//! (`DOCKER_CONFIG` moves `~/.docker`), whose `Endpoints.docker.Host` is
//! the address (docs.docker.com/engine/manage-resources/contexts).

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

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
        }
    }
}

/// The engine address, or why the named context cannot be used.
pub fn resolve(inputs: &Inputs) -> Result<String, String> {
    if let Some(host) = &inputs.docker_host {
        return Ok(host.clone());
    }
    if let Some(name) = &inputs.docker_context {
        return context_host(inputs.config_dir.as_deref(), name, "DOCKER_CONTEXT");
    }
    if let Some(host) = &inputs.configured {
        return Ok(host.clone());
    }
    let current = inputs
        .config_dir
        .as_deref()
        .and_then(current_context)
        .filter(|name| name != DEFAULT_CONTEXT);
    match current {
        Some(name) => context_host(
            inputs.config_dir.as_deref(),
            &name,
            "the current context (docker context use)",
        ),
        None => Ok(DEFAULT_HOST.to_string()),
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
fn context_host(config_dir: Option<&Path>, name: &str, chosen_by: &str) -> Result<String, String> {
    if name == DEFAULT_CONTEXT {
        return Ok(DEFAULT_HOST.to_string());
    }
    let Some(dir) = config_dir else {
        return Err(format!(
            "Docker context `{name}` ({chosen_by}) cannot be read: no home directory"
        ));
    };
    let digest = Sha256::digest(name.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    let meta = dir
        .join("contexts")
        .join("meta")
        .join(hex)
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
    value
        .pointer("/Endpoints/docker/Host")
        .and_then(|h| h.as_str())
        .filter(|h| !h.is_empty())
        .map(str::to_string)
        .ok_or_else(|| {
            format!(
                "Docker context `{name}` has no docker endpoint in {}",
                meta.display()
            )
        })
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
        assert_eq!(resolve(&inputs).unwrap(), "ssh://ci@build:2222");
        // opsdeck's own config beats the current context...
        inputs.configured = Some("unix:///run/podman/podman.sock".into());
        assert_eq!(resolve(&inputs).unwrap(), "unix:///run/podman/podman.sock");
        // ...DOCKER_CONTEXT beats both, and DOCKER_HOST beats everything.
        inputs.docker_context = Some("other".into());
        assert_eq!(resolve(&inputs).unwrap(), "tcp://10.0.0.9:2375");
        inputs.docker_host = Some("tcp://h:1".into());
        assert_eq!(resolve(&inputs).unwrap(), "tcp://h:1");
        // The `default` context is the default socket.
        let inputs = Inputs {
            docker_context: Some("default".into()),
            config_dir: Some(dir.clone()),
            ..Default::default()
        };
        assert_eq!(resolve(&inputs).unwrap(), DEFAULT_HOST);
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
        assert_eq!(resolve(&inputs).unwrap(), DEFAULT_HOST);
        let _ = std::fs::remove_dir_all(&dir);
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
        assert_eq!(resolve(&inputs).unwrap(), "ssh://ci@build:2222");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
