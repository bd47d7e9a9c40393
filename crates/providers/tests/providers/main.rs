//! Integration tests of the providers crate, against the simulated world.
#![allow(clippy::unwrap_used)]

mod ats_api_boards;
mod ats_host_boards;
mod ats_paged_boards;
mod directory;
mod discovery;
mod support;
