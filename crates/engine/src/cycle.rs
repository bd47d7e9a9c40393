//! One cycle: take the lock, prune history, run each registered stage under its own run row, close the
//! rows with their counters, release.

use std::sync::Arc;
use std::time::Duration;

use pipeline_db::Db;
use pipeline_db::repo::{events, runs};
use pipeline_domain::{Clock, RunCounters, RunStatus};
use tokio_util::sync::CancellationToken;

mod stage;

use crate::lock::LockGuard;
use crate::{EngineError, NoProgress, Progress, RunContext, Task};

/// The lock `once` and plain `forever` take for a whole cycle.
pub const CYCLE_LOCK: &str = "cycle";

/// How long a cancelled stage may take to wind down before it is dropped.
const CANCEL_GRACE: Duration = Duration::from_secs(10);

/// Engine settings, from `[runner]` and `[retention]`.
#[derive(Debug, Clone)]
pub struct EngineSettings {
    /// How long a lock lives without a heartbeat (`runner.lock_ttl`): after it, another process may take
    /// it over.
    pub lock_ttl: Duration,
    /// How long finished runs and events are kept (`retention.runs`).
    pub retention: Duration,
    /// Failed units over attempted units above which a stage needs attention (exit 3).
    pub alert_failure_ratio: f64,
}

/// How one stage ended in one cycle.
#[derive(Debug, Clone)]
pub struct StageReport {
    /// The stage's key.
    pub stage: &'static str,
    /// Its row in `runs`; `None` when it was skipped without a run.
    pub run_id: Option<i64>,
    /// How it ended.
    pub status: RunStatus,
    /// Wall time of the run.
    pub duration: Duration,
    /// Every counter of the run.
    pub counters: RunCounters,
    /// The error or skip reason, for the summary.
    pub message: Option<String>,
    /// The stage failed with a fatal error: the cycle stopped after it.
    pub fatal: bool,
    /// That fatal error is the configuration's (exit 2).
    pub config_error: bool,
}

/// How a cycle ended.
#[derive(Debug, Clone)]
pub struct CycleReport {
    /// `YYYYMMDDTHHMMSSZ-xxxx`, shared by the cycle's runs.
    pub cycle_id: String,
    /// The stages that ran (or were skipped), in order.
    pub stages: Vec<StageReport>,
    /// A signal or a lost lock cancelled the cycle (exit 130).
    pub interrupted: bool,
    /// The stale lock this cycle took over, if any (its runs were marked abandoned).
    pub took_over: Option<String>,
}

impl CycleReport {
    /// A stage failed or finished partially, or failed more than `ratio` of its units (exit 3).
    pub fn needs_attention(&self, ratio: f64) -> bool {
        self.stages
            .iter()
            .any(|s| s.status.needs_attention() || s.counters.failure_ratio() > ratio)
    }
}

/// The engine: a DB, a clock, an owner identity and the registered stages in canonical order.
pub struct Engine {
    db: Db,
    clock: Arc<dyn Clock>,
    owner: String,
    settings: EngineSettings,
    tasks: Vec<Arc<dyn Task>>,
    progress: Arc<dyn Progress>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let keys: Vec<_> = self.tasks.iter().map(|t| t.key()).collect();
        f.debug_struct("Engine")
            .field("owner", &self.owner)
            .field("tasks", &keys)
            .finish()
    }
}

impl Engine {
    /// An engine with no stage registered yet, its runs owned by `owner` (`host:pid:random`; tests pick
    /// their own) and timed by `clock`.
    pub fn new(db: Db, clock: Arc<dyn Clock>, owner: impl Into<String>, settings: EngineSettings) -> Self {
        Self {
            db,
            clock,
            owner: owner.into(),
            settings,
            tasks: Vec::new(),
            progress: Arc::new(NoProgress),
        }
    }

    /// Registers a stage; stages run in registration order.
    pub fn register(&mut self, task: Arc<dyn Task>) -> &mut Self {
        self.tasks.push(task);
        self
    }

    /// Reports the stages' progress to `progress` (the CLI's bar) instead of nowhere.
    pub fn with_progress(mut self, progress: Arc<dyn Progress>) -> Self {
        self.progress = progress;
        self
    }

    /// The database the engine and its stages write to.
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// The clock every run, lock and lease is timed by.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// Who this engine's locks and runs belong to.
    pub fn owner(&self) -> &str {
        &self.owner
    }

    /// The TTL, retention and alert settings it was built with.
    pub fn settings(&self) -> &EngineSettings {
        &self.settings
    }

    /// Checks that every stage named in `ctx` is registered.
    pub fn check_stages(&self, ctx: &RunContext) -> Result<(), EngineError> {
        match ctx
            .stages
            .iter()
            .find(|s| !self.tasks.iter().any(|t| t.key() == s.as_str()))
        {
            Some(unknown) => Err(EngineError::UnknownStage(unknown.clone())),
            None => Ok(()),
        }
    }

    /// Takes a named lock for this owner; `LockHeld` says who holds it until when.
    pub async fn lock(&self, name: &str, lost: CancellationToken) -> Result<LockGuard, EngineError> {
        LockGuard::acquire(
            &self.db,
            self.clock.clone(),
            name,
            &self.owner,
            self.settings.lock_ttl,
            lost,
        )
        .await
    }

    /// One cycle. `cancel` stops it between units (signals); the lock's heartbeat cancels it too if
    /// the lock is lost.
    pub async fn run_cycle(
        &self,
        ctx: &RunContext,
        cancel: &CancellationToken,
    ) -> Result<CycleReport, EngineError> {
        self.check_stages(ctx)?;
        let cycle_cancel = cancel.child_token();
        let guard = if ctx.shared {
            None
        } else {
            Some(self.lock(CYCLE_LOCK, cycle_cancel.clone()).await?)
        };
        let took_over = guard
            .as_ref()
            .and_then(|g| g.took_over.as_ref())
            .map(|l| l.owner.clone());
        let cycle_id = new_cycle_id(self.clock.now());
        let result = self.run_stages(ctx, &cycle_id, &cycle_cancel).await;
        if let Some(guard) = guard {
            guard.release().await?;
        }
        let stages = result?;
        let interrupted = cycle_cancel.is_cancelled();
        Ok(CycleReport {
            cycle_id,
            stages,
            interrupted,
            took_over,
        })
    }

    async fn run_stages(
        &self,
        ctx: &RunContext,
        cycle_id: &str,
        cancel: &CancellationToken,
    ) -> Result<Vec<StageReport>, EngineError> {
        self.prune().await?;
        let ctx = Arc::new(ctx.clone());
        let tasks: Vec<Arc<dyn Task>> = self
            .tasks
            .iter()
            .filter(|t| ctx.wants(t.key()))
            .cloned()
            .collect();
        let mut reports = Vec::new();
        let mut next = 0;
        while let Some(task) = tasks.get(next).cloned() {
            if cancel.is_cancelled() {
                break;
            }
            next += 1;
            let beside = tasks.get(next).filter(|t| t.overlaps_previous()).cloned();
            let mut ran = vec![task.clone()];
            let done = match beside {
                None => vec![self.run_one(task, &ctx, cycle_id, cancel, None).await?],
                Some(beside) => {
                    // The second stage takes the units the first makes due, until the first has ended.
                    next += 1;
                    ran.push(beside.clone());
                    let upstream = CancellationToken::new();
                    let first = async {
                        let report = self.run_one(task, &ctx, cycle_id, cancel, None).await;
                        upstream.cancel();
                        report
                    };
                    let second = self.run_one(beside, &ctx, cycle_id, cancel, Some(upstream.clone()));
                    let (first, second) = tokio::join!(first, second);
                    vec![first?, second?]
                }
            };
            let fatal = done
                .iter()
                .zip(&ran)
                .any(|(report, task)| report.fatal && !task.best_effort());
            reports.extend(done);
            if fatal {
                break;
            }
        }
        Ok(reports)
    }

    async fn prune(&self) -> Result<(), EngineError> {
        let retention = chrono::Duration::from_std(self.settings.retention).unwrap_or(chrono::Duration::MAX);
        let Some(cutoff) = self.clock.now().checked_sub_signed(retention) else {
            return Ok(());
        };
        let (r, e) = self
            .db
            .call(move |db| db.write(|c| Ok((runs::prune(c, cutoff)?, events::prune(c, cutoff)?))))
            .await?;
        if r + e > 0 {
            tracing::info!(runs = r, events = e, "pruned history past retention");
        }
        Ok(())
    }
}

fn new_cycle_id(now: chrono::DateTime<chrono::Utc>) -> String {
    format!("{}-{:04x}", now.format("%Y%m%dT%H%M%SZ"), rand::random::<u16>())
}
