//! Integration tests of the HTTP core, against the simulated world.
#![allow(clippy::unwrap_used)]

mod client;
mod tls;
