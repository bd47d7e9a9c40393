//! The runners' stages through the real engine on a fresh SQLite database: one test binary, a module per
//! stage (the discovery and ingestion stages join it here).
#![allow(clippy::unwrap_used)]

mod directory;
mod discovery;
mod ingestion;
mod jsonld;
mod persist;
mod politeness;
mod regroup;
mod rescore;
mod scoring;
mod sheets;
mod sheets_mock;
mod unchanged;
mod workers;

use chrono::{DateTime, Utc};

/// The fixed instant the tests' clocks start at, so no result depends on the day the tests run.
fn start() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-25T09:00:00Z")
        .map(|t| t.to_utc())
        .expect("a valid RFC 3339 instant")
}
