//! Everything that talks HTTP: the polite HTTP core and the directory sources (built-in scrapers, CSV and
//! JSON lists). Architecture invariant: no DB; each external service sits behind a trait with a mockall
//! mock for unit tests.

pub mod discovery;

pub use pipeline_ats as ats;
pub use pipeline_directory as directory;
pub use pipeline_http as http;
pub use pipeline_http::install_crypto_provider;
