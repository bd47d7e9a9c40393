//! The world's own tests, one binary with a module per topic: provider shapes, sites and directories, faults,
//! the generator, Google, the request log, the binary and the control API.

mod binary;
mod control;
mod faults;
mod generator;
mod google;
mod jsonld_sites;
mod log_and_speed;
mod providers;
mod sites;
mod support;
