//! For `tests/docker_tls.rs`: docker context stores laid out as the
//! docker CLI lays them out, and `opsdeck status --json` run against them.

use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

/// A context store in `config_dir` holding context `name` for `host`,
/// with these files in its TLS directory, laid out as the docker CLI's
/// store lays it out (cli/context/store: meta/<sha256>/meta.json and
/// tls/<sha256>/docker/*.pem).
pub fn store_context(config_dir: &Path, name: &str, host: &str, files: &[(&str, &Path)]) {
    let id = context_id(name);
    let meta = config_dir.join("contexts/meta").join(&id);
    std::fs::create_dir_all(&meta).unwrap();
    let json = serde_json::json!({
        "Name": name, "Metadata": {},
        "Endpoints": {"docker": {"Host": host, "SkipTLSVerify": false}}
    });
    std::fs::write(meta.join("meta.json"), json.to_string()).unwrap();
    let tls = config_dir.join("contexts/tls").join(&id).join("docker");
    std::fs::create_dir_all(&tls).unwrap();
    for (file, from) in files {
        std::fs::copy(from, tls.join(file)).unwrap();
    }
}

/// The store's directory name for context `name`: the hex SHA-256 of it.
pub fn context_id(name: &str) -> String {
    Sha256::digest(name.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn client_files(certs: &Path) -> [(&'static str, PathBuf); 3] {
    ["ca.pem", "cert.pem", "key.pem"].map(|f| (f, certs.join(f)))
}

/// `opsdeck status --json` with exactly this environment for Docker;
/// returns the Docker source's report and the whole report.
pub fn status(dir: &Path, env: &[(&str, &str)]) -> (serde_json::Value, serde_json::Value) {
    status_with_config(dir, "", env)
}

pub fn status_with_config(
    dir: &Path,
    config_text: &str,
    env: &[(&str, &str)],
) -> (serde_json::Value, serde_json::Value) {
    let config = dir.join("config.toml");
    std::fs::write(&config, config_text).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_opsdeck"))
        .arg("--config")
        .arg(&config)
        .arg("--log-file")
        .arg(dir.join("opsdeck.log"))
        .args(["status", "--json", "--wait", "15"])
        .current_dir(dir)
        .env_remove("DOCKER_HOST")
        .env_remove("DOCKER_CONTEXT")
        .env_remove("DOCKER_TLS_VERIFY")
        .env_remove("DOCKER_CERT_PATH")
        .env_remove("GH_TOKEN")
        .env_remove("GITHUB_TOKEN")
        .env_remove("KUBECONFIG")
        .env("HOME", dir)
        .env("DOCKER_CONFIG", dir.join("docker-config"))
        .envs(env.iter().copied())
        .output()
        .expect("run opsdeck");
    let text = String::from_utf8_lossy(&out.stdout);
    let report: serde_json::Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {text}; stderr: {:?}", out.stderr));
    let docker = report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["source"] == "docker")
        .cloned()
        .expect("a docker source");
    (docker, report)
}
