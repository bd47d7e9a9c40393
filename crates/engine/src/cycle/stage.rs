//! One stage's run within a cycle: its run row opened, the task run (beside the stage before it when it
//! overlaps it), the row closed with its status and counters, and the stage's state updated.

use std::sync::Arc;
use std::time::{Duration, Instant};

use pipeline_db::repo::{runs, stage_state};
use pipeline_domain::{ErrorClass, RunCounters, RunStatus};
use tokio_util::sync::CancellationToken;

use super::{CANCEL_GRACE, Engine, StageReport};
use crate::{EngineError, Outcome, RunContext, SharedMode, StageRun, Task, TaskError};

impl Engine {
    pub(super) async fn run_one(
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
