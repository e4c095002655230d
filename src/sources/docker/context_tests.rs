//! The resolution rules: precedence, the context store, TLS files.

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
fn skip_tls_verify_means_tls_without_checking_the_engine() {
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
    // As load.go: with no TLS file at all, still TLS, unverified.
    let tls = resolve(&inputs)
        .unwrap()
        .tls
        .expect("TLS for SkipTLSVerify");
    assert!(tls.skip_verify && tls.ca.is_none() && tls.client.is_none());
    assert_eq!(tls.origin, "context `lax`");
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
