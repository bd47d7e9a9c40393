//! Integration tests of the providers crate, against the simulated world.
#![allow(clippy::unwrap_used)]

mod discovery;
