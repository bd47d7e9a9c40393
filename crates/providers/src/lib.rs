//! Everything that talks HTTP: the polite HTTP core and the directory sources (built-in scrapers, CSV and
//! JSON lists). Architecture invariant: no DB; each external service sits behind a trait with a mockall
//! mock for unit tests.

pub mod ats;
pub mod directory;
pub mod discovery;
pub mod http;

/// Installs the ring crypto provider for rustls once per process (reqwest is built without a provider).
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}
