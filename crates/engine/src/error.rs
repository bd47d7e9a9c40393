//! Engine errors.

use chrono::{DateTime, Utc};
use pipeline_db::DbError;
use pipeline_domain::{Classify, ErrorClass};

/// Why the engine could not run a cycle (as opposed to a stage failing inside it, which is a run status).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EngineError {
    /// Another process holds the lock (exit 75).
    #[error("lock `{name}` is held by {owner} until {}", expires_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))]
    LockHeld {
        /// The lock (`cycle`, or a stage's key under `--shared`).
        name: String,
        /// Its holder, `host:pid:random`.
        owner: String,
        /// When it expires unless its holder renews it.
        expires_at: DateTime<Utc>,
    },
    /// The database failed (locks, runs): classified as the DB error is.
    #[error(transparent)]
    Db(#[from] DbError),
    /// `--stage` named a stage this engine has not registered (exit 2).
    #[error("unknown stage `{0}`")]
    UnknownStage(String),
}

impl Classify for EngineError {
    fn class(&self) -> ErrorClass {
        match self {
            EngineError::LockHeld { expires_at, .. } => ErrorClass::RateLimited {
                wait: (*expires_at - Utc::now()).to_std().ok(),
            },
            EngineError::Db(e) => e.class(),
            EngineError::UnknownStage(_) => ErrorClass::Fatal,
        }
    }
}
