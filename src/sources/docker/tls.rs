//! TLS for `tcp://` engines, with the files the docker CLI would use.
//!
//! Two places name them, both decided in `context`:
//! - the environment (docs.docker.com/engine/security/protect-access,
//!   "Secure by default"; the CLI's `DOCKER_TLS_VERIFY`/`DOCKER_CERT_PATH`):
//!   with `DOCKER_TLS_VERIFY` set, `ca.pem`, `cert.pem` and `key.pem` in
//!   `DOCKER_CERT_PATH`, else in `~/.docker` (`DOCKER_CONFIG` moves it);
//! - a context's endpoint: the store keeps its files in
//!   `contexts/tls/<sha256 of the name>/docker/` (docker/cli
//!   cli/context/store/tlsstore.go), any of them may be absent, and
//!   cli/context/docker/load.go `tlsConfig` uses TLS as soon as one is
//!   there: the CA alone verifies the engine, cert and key together
//!   identify the client.
//!
//! Every Docker task, shell, stats rule and health line carries an engine
//! as its address string, so the files resolved for an address are kept
//! here, by address, for `connect` to find. One address has one set of
//! files in a process: a second, different set for it is refused.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use bollard::{ClientVersion, Docker};

/// The TLS files of one engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tls {
    /// Where the files were found, for messages: `DOCKER_CERT_PATH=…`,
    /// `context `ci``.
    pub origin: String,
    /// The CA the engine's certificate must chain to; None: the system's.
    pub ca: Option<PathBuf>,
    /// The client's certificate and key; None: no client certificate.
    pub client: Option<(PathBuf, PathBuf)>,
    /// A context's `SkipTLSVerify`: any engine certificate is accepted.
    pub skip_verify: bool,
}

impl Tls {
    /// The environment's rule: all three files in one directory, which
    /// must be there (the usual mistake is a wrong `DOCKER_CERT_PATH`,
    /// better said before connecting than as a refused handshake).
    pub fn in_dir(dir: &Path, origin: String) -> Tls {
        Tls {
            origin,
            ca: Some(dir.join("ca.pem")),
            client: Some((dir.join("cert.pem"), dir.join("key.pem"))),
            skip_verify: false,
        }
    }

    /// Each file it names is readable and holds a PEM block; the error
    /// names the file and the engine, never its content.
    pub fn check(&self, host: &str) -> Result<(), String> {
        let mut files = Vec::new();
        if let Some(ca) = &self.ca {
            files.push(("CA certificate", ca));
        }
        if let Some((cert, key)) = &self.client {
            files.push(("client certificate", cert));
            files.push(("client key", key));
        }
        for (what, path) in files {
            let bytes = std::fs::read(path).map_err(|e| {
                format!(
                    "cannot read the {what} {} for the Docker engine at {host} ({}): {}",
                    path.display(),
                    self.origin,
                    io_words(&e)
                )
            })?;
            if !bytes.windows(11).any(|w| w == b"-----BEGIN ") {
                return Err(format!(
                    "the {what} {} for the Docker engine at {host} ({}) is not a PEM file",
                    path.display(),
                    self.origin
                ));
            }
        }
        Ok(())
    }

    /// bollard's client for `host` with these files (see `tls_client`).
    pub fn client(
        &self,
        host: &str,
        timeout: u64,
        version: &ClientVersion,
    ) -> Result<Docker, String> {
        self.check(host)?;
        super::tls_client::client(self, host, timeout, version)
    }
}

fn io_words(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

static KNOWN: Mutex<BTreeMap<String, Tls>> = Mutex::new(BTreeMap::new());

/// Keeps the files resolved for `host`; a different set already kept
/// for the same address is an error naming both origins.
pub fn remember(host: &str, tls: &Tls) -> Result<(), String> {
    let mut known = KNOWN
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    match known.get(host) {
        Some(kept) if kept != tls => Err(format!(
            "the Docker engine at {host} is named twice with different TLS files ({} and {}): \
             opsdeck keeps one set per address",
            kept.origin, tls.origin
        )),
        Some(_) => Ok(()),
        None => {
            known.insert(host.to_string(), tls.clone());
            Ok(())
        }
    }
}

/// The files resolved for `host`, if it was resolved with TLS.
pub fn known(host: &str) -> Option<Tls> {
    let known = KNOWN
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    known.get(host).cloned()
}

/// Why a TLS connection to `host` failed, in plain words, when the
/// failure is about TLS: rustls's and the engine's words name neither
/// the files nor what to change. None for other failures.
pub fn explain(host: &str, tls: &Tls, detail: &str) -> Option<String> {
    let lower = detail.to_lowercase();
    let ca = match &tls.ca {
        Some(ca) => ca.display().to_string(),
        None => "the system's CAs".to_string(),
    };
    if lower.contains("unknownissuer") || lower.contains("badsignature") {
        return Some(format!(
            "the Docker engine at {host} presented a certificate that {ca} does not trust: is \
             that the CA that signed the engine's certificate? (TLS files from {})",
            tls.origin
        ));
    }
    if lower.contains("notvalidforname") {
        return Some(format!(
            "the certificate of the Docker engine at {host} is not made out for that name or \
             address: use one it lists (TLS files from {})",
            tls.origin
        ));
    }
    if lower.contains("expired") {
        return Some(format!(
            "the certificate of the Docker engine at {host} has expired or is not valid yet"
        ));
    }
    let refused = [
        "badcertificate",
        "certificaterequired",
        "unknownca",
        "certificateunknown",
    ];
    if lower.contains("alert") && refused.iter().any(|r| lower.contains(r)) {
        let sent = match &tls.client {
            Some((cert, _)) => format!("the client certificate {}", cert.display()),
            None => "a connection without a client certificate".to_string(),
        };
        return Some(format!(
            "the Docker engine at {host} refused {sent}: it accepts only certificates signed by \
             its own CA (TLS files from {})",
            tls.origin
        ));
    }
    if lower.contains("corrupt message") || lower.contains("invalidcontenttype") {
        return Some(format!(
            "the engine at {host} does not speak TLS: connect without TLS (unset \
             DOCKER_TLS_VERIFY, or a context without TLS files), or use its TLS port"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_is_named_with_its_engine() {
        let dir = tempfile::tempdir().unwrap();
        let tls = Tls::in_dir(dir.path(), "DOCKER_CERT_PATH".into());
        let e = tls.check("tcp://h:2376").unwrap_err();
        let ca = dir.path().join("ca.pem");
        assert!(e.contains(&ca.display().to_string()), "{e}");
        assert!(
            e.contains("tcp://h:2376") && e.contains("no such file"),
            "{e}"
        );
        std::fs::write(&ca, "-----BEGIN CERTIFICATE-----\nx\n").unwrap();
        std::fs::write(dir.path().join("cert.pem"), "not pem").unwrap();
        let e = tls.check("tcp://h:2376").unwrap_err();
        assert!(
            e.contains("cert.pem") && e.contains("not a PEM file"),
            "{e}"
        );
    }

    #[test]
    fn one_address_keeps_one_set_of_files() {
        let a = Tls::in_dir(Path::new("/a"), "context `a`".into());
        let b = Tls::in_dir(Path::new("/b"), "context `b`".into());
        let host = format!("tcp://remember-{}:2376", std::process::id());
        remember(&host, &a).unwrap();
        remember(&host, &a).unwrap();
        let e = remember(&host, &b).unwrap_err();
        assert!(
            e.contains("context `a`") && e.contains("context `b`"),
            "{e}"
        );
        assert_eq!(known(&host), Some(a));
        assert_eq!(known("tcp://never-resolved:2376"), None);
    }

    #[test]
    fn tls_failures_are_said_with_the_files_to_check() {
        let tls = Tls::in_dir(Path::new("/certs"), "DOCKER_CERT_PATH=/certs".into());
        let untrusted = "client error (Connect): invalid peer certificate: UnknownIssuer";
        let text = explain("tcp://h:1", &tls, untrusted).unwrap();
        assert!(text.contains("/certs/ca.pem does not trust") && text.contains("tcp://h:1"));
        let refused = "error reading a body: received fatal alert: CertificateRequired";
        let text = explain("tcp://h:1", &tls, refused).unwrap();
        assert!(
            text.contains("refused the client certificate /certs/cert.pem"),
            "{text}"
        );
        assert!(explain("tcp://h:1", &tls, "Connection refused").is_none());
    }
}
