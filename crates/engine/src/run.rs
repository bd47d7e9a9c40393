//! What a stage gets: the cycle's options ([`RunContext`]) and its own run handle ([`StageRun`]) with
//! counters, cancellation, clock, DB and progress reporting.

use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};
use pipeline_db::Db;
use pipeline_db::repo::runs;
use pipeline_domain::{Clock, Counter, RunCounters};
use tokio_util::sync::CancellationToken;

/// The options of one cycle, passed to every stage as one value (never as a growing list of flags).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunContext {
    /// Stages to run, by key; empty means all, in canonical order.
    pub stages: Vec<String>,
    /// Cap on the units each stage takes.
    pub limit: Option<u32>,
    /// Only work on the company with this domain.
    pub company: Option<String>,
    /// No external writes: no sheet writes, no feedback applied.
    pub dry_run: bool,
    /// Apply feedback outside its window.
    pub force_feedback: bool,
    /// `forever --shared`: no cycle lock; singleton stages under their own locks.
    pub shared: bool,
}

impl RunContext {
    /// Whether the cycle runs `stage` (every stage when none was named).
    pub fn wants(&self, stage: &str) -> bool {
        self.stages.is_empty() || self.stages.iter().any(|s| s == stage)
    }
}

/// Receives progress of long stages (the CLI draws a bar when stderr is a terminal).
pub trait Progress: Send + Sync {
    /// `stage` starts work on `total` items (`None`: unknown, a spinner).
    fn begin(&self, stage: &str, total: Option<u64>);
    /// `n` more items are done.
    fn advance(&self, n: u64);
    /// A line of status beside the bar (what is being done now).
    fn message(&self, text: &str);
    /// The stage's work is over: the bar goes away.
    fn end(&self);

    /// Progress of its own for `stage`, for a stage that runs beside another
    /// ([`Task::overlaps_previous`](crate::Task::overlaps_previous)); `None` shares this one.
    fn lane(&self, _stage: &str) -> Option<Arc<dyn Progress>> {
        None
    }
}

/// Progress that goes nowhere.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn begin(&self, _: &str, _: Option<u64>) {}
    fn advance(&self, _: u64) {}
    fn message(&self, _: &str) {}
    fn end(&self) {}
}

/// One stage's run in one cycle.
#[derive(Clone)]
pub struct StageRun {
    /// The cycle's options.
    pub ctx: Arc<RunContext>,
    /// The stage's key.
    pub stage: &'static str,
    /// The run's row in `runs`.
    pub run_id: i64,
    /// The cycle this run belongs to.
    pub cycle_id: String,
    /// Who runs it (leases and fenced writes are taken under this name).
    pub owner: String,
    /// The database.
    pub db: Db,
    /// The engine's clock: every timestamp the stage writes comes from it.
    pub clock: Arc<dyn Clock>,
    /// Fires on a signal or a lost lock: stop claiming new work.
    pub cancel: CancellationToken,
    /// Where to report progress.
    pub progress: Arc<dyn Progress>,
    /// Set while the stage runs beside the stage before it (`Task::overlaps_previous`): fires when that
    /// stage has ended, after which no more units become due through it.
    pub upstream: Option<CancellationToken>,
    counters: Arc<Mutex<RunCounters>>,
}

impl std::fmt::Debug for StageRun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StageRun")
            .field("stage", &self.stage)
            .field("run_id", &self.run_id)
            .finish()
    }
}

impl StageRun {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        ctx: Arc<RunContext>,
        stage: &'static str,
        run_id: i64,
        cycle_id: String,
        owner: String,
        db: Db,
        clock: Arc<dyn Clock>,
        cancel: CancellationToken,
        progress: Arc<dyn Progress>,
    ) -> Self {
        let counters = Arc::default();
        Self {
            ctx,
            stage,
            run_id,
            cycle_id,
            owner,
            db,
            clock,
            cancel,
            progress,
            upstream: None,
            counters,
        }
    }

    /// The run of a stage that runs beside the stage before it; `upstream` fires when that one ends.
    pub(crate) fn beside(mut self, upstream: CancellationToken) -> Self {
        self.upstream = Some(upstream);
        self
    }

    /// Now, by the engine's clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Adds `n` to one of the run's counters.
    pub fn count(&self, counter: Counter, n: u64) {
        self.with_counters(|c| c.add(counter, n));
    }

    /// Counts `n` items skipped for `reason` (`skipped_<reason>`).
    pub fn count_skipped(&self, reason: &str, n: u64) {
        self.with_counters(|c| c.add_skipped(reason, n));
    }

    /// Adds a batch of counters at once.
    pub fn merge(&self, other: &RunCounters) {
        self.with_counters(|c| c.merge(other));
    }

    /// The counters so far.
    pub fn counters(&self) -> RunCounters {
        self.with_counters(|c| c.clone())
    }

    fn with_counters<T>(&self, f: impl FnOnce(&mut RunCounters) -> T) -> T {
        f(&mut self.counters.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Whether the run has been told to stop.
    pub fn is_cancelled(&self) -> bool {
        self.cancel.is_cancelled()
    }

    /// Persists the counters so far into the running run row (a crash keeps what was counted).
    pub async fn checkpoint(&self) -> Result<(), pipeline_db::DbError> {
        let (id, owner, counters) = (self.run_id, self.owner.clone(), self.counters());
        self.db
            .call(move |db| db.write(|c| runs::save_counters(c, id, &owner, &counters)))
            .await?;
        Ok(())
    }
}
