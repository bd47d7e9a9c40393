//! `pipeline-http`: the polite HTTP core every provider uses: one reqwest client (rustls/ring, no proxy),
//! user agent, timeouts, a body cap, retries of transient failures with capped exponential backoff + jitter
//! honouring Retry-After, typed errors that carry their class, a resolver that applies `[http] resolve`
//! overrides, the SSRF guard, and politeness: a per-provider throttle and one request per host.
//! Architecture invariant: the only crate that uses reqwest (and rustls); no DB.
#![warn(missing_docs)]

mod client;
mod error;
mod exchange;
mod fleet;
mod guard;
mod resolve;
mod retry_after;
mod settings;
mod throttle;

pub use client::HttpClient;
pub use error::HttpError;
pub use exchange::{BodyStream, Fetched, HttpStats, Request};
pub use fleet::{Grant, RateLedger};
pub use guard::{NetworkPolicy, Refusal, is_public};
pub use resolve::{HostOverride, OverrideResolver};
pub use retry_after::parse_retry_after;
pub use settings::{HttpConfigError, HttpSettings, default_user_agent};
pub use throttle::{HostGate, Slot, Throttle, Throttles};

/// The header names and maps of [`Fetched::headers`] and [`Request`], so that users need not name reqwest.
pub mod header {
    pub use reqwest::header::{
        CONTENT_TYPE, ETAG, HeaderMap, HeaderName, HeaderValue, LAST_MODIFIED, RETRY_AFTER,
    };
}

/// The method of a [`Request`].
pub use reqwest::Method;

/// Installs the ring crypto provider for rustls once per process (reqwest is built without a provider).
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}
