//! The TLS client for a `tcp://` engine, built here rather than by
//! bollard's `connect_with_ssl`, to trust what the docker CLI trusts:
//! - a CA file is the only trust anchor (docker/go-connections
//!   `tlsconfig.Client`: `RootCAs` is that CA's pool alone), where bollard
//!   adds the system's CAs to it, so any public certificate passed;
//! - without a CA file the system's CAs are used, skipping ones that do not
//!   load, where bollard refused every TLS engine when one system
//!   certificate did not parse;
//! - a context's `SkipTLSVerify` (cli/context/docker/load.go sets
//!   `InsecureSkipVerify`) accepts any engine certificate; the handshake's
//!   signatures are still checked.
//!
//! The engine gets bollard's usual client over this connector, through
//! bollard's custom transport, so hijacked exec streams (shells) work.

use std::path::Path;
use std::sync::Arc;

use bollard::{BollardRequest, ClientVersion, Docker};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};

use super::tls::Tls;

/// bollard's client for the engine at `host` (`tcp://…`) with `tls`.
pub fn client(
    tls: &Tls,
    host: &str,
    timeout: u64,
    version: &ClientVersion,
) -> Result<Docker, String> {
    let config = rustls_config(tls, host)?;
    let mut http = HttpConnector::new();
    http.enforce_http(false);
    let https = hyper_rustls::HttpsConnector::from((http, config));
    let mut builder = Client::builder(TokioExecutor::new());
    // As bollard's own TLS client: no idle connection is kept, so a
    // restarted engine is met with a fresh handshake.
    builder.pool_max_idle_per_host(0);
    let client = Arc::new(builder.build(https));
    let address = format!(
        "https://{}",
        host.trim_start_matches("tcp://")
            .trim_start_matches("https://")
    );
    let transport = move |request: BollardRequest| {
        let client = Arc::clone(&client);
        async move {
            client
                .request(request)
                .await
                .map_err(bollard::errors::Error::from)
        }
    };
    Docker::connect_with_custom_transport(transport, Some(address), timeout, version)
        .map_err(|e| format!("cannot make a TLS client for {host} ({}): {e}", tls.origin))
}

fn rustls_config(tls: &Tls, host: &str) -> Result<ClientConfig, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("no TLS version in common with the engine at {host}: {e}"))?;
    let builder = if tls.skip_verify {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AnyEngineCertificate(provider)))
    } else {
        builder.with_root_certificates(roots(tls, host)?)
    };
    match &tls.client {
        None => Ok(builder.with_no_client_auth()),
        Some((cert, key)) => {
            let chain = certificates(cert, "client certificate", tls, host)?;
            let key = PrivateKeyDer::from_pem_file(key).map_err(|e| {
                format!(
                    "the client key {} for the Docker engine at {host} ({}) holds no usable \
                     private key: {e}",
                    key.display(),
                    tls.origin
                )
            })?;
            builder.with_client_auth_cert(chain, key).map_err(|e| {
                format!(
                    "the client certificate and key for the Docker engine at {host} ({}) do \
                     not go together: {e}",
                    tls.origin
                )
            })
        }
    }
}

/// The CA file alone, else the system's CAs that load.
fn roots(tls: &Tls, host: &str) -> Result<RootCertStore, String> {
    let mut roots = RootCertStore::empty();
    if let Some(ca) = &tls.ca {
        for cert in certificates(ca, "CA certificate", tls, host)? {
            roots.add(cert).map_err(|e| {
                format!(
                    "the CA certificate {} for the Docker engine at {host} ({}) is not a usable \
                     CA: {e}",
                    ca.display(),
                    tls.origin
                )
            })?;
        }
        return Ok(roots);
    }
    let system = rustls_native_certs::load_native_certs();
    for e in &system.errors {
        tracing::debug!(error = %e, "a system CA certificate did not load");
    }
    let (added, _) = roots.add_parsable_certificates(system.certs);
    if added == 0 {
        return Err(format!(
            "no system CA certificate could be read to check the Docker engine at {host} ({}): \
             give it a CA file (ca.pem)",
            tls.origin
        ));
    }
    Ok(roots)
}

/// The certificates in a PEM file; at least one.
fn certificates(
    path: &Path,
    what: &str,
    tls: &Tls,
    host: &str,
) -> Result<Vec<CertificateDer<'static>>, String> {
    let unreadable = |detail: String| {
        format!(
            "the {what} {} for the Docker engine at {host} ({}) {detail}",
            path.display(),
            tls.origin
        )
    };
    let certs = CertificateDer::pem_file_iter(path)
        .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
        .map_err(|e| unreadable(format!("cannot be read as PEM certificates: {e}")))?;
    if certs.is_empty() {
        return Err(unreadable("holds no certificate".into()));
    }
    Ok(certs)
}

/// `SkipTLSVerify`: any certificate names the engine; the handshake is
/// still signed with the key of the certificate it sent.
#[derive(Debug)]
struct AnyEngineCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AnyEngineCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}
