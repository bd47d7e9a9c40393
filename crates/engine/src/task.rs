//! The contract between the engine and a stage.

use std::fmt;

use async_trait::async_trait;
use pipeline_domain::{Classify, ErrorClass};

use crate::StageRun;

/// How a finished stage went, when it did not fail outright.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// All its work done (unit failures are in the counters).
    Done,
    /// Finished, but part of it failed and needs attention (e.g. a directory source could not be read).
    Partial(String),
    /// Nothing to do by configuration (e.g. no spreadsheet configured).
    Skipped(String),
}

/// How a stage runs under `forever --shared`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SharedMode {
    /// One worker at a time, under a named lock; other workers skip it for the cycle.
    Singleton,
    /// Every worker runs it; units are shared through leases.
    Leased,
}

/// A stage failure, carrying its class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskError {
    /// What the engine does next: a fatal error stops the cycle.
    pub class: ErrorClass,
    /// What failed, recorded with the run and printed in the summary.
    pub message: String,
    /// The configuration is wrong in a way only the DB can tell (a `[[boards]]` entry naming no known
    /// company): the cycle stops and the process exits 2, like a configuration that does not validate.
    pub config: bool,
}

impl TaskError {
    /// A failure of class `class`.
    pub fn new(class: ErrorClass, message: impl Into<String>) -> Self {
        Self {
            class,
            message: message.into(),
            config: false,
        }
    }

    /// A configuration error found at run time (fatal: the cycle stops; exit 2).
    pub fn config(message: impl Into<String>) -> Self {
        Self {
            config: true,
            ..Self::new(ErrorClass::Fatal, message)
        }
    }

    /// Classifies any library error by its type.
    pub fn from_error<E: Classify + fmt::Display>(error: &E) -> Self {
        Self::new(error.class(), error.to_string())
    }
}

impl fmt::Display for TaskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.class.as_str())
    }
}

impl std::error::Error for TaskError {}

/// One stage of the pipeline, registered with the engine under a stable key.
#[async_trait]
pub trait Task: Send + Sync {
    /// The stable key (`directory`, `discovery`, ...).
    fn key(&self) -> &'static str;

    /// Best-effort stages (sheets, feedback): their failure does not stop the cycle, it only makes it
    /// need attention.
    fn best_effort(&self) -> bool {
        false
    }

    /// How the stage runs under `forever --shared` (several workers on one DB): alone under its own lock
    /// (the default), or in every worker with its units shared through leases.
    fn shared_mode(&self) -> SharedMode {
        SharedMode::Singleton
    }

    /// Whether the stage starts together with the stage before it in the cycle, taking the units that stage
    /// makes due while it runs ([`StageRun::upstream`]); it ends once that stage has ended and nothing is
    /// due. A unit stage whose units the previous stage creates (ingestion after discovery) keeps the
    /// providers busy from the cycle's start this way.
    fn overlaps_previous(&self) -> bool {
        false
    }

    /// Does the stage's work. Must watch `run.cancel` and stop claiming new work once it fires.
    async fn run(&self, run: &StageRun) -> Result<Outcome, TaskError>;
}
