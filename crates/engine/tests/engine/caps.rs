//! A cap on one provider's units in flight (`UnitWork::max_in_flight`): a provider whose units wait long
//! never holds every slot of the stage; the runner claims past its units for other providers'.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use pipeline_db::repo::leases::Fenced;
use pipeline_db::{Conn, DbError};
use pipeline_domain::{Clock, RunCounters};
use pipeline_engine::{
    DueQuery, Engine, Outcome, RunContext, StageRun, UnitFailure, UnitSettings, UnitWork, run_units,
};
use tokio_util::sync::CancellationToken;

use crate::support::{leased_task, settings, setup};
use crate::units_support::{Failure, Keys};

/// The first 30 keys are the slow provider's (each unit takes 150 ms), the last 10 the fast one's.
const SLOW: usize = 30;

/// `Keys` with two providers by position in the due order, the slow one capped at `cap` units in flight.
struct TwoProviders {
    keys: Keys,
    cap: Option<usize>,
    started: Mutex<Vec<String>>,
}

fn provider(key: &str) -> &'static str {
    let n: usize = key[1..].parse().expect("keys are k + digits");
    if n < SLOW { "slow" } else { "fast" }
}

#[async_trait]
impl UnitWork for TwoProviders {
    type Unit = String;
    type Output = ();
    type Error = Failure;

    fn kind(&self) -> &'static str {
        self.keys.kind()
    }

    fn due(&self, conn: &mut Conn, query: &DueQuery<'_>) -> Result<Vec<String>, DbError> {
        self.keys.due(conn, query)
    }

    fn key(&self, unit: &String) -> String {
        unit.clone()
    }

    fn pause_key(&self, unit: &String) -> Option<String> {
        Some(provider(unit).to_owned())
    }

    fn max_in_flight(&self, key: &str) -> Option<usize> {
        (key == "slow").then_some(self.cap).flatten()
    }

    fn failures(&self, unit: &String) -> u32 {
        self.keys.failures(unit)
    }

    async fn work(&self, unit: &String, run: &StageRun) -> Result<(), Failure> {
        self.started.lock().expect("test state").push(unit.clone());
        if provider(unit) == "slow" {
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
        self.keys.work(unit, run).await
    }

    fn record_success(
        &self,
        tx: &mut Fenced<'_>,
        unit: &String,
        output: (),
        now: DateTime<Utc>,
    ) -> Result<RunCounters, DbError> {
        self.keys.record_success(tx, unit, output, now)
    }

    fn record_failure(
        &self,
        tx: &mut Fenced<'_>,
        unit: &String,
        failure: &UnitFailure,
    ) -> Result<(), DbError> {
        self.keys.record_failure(tx, unit, failure)
    }
}

/// Runs the 40 keys at concurrency 6; returns how many slow units had started when the last fast one did,
/// and how often each key was worked.
async fn run(cap: Option<usize>) -> (usize, Vec<u32>) {
    let (_test, db, clock) = setup();
    let work = Arc::new(TwoProviders {
        keys: Keys::new(SLOW + 10),
        cap,
        started: Mutex::default(),
    });
    let units = UnitSettings {
        concurrency: 6,
        lease_ttl: Duration::from_secs(60),
        pause_after_rate_limits: 3,
        pause_for: Duration::from_secs(3600),
        max_wait: Duration::from_secs(60),
    };
    let task_work = work.clone();
    let task = leased_task(move |run| {
        let (work, units) = (task_work.clone(), units.clone());
        async move { run_units(work, &run, &units).await.map(|_| Outcome::Done) }
    });
    let clock: Arc<dyn Clock> = Arc::new(clock);
    let mut engine = Engine::new(db, clock, "host:1:caps", settings());
    engine.register(task);
    engine
        .run_cycle(&RunContext::default(), &CancellationToken::new())
        .await
        .expect("the cycle runs");
    let started = work.started.lock().expect("test state").clone();
    let last_fast = started
        .iter()
        .rposition(|k| provider(k) == "fast")
        .expect("fast units ran");
    let slow_before = started[..last_fast]
        .iter()
        .filter(|k| provider(k) == "slow")
        .count();
    let worked = work.keys.times_worked();
    let times = work
        .keys
        .keys
        .iter()
        .map(|k| worked.get(k).copied().unwrap_or(0))
        .collect();
    (slow_before, times)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_capped_provider_leaves_slots_to_the_others_and_every_unit_still_runs_once() {
    let (slow_before, times) = run(Some(2)).await;
    assert!(
        slow_before <= 4,
        "the fast provider's units start while the slow one works its first units ({slow_before} slow first)"
    );
    assert_eq!(times, vec![1; SLOW + 10]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn without_a_cap_the_first_provider_of_the_due_order_fills_the_slots() {
    let (slow_before, times) = run(None).await;
    assert!(
        slow_before >= 20,
        "{slow_before} slow units started before the last fast one"
    );
    assert_eq!(times, vec![1; SLOW + 10]);
}
