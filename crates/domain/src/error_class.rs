//! How the engine treats a failure, decided by the error's type (never by its message text).

use std::time::Duration;

/// The class of a failure, which decides what happens next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", tag = "class")]
pub enum ErrorClass {
    /// Timeouts, connection errors, 5xx, 408: retry with capped exponential backoff and jitter.
    Transient,
    /// 429 / Retry-After: wait as told (when told), pause the provider when it keeps limiting.
    /// A snooze does not consume an attempt.
    RateLimited {
        /// How long the server asked to wait (`Retry-After`), when it said.
        wait: Option<Duration>,
    },
    /// Wrong for this unit for good (404/410 board, unparseable response): record it and move on.
    Permanent,
    /// Config, DB, migrations, lock: the run stops.
    Fatal,
}

impl ErrorClass {
    /// Stable lower-case name, as stored in `stage_state.error_class`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorClass::Transient => "transient",
            ErrorClass::RateLimited { .. } => "rate_limited",
            ErrorClass::Permanent => "permanent",
            ErrorClass::Fatal => "fatal",
        }
    }

    /// Whether trying the same thing again later can succeed.
    pub fn is_retryable(self) -> bool {
        matches!(self, ErrorClass::Transient | ErrorClass::RateLimited { .. })
    }
}

/// Implemented by every library error enum so the engine can classify it without looking at its text.
pub trait Classify {
    /// The class of this error: what the engine does next.
    fn class(&self) -> ErrorClass;
}
