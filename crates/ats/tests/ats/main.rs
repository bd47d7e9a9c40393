//! Integration tests of the ATS clients, against the simulated world.
#![allow(clippy::unwrap_used)]

mod api_boards;
mod host_boards;
mod paged_boards;
mod support;
