//! Work units (a company to discover, a board to ingest). A stage says what its units are and how to
//! work one ([`UnitWork`]); the engine's [`run_units`] owns everything else: claiming due units in
//! batches under leases, concurrency, the lease heartbeat, provider pauses, rate-limit snoozes that
//! consume no attempt, rescheduling by error class, the fenced outcome write, release, cancellation,
//! progress and counters.

mod backoff;
mod heartbeat;
mod runner;
mod work;

pub use backoff::next_due_after_failure;
pub use runner::{UnitReport, UnitSettings, run_units};
pub use work::{DueQuery, UnitFailure, UnitWork};
