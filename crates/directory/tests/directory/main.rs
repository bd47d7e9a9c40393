//! Integration tests of the directory sources, against the simulated world.
#![allow(clippy::unwrap_used)]

mod builtin;
mod lists;
