//! The daemon loop: cycles until cancelled, sleeping uniformly between cycles, longer after a failure,
//! waking at once on a signal.

use std::time::Duration;

use rand::Rng;
use tokio_util::sync::CancellationToken;

use crate::{CycleReport, Engine, EngineError, RunContext};

/// Sleep settings of `forever` (`[runner]`).
#[derive(Debug, Clone)]
pub struct ForeverSettings {
    /// The shortest sleep between cycles (`runner.cycle_sleep_min`).
    pub sleep_min: Duration,
    /// The longest (`runner.cycle_sleep_max`); the sleep is uniform between the two.
    pub sleep_max: Duration,
    /// The sleep after a cycle that failed with an engine error (`runner.failed_cycle_sleep`).
    pub failed_sleep: Duration,
}

impl ForeverSettings {
    fn pause_after(&self, outcome: &Result<CycleReport, EngineError>) -> Duration {
        match outcome {
            Ok(_) | Err(EngineError::LockHeld { .. }) => {
                let (lo, hi) = (self.sleep_min, self.sleep_max.max(self.sleep_min));
                if hi == lo {
                    lo
                } else {
                    rand::rng().random_range(lo..=hi)
                }
            }
            Err(_) => self.failed_sleep,
        }
    }
}

/// Runs cycles until `cancel` fires. `on_cycle` sees each cycle's outcome (to print a summary). Returns
/// the last cycle's outcome, if any ran.
pub async fn run_forever(
    engine: &Engine,
    ctx: &RunContext,
    settings: &ForeverSettings,
    cancel: &CancellationToken,
    mut on_cycle: impl FnMut(&Result<CycleReport, EngineError>),
) -> Option<Result<CycleReport, EngineError>> {
    let mut last = None;
    while !cancel.is_cancelled() {
        let outcome = engine.run_cycle(ctx, cancel).await;
        if let Err(EngineError::LockHeld { owner, .. }) = &outcome {
            tracing::info!(%owner, "another process holds the cycle lock; waiting for the next cycle");
        }
        on_cycle(&outcome);
        let pause = settings.pause_after(&outcome);
        last = Some(outcome);
        tracing::info!(seconds = pause.as_secs(), "sleeping until the next cycle");
        tokio::select! {
            () = tokio::time::sleep(pause) => {}
            () = cancel.cancelled() => {}
        }
    }
    last
}
