//! Integration tests of the ATS clients, against the simulated world.
#![allow(clippy::unwrap_used)]

mod api_boards;
mod detail_failures;
mod host_boards;
mod jsonld;
mod known;
mod paged_boards;
mod rate_limits;
mod support;
