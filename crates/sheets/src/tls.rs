//! The TLS configuration of the Google clients: the system's root certificates plus, when configured, the
//! PEM certificates of `http.ca_file` (a TLS-inspecting proxy's CA, or the test world's).

use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

use crate::SheetsError;

/// A rustls client configuration trusting the system's roots and those in `ca_file`.
pub fn client_config(ca_file: Option<&Path>) -> Result<rustls::ClientConfig, SheetsError> {
    let mut roots = rustls::RootCertStore::empty();
    // A machine without system roots can still reach plain-HTTP or `ca_file`-signed endpoints.
    for cert in rustls_native_certs::load_native_certs().certs {
        let _ = roots.add(cert);
    }
    if let Some(path) = ca_file {
        let shown = |e: &dyn std::fmt::Display| {
            SheetsError::Credentials(format!("http.ca_file {}: {e}", path.display()))
        };
        let pem = std::fs::read(path).map_err(|e| shown(&e))?;
        for cert in CertificateDer::pem_slice_iter(&pem) {
            roots.add(cert.map_err(|e| shown(&e))?).map_err(|e| shown(&e))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| SheetsError::Credentials(format!("TLS setup: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth())
}
