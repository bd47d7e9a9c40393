//! Engine errors.

use chrono::{DateTime, Utc};
use pipeline_db::DbError;
use pipeline_domain::{Classify, ErrorClass};

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EngineError {
    /// Another process holds the lock (exit 75).
    #[error("lock `{name}` is held by {owner} until {}", expires_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))]
    LockHeld {
        name: String,
        owner: String,
        expires_at: DateTime<Utc>,
    },
    #[error(transparent)]
    Db(#[from] DbError),
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
