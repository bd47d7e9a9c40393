//! Integration tests of ATS discovery, against the simulated world.
#![allow(clippy::unwrap_used)]

mod jsonld;
mod sites;
