//! Repositories: one module per table family. Functions take a connection (so callers choose the
//! transaction) and the current time.

pub mod boards;
pub mod companies;
pub mod discovery;
pub mod events;
pub mod ingestion;
pub mod leases;
pub mod locks;
pub mod pauses;
pub mod postings;
pub mod runs;
pub mod stage_state;
