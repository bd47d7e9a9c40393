//! Rate-limited calls in a row, per provider, counted as the calls return (docs/stages.md#pauses): the
//! rule that decides when a provider is to be paused, shared by discovery's validation calls and
//! ingestion's fetches.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use pipeline_ats::AtsError;
use pipeline_domain::{Classify, ErrorClass, Provider};

/// Counts each provider's rate-limited calls in a row; any other outcome ends the streak.
#[derive(Debug)]
pub(crate) struct RateLimitStreaks {
    /// `ingestion.pause_after_429`.
    after: u32,
    /// `ingestion.max_retry_after`: a longer wait trips at once.
    max_wait: Duration,
    counts: Mutex<HashMap<Provider, u32>>,
}

/// Why a provider is to be paused: (rate-limited calls in a row, the wait the last one asked for).
pub(crate) type Trip = (u32, Duration);

impl RateLimitStreaks {
    pub(crate) fn new(after: u32, max_wait: Duration) -> Self {
        Self {
            after: after.max(1),
            max_wait,
            counts: Mutex::default(),
        }
    }

    /// Counts one call's outcome; `Some` when the provider is to be paused (its streak starts again).
    pub(crate) fn observe(&self, provider: Provider, error: Option<&AtsError>) -> Option<Trip> {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        let Some(ErrorClass::RateLimited { wait }) = error.map(Classify::class) else {
            counts.remove(&provider);
            return None;
        };
        let streak = counts.entry(provider).or_default();
        *streak += 1;
        let (streak, told) = (*streak, wait.unwrap_or_default());
        if streak < self.after && told <= self.max_wait {
            return None;
        }
        counts.remove(&provider);
        Some((streak, told))
    }

    /// Whether `told` is longer than a wait that is waited out.
    pub(crate) fn too_long(&self, told: Duration) -> bool {
        told > self.max_wait
    }

    /// Forgets every streak (a new run).
    pub(crate) fn clear(&self) {
        self.counts.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}
