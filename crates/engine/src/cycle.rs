//! One cycle: take the lock, prune history, run each registered stage under its own run row, close the
//! rows with their counters, release.

use std::sync::Arc;
use std::time::{Duration, Instant};

use pipeline_db::Db;
use pipeline_db::repo::{events, runs, stage_state};
use pipeline_domain::{Clock, ErrorClass, RunCounters, RunStatus};
use tokio_util::sync::CancellationToken;

use crate::lock::LockGuard;
use crate::{EngineError, NoProgress, Outcome, Progress, RunContext, SharedMode, StageRun, Task, TaskError};

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

    async fn run_one(
        &self,
        task: Arc<dyn Task>,
        ctx: &Arc<RunContext>,
        cycle_id: &str,
        cancel: &CancellationToken,
        upstream: Option<CancellationToken>,
    ) -> Result<StageReport, EngineError> {
        let stage = task.key();
        let singleton = if ctx.shared && task.shared_mode() == SharedMode::Singleton {
            match self.lock(stage, cancel.clone()).await {
                Ok(guard) => Some(guard),
                Err(EngineError::LockHeld { owner, .. }) => {
                    return Ok(skipped(stage, format!("held by {owner}")));
                }
                Err(e) => return Err(e),
            }
        } else {
            None
        };
        let run_id = self.start_run(stage, cycle_id).await?;
        // A stage beside another draws its own progress.
        let progress = match upstream.is_some() {
            true => self.progress.lane(stage),
            false => None,
        };
        let progress = progress.unwrap_or_else(|| self.progress.clone());
        let run = StageRun::new(
            ctx.clone(),
            stage,
            run_id,
            cycle_id.to_owned(),
            self.owner.clone(),
            self.db.clone(),
            self.clock.clone(),
            cancel.clone(),
            progress,
        );
        let run = match upstream {
            Some(upstream) => run.beside(upstream),
            None => run,
        };
        let started = Instant::now();
        tracing::info!(stage, run_id, "stage started");
        let result = run_cancellable(task.as_ref(), &run).await;
        let report = self.finish_run(&run, result, started.elapsed()).await?;
        if let Some(guard) = singleton {
            guard.release().await?;
        }
        Ok(report)
    }

    async fn start_run(&self, stage: &'static str, cycle_id: &str) -> Result<i64, EngineError> {
        let (cycle, owner, now) = (cycle_id.to_owned(), self.owner.clone(), self.clock.now());
        Ok(self
            .db
            .call(move |db| {
                db.write(|c| {
                    stage_state::record_start(c, stage, now)?;
                    runs::start(c, &cycle, stage, &owner, now)
                })
            })
            .await?)
    }

    async fn finish_run(
        &self,
        run: &StageRun,
        result: Result<Outcome, TaskError>,
        duration: Duration,
    ) -> Result<StageReport, EngineError> {
        let counters = run.counters();
        let config_error = matches!(&result, Err(e) if e.config);
        let (status, message, error) = match result {
            _ if run.is_cancelled() => (RunStatus::Interrupted, Some("interrupted".to_owned()), None),
            Ok(Outcome::Done) if counters.failure_ratio() > self.settings.alert_failure_ratio => {
                let msg = format!("{:.0}% of units failed", counters.failure_ratio() * 100.0);
                (
                    RunStatus::Partial,
                    Some(msg.clone()),
                    Some((ErrorClass::Transient, msg)),
                )
            }
            Ok(Outcome::Done) => (RunStatus::Succeeded, None, None),
            Ok(Outcome::Partial(msg)) => (
                RunStatus::Partial,
                Some(msg.clone()),
                Some((ErrorClass::Permanent, msg)),
            ),
            Ok(Outcome::Skipped(msg)) => (RunStatus::Skipped, Some(msg), None),
            Err(e) => (
                RunStatus::Failed,
                Some(e.message.clone()),
                Some((e.class, e.message)),
            ),
        };
        match &message {
            // A partial run's reasons were logged where they arose; a failure's may not have been.
            Some(reason) if status == RunStatus::Failed => {
                tracing::warn!(stage = run.stage, status = %status, ?duration, %reason, "stage finished");
            }
            _ => tracing::info!(stage = run.stage, status = %status, ?duration, "stage finished"),
        }
        let (id, owner, stage, now, c2) = (
            run.run_id,
            run.owner.clone(),
            run.stage,
            self.clock.now(),
            counters.clone(),
        );
        let msg = message.clone();
        let fatal = matches!(error, Some((ErrorClass::Fatal, _)));
        self.db
            .call(move |db| {
                db.write(|c| {
                    runs::finish(c, id, &owner, status, &c2, msg.as_deref(), now)?;
                    stage_state::record_finish(
                        c,
                        stage,
                        status,
                        error.as_ref().map(|(k, m)| (*k, m.as_str())),
                        now,
                    )
                })
            })
            .await?;
        Ok(StageReport {
            stage: run.stage,
            run_id: Some(run.run_id),
            status,
            duration,
            counters,
            message,
            fatal,
            config_error,
        })
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

/// Runs the task; once cancelled it gets a grace period to wind down, then it is dropped.
async fn run_cancellable(task: &dyn Task, run: &StageRun) -> Result<Outcome, TaskError> {
    let work = task.run(run);
    tokio::pin!(work);
    tokio::select! {
        result = &mut work => result,
        () = run.cancel.cancelled() => {
            match tokio::time::timeout(CANCEL_GRACE, &mut work).await {
                Ok(result) => result,
                Err(_) => Err(TaskError::new(ErrorClass::Transient, "interrupted")),
            }
        }
    }
}

fn skipped(stage: &'static str, message: String) -> StageReport {
    StageReport {
        stage,
        run_id: None,
        status: RunStatus::Skipped,
        duration: Duration::ZERO,
        counters: RunCounters::default(),
        message: Some(message),
        fatal: false,
        config_error: false,
    }
}

fn new_cycle_id(now: chrono::DateTime<chrono::Utc>) -> String {
    format!("{}-{:04x}", now.format("%Y%m%dT%H%M%SZ"), rand::random::<u16>())
}
