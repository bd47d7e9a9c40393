//! The generic task engine: stage registry, run context, named locks with heartbeats, unit leases,
//! provider pauses, run history, retention, the cycle loop and signal handling.
//! Architecture invariant: knows no provider and no stage — stages register themselves as [`Task`]s.
#![warn(missing_docs)]

mod cycle;
mod error;
mod forever;
mod lock;
mod owner;
mod pauses;
mod run;
pub mod shutdown;
mod task;
mod units;

pub use cycle::{CYCLE_LOCK, CycleReport, Engine, EngineSettings, StageReport};
pub use error::EngineError;
pub use forever::{ForeverSettings, run_forever};
pub use lock::LockGuard;
pub use owner::{Owner, process_is_dead};
pub use run::{NoProgress, Progress, RunContext, StageRun};
pub use task::{Outcome, SharedMode, Task, TaskError};
pub use units::{
    DueQuery, UnitFailure, UnitReport, UnitSettings, UnitWork, next_due_after_failure, run_units,
};
