//! A stage beside the one before it (`Task::overlaps_previous`, docs/stages.md#discovery-and-ingestion-
//! overlap): it takes the units the first makes due while that one runs, each once, and ends after it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use pipeline_domain::{Clock, RunStatus};
use pipeline_engine::{
    Engine, Outcome, RunContext, SharedMode, StageRun, Task, TaskError, UnitSettings, run_units,
};
use tokio_util::sync::CancellationToken;

use crate::support::{settings, setup};
use crate::units_support::Keys;

/// Makes `per_step` more keys due every `step`, `steps` times, then ends.
struct Maker {
    released: Arc<AtomicUsize>,
    ended: Arc<AtomicBool>,
    steps: usize,
    per_step: usize,
    step: Duration,
}

#[async_trait]
impl Task for Maker {
    fn key(&self) -> &'static str {
        "discovery"
    }

    fn shared_mode(&self) -> SharedMode {
        SharedMode::Leased
    }

    async fn run(&self, _run: &StageRun) -> Result<Outcome, TaskError> {
        for _ in 0..self.steps {
            tokio::time::sleep(self.step).await;
            self.released.fetch_add(self.per_step, Ordering::SeqCst);
        }
        self.ended.store(true, Ordering::SeqCst);
        Ok(Outcome::Done)
    }
}

/// Works the keys through the unit runner, beside `Maker` when `beside`.
struct Taker {
    work: Arc<Keys>,
    beside: bool,
}

#[async_trait]
impl Task for Taker {
    fn key(&self) -> &'static str {
        "ingestion"
    }

    fn shared_mode(&self) -> SharedMode {
        SharedMode::Leased
    }

    fn overlaps_previous(&self) -> bool {
        self.beside
    }

    async fn run(&self, run: &StageRun) -> Result<Outcome, TaskError> {
        let units = UnitSettings {
            concurrency: 4,
            lease_ttl: Duration::from_secs(60),
            pause_after_rate_limits: 3,
            pause_for: Duration::from_secs(3600),
            max_wait: Duration::from_secs(60),
        };
        run_units(self.work.clone(), run, &units).await?;
        Ok(Outcome::Done)
    }
}

/// Runs one cycle of Maker then Taker; returns (keys worked while Maker still ran, times each key was
/// worked, the stages' statuses in report order).
async fn cycle(beside: bool) -> (usize, Vec<u32>, Vec<(String, RunStatus)>) {
    let (_test, db, clock) = setup();
    let released = Arc::new(AtomicUsize::new(0));
    let ended = Arc::new(AtomicBool::new(false));
    let before_end = Arc::new(AtomicUsize::new(0));
    let (ended_seen, counted) = (ended.clone(), before_end.clone());
    let mut keys = Keys::new(40).scripted(move |_, _| {
        if !ended_seen.load(Ordering::SeqCst) {
            counted.fetch_add(1, Ordering::SeqCst);
        }
        Ok(())
    });
    keys.released = Some(released.clone());
    let work = Arc::new(keys);
    let clock: Arc<dyn Clock> = Arc::new(clock);
    let mut engine = Engine::new(db.clone(), clock, "host:1:overlap", settings());
    engine.register(Arc::new(Maker {
        released,
        ended,
        steps: 4,
        per_step: 10,
        step: Duration::from_millis(400),
    }));
    engine.register(Arc::new(Taker {
        work: work.clone(),
        beside,
    }));
    let report = engine
        .run_cycle(&RunContext::default(), &CancellationToken::new())
        .await
        .expect("the cycle runs");
    let worked = work.times_worked();
    let times = work
        .keys
        .iter()
        .map(|k| worked.get(k).copied().unwrap_or(0))
        .collect();
    let statuses = report
        .stages
        .iter()
        .map(|s| (s.stage.to_owned(), s.status))
        .collect();
    (before_end.load(Ordering::SeqCst), times, statuses)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_stage_beside_the_one_before_takes_its_units_as_they_come_each_once() {
    let (before_end, times, statuses) = cycle(true).await;
    assert!(
        before_end >= 10,
        "keys made due early are worked before their maker ends (worked before: {before_end})"
    );
    assert_eq!(
        times,
        vec![1; 40],
        "every key, including the last made due, worked exactly once"
    );
    let succeeded = |s: &str| (s.to_owned(), RunStatus::Succeeded);
    assert_eq!(statuses, vec![succeeded("discovery"), succeeded("ingestion")]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_stage_after_the_one_before_starts_when_it_has_ended() {
    let (before_end, times, _) = cycle(false).await;
    assert_eq!(before_end, 0);
    assert_eq!(times, vec![1; 40]);
}
