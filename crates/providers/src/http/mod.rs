//! The polite HTTP core every provider uses: one reqwest client (rustls/ring, no proxy), user agent,
//! timeouts, a body cap, retries of transient failures with capped exponential backoff + jitter honouring
//! Retry-After, typed errors that carry their class, and a resolver that applies `[http] resolve`
//! overrides (the seat of the SSRF guard to come).

mod client;
mod error;
mod guard;
mod resolve;
mod retry_after;

pub use client::{Fetched, HttpClient, HttpSettings, HttpStats, Request, default_user_agent};
pub use error::HttpError;
pub use guard::{NetworkPolicy, Refusal, is_public};
pub use resolve::{HostOverride, OverrideResolver};
pub use retry_after::parse_retry_after;
