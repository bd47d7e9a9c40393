//! Exit codes (docs/interfaces.md#exit-codes) and the error type commands return.

use std::fmt;

/// A process exit code of the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Ok = 0,
    Fatal = 1,
    Usage = 2,
    Attention = 3,
    Locked = 75,
    Interrupted = 130,
}

/// A command failure: the message for stderr and the exit code.
#[derive(Debug)]
pub struct Failure {
    pub exit: Exit,
    pub message: String,
}

impl Failure {
    pub fn fatal(message: impl fmt::Display) -> Self {
        Self {
            exit: Exit::Fatal,
            message: message.to_string(),
        }
    }

    pub fn usage(message: impl fmt::Display) -> Self {
        Self {
            exit: Exit::Usage,
            message: message.to_string(),
        }
    }
}

impl From<pipeline_db::DbError> for Failure {
    fn from(e: pipeline_db::DbError) -> Self {
        match e {
            // A URL that names no backend is a usage error: reported before anything is created.
            pipeline_db::DbError::UnknownScheme { .. } => Failure::usage(e),
            e => Failure::fatal(e),
        }
    }
}

impl From<pipeline_engine::EngineError> for Failure {
    fn from(e: pipeline_engine::EngineError) -> Self {
        use pipeline_engine::EngineError;
        match e {
            EngineError::LockHeld { .. } => Failure {
                exit: Exit::Locked,
                message: format!("another run is in progress: {e}"),
            },
            EngineError::UnknownStage(s) => {
                Failure::usage(format!("stage `{s}` is not available in this build"))
            }
            other => Failure::fatal(other),
        }
    }
}

impl From<pipeline_runners::BuildError> for Failure {
    /// A configuration value that cannot be used is a usage error (exit 2); a client that cannot be built
    /// is fatal.
    fn from(e: pipeline_runners::BuildError) -> Self {
        match e {
            pipeline_runners::BuildError::Config(message) => Failure::usage(message),
            other => Failure::fatal(other),
        }
    }
}

pub type CmdResult = Result<Exit, Failure>;
