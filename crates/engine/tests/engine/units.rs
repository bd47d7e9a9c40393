//! The unit runner: claims that hold across two engines on one file, rescheduling by error class,
//! snoozes and pauses, the fence, the lease heartbeat with and without `--shared`, limits, cancellation,
//! units due again within their run.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use pipeline_db::Db;
use pipeline_db::repo::{leases, pauses};
use pipeline_domain::{Clock, Counter, ErrorClass, RunStatus};
use pipeline_engine::{CycleReport, Engine, Outcome, RunContext, Task, UnitSettings, run_units};
use tokio_util::sync::CancellationToken;

use crate::support::{leased_task, settings, setup, start};
use crate::units_support::{Failure, Keys, done_keys, shared};

fn unit_settings(concurrency: usize) -> UnitSettings {
    UnitSettings {
        concurrency,
        lease_ttl: Duration::from_secs(60),
        pause_after_rate_limits: 3,
        pause_for: Duration::from_secs(6 * 3600),
        max_wait: Duration::from_secs(600),
    }
}

fn stage(work: Arc<Keys>, units: UnitSettings) -> Arc<dyn Task> {
    leased_task(move |run| {
        let (work, units) = (work.clone(), units.clone());
        async move { run_units(work, &run, &units).await.map(|_| Outcome::Done) }
    })
}

fn unit_engine(db: &Db, clock: Arc<dyn Clock>, owner: &str, work: Arc<Keys>, units: UnitSettings) -> Engine {
    let mut e = Engine::new(db.clone(), clock, owner, settings());
    e.register(stage(work, units));
    e
}

async fn cycle(e: &Engine, ctx: RunContext) -> CycleReport {
    e.run_cycle(&ctx, &CancellationToken::new())
        .await
        .expect("the cycle runs")
}

fn no_leases_left(db: &Db) {
    assert!(
        db.read(|c| leases::live_keys(c, "test", start() + chrono::Duration::days(365)))
            .expect("leases readable")
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_engines_on_one_file_work_each_unit_exactly_once() {
    let (test, db, clock) = setup();
    let mut keys = Keys::new(300);
    keys.work_time = Duration::from_millis(2);
    let work = shared(keys);
    let clock: Arc<dyn Clock> = Arc::new(clock);
    let a = unit_engine(&db, clock.clone(), "hostA:1:aa", work.clone(), unit_settings(4));
    let b = unit_engine(
        &test.second_process(),
        clock,
        "hostB:2:bb",
        work.clone(),
        unit_settings(4),
    );
    let shared_ctx = RunContext {
        shared: true,
        ..RunContext::default()
    };
    let (ra, rb) = tokio::join!(cycle(&a, shared_ctx.clone()), cycle(&b, shared_ctx.clone()));
    let worked = work.times_worked();
    assert_eq!(worked.len(), 300, "every unit worked");
    assert!(
        worked.values().all(|&n| n == 1),
        "no unit worked twice: {worked:?}"
    );
    let mut done = db.read(done_keys).unwrap();
    done.sort();
    done.dedup();
    assert_eq!(done.len(), 300);
    let ok = |r: &CycleReport| r.stages[0].counters.get(Counter::UnitsOk);
    assert_eq!(ok(&ra) + ok(&rb), 300);
    no_leases_left(&db);
}

#[tokio::test]
async fn a_transient_failure_is_rescheduled_by_backoff_and_counts_an_attempt() {
    let (_t, db, clock) = setup();
    let work = shared(Keys::new(5).scripted(|key, _| match key {
        "k0002" => Err(Failure(ErrorClass::Transient)),
        _ => Ok(()),
    }));
    let e = unit_engine(&db, Arc::new(clock), "me:1:aa", work.clone(), unit_settings(2));
    let report = cycle(&e, RunContext::default()).await;
    let counters = &report.stages[0].counters;
    assert_eq!(
        (counters.get(Counter::UnitsOk), counters.get(Counter::UnitsFailed)),
        (4, 1)
    );
    assert_eq!(
        counters.get(Counter::PostingsSeen),
        4,
        "the stage's own counters are merged"
    );
    let state = work.state_of("k0002");
    assert_eq!(state.failures, 1);
    let wait = state.next_due.unwrap() - start();
    assert!(
        wait > chrono::Duration::minutes(3) && wait <= chrono::Duration::minutes(5),
        "{wait}"
    );
    no_leases_left(&db);
}

#[tokio::test]
async fn rate_limits_snooze_without_an_attempt_and_a_provider_that_keeps_limiting_is_paused() {
    let (_t, db, clock) = setup();
    let mut keys = Keys::new(10).scripted(|key, _| {
        let n: u32 = key[1..].parse().unwrap();
        match n % 2 {
            0 => Err(Failure(ErrorClass::RateLimited {
                wait: Some(Duration::from_secs(30)),
            })),
            _ => Ok(()),
        }
    });
    keys.providers = 2;
    let work = shared(keys);
    let e = unit_engine(&db, Arc::new(clock), "me:1:aa", work.clone(), unit_settings(1));
    let report = cycle(&e, RunContext::default()).await;
    let counters = &report.stages[0].counters;
    assert_eq!(
        counters.get(Counter::UnitsPaused),
        3,
        "three snoozes, then the pause"
    );
    assert_eq!(counters.get(Counter::UnitsOk), 5);
    assert_eq!(counters.get(Counter::UnitsFailed), 0);
    let worked = work.times_worked();
    assert!(
        !worked.contains_key("k0006") && !worked.contains_key("k0008"),
        "{worked:?}"
    );
    assert_eq!(work.state_of("k0000").failures, 0, "a snooze consumes no attempt");
    assert_eq!(
        work.state_of("k0000").next_due,
        Some(start() + chrono::Duration::seconds(30))
    );
    let pause = db
        .write(|c| pauses::active_for(c, "p0", start()))
        .unwrap()
        .unwrap();
    assert_eq!(pause.paused_until, start() + chrono::Duration::hours(6));
    assert!(pause.reason.unwrap().contains("rate limited"));
    assert_eq!(report.stages[0].status, RunStatus::Succeeded);
    no_leases_left(&db);
}

#[tokio::test]
async fn a_fatal_unit_error_stops_claiming_and_fails_the_stage() {
    let (_t, db, clock) = setup();
    let work = shared(Keys::new(20).scripted(|key, _| match key {
        "k0003" => Err(Failure(ErrorClass::Fatal)),
        _ => Ok(()),
    }));
    let e = unit_engine(&db, Arc::new(clock), "me:1:aa", work.clone(), unit_settings(1));
    let report = cycle(&e, RunContext::default()).await;
    assert_eq!(report.stages[0].status, RunStatus::Failed);
    assert!(report.stages[0].fatal);
    assert_eq!(
        work.times_worked().len(),
        4,
        "nothing claimed after the fatal error was worked"
    );
    no_leases_left(&db);
}

#[tokio::test]
async fn a_unit_whose_lease_was_taken_over_writes_nothing() {
    let (_t, db, clock) = setup();
    let (db2, clock2) = (db.clone(), clock.clone());
    let work = shared(Keys::new(1).scripted(move |key, _| {
        if key == "k0000" {
            clock2.advance(chrono::Duration::seconds(61));
            let now = clock2.now();
            db2.write(|c| {
                leases::claim(
                    c,
                    "test",
                    "k0000",
                    "thief:9:ff",
                    now,
                    chrono::Duration::seconds(60),
                )
            })
            .unwrap()
            .unwrap();
        }
        Ok(())
    }));
    let e = unit_engine(&db, Arc::new(clock), "me:1:aa", work, unit_settings(1));
    let report = cycle(&e, RunContext::default()).await;
    let counters = &report.stages[0].counters;
    assert_eq!(counters.skipped("lease_lost"), 1);
    assert_eq!(counters.get(Counter::UnitsOk), 0);
    assert!(
        db.read(done_keys).unwrap().is_empty(),
        "the lost unit's outcome was not written"
    );
    let thief = db.read(|c| leases::live_keys(c, "test", start())).unwrap();
    assert!(thief.contains("k0000"), "the new owner's lease is untouched");
}

/// A clock that follows tokio's (paused) time, so the heartbeat's ticks and the leases' expiry agree.
#[derive(Debug)]
struct TokioClock(DateTime<Utc>, tokio::time::Instant);

impl Clock for TokioClock {
    fn now(&self) -> DateTime<Utc> {
        self.0 + chrono::Duration::from_std(self.1.elapsed()).expect("test durations fit")
    }
}

#[tokio::test(start_paused = true)]
async fn the_lease_heartbeat_keeps_a_slow_unit_with_and_without_shared() {
    for shared_mode in [false, true] {
        let (_t, db, _) = setup();
        let mut keys = Keys::new(1);
        keys.work_time = Duration::from_secs(300);
        let work = shared(keys);
        let clock = Arc::new(TokioClock(start(), tokio::time::Instant::now()));
        let e = unit_engine(&db, clock, "me:1:aa", work, unit_settings(1));
        let report = cycle(
            &e,
            RunContext {
                shared: shared_mode,
                ..RunContext::default()
            },
        )
        .await;
        let counters = &report.stages[0].counters;
        assert_eq!(counters.skipped("lease_lost"), 0, "shared = {shared_mode}");
        assert_eq!(db.read(done_keys).unwrap(), ["k0000"], "shared = {shared_mode}");
    }
}

#[tokio::test]
async fn the_limit_caps_the_units_taken() {
    let (_t, db, clock) = setup();
    let work = shared(Keys::new(30));
    let e = unit_engine(&db, Arc::new(clock), "me:1:aa", work.clone(), unit_settings(3));
    let report = cycle(
        &e,
        RunContext {
            limit: Some(5),
            ..RunContext::default()
        },
    )
    .await;
    assert_eq!(report.stages[0].counters.get(Counter::UnitsOk), 5);
    assert_eq!(work.times_worked().len(), 5);
    no_leases_left(&db);
}

#[tokio::test]
async fn a_unit_due_again_within_its_run_is_read_past_not_claimed_again() {
    let (_t, db, clock) = setup();
    let mut keys = Keys::new(40);
    keys.due_again = true;
    let work = shared(keys);
    let reports = Arc::new(std::sync::Mutex::new(Vec::new()));
    let (w, units, seen) = (work.clone(), unit_settings(2), reports.clone());
    let task = leased_task(move |run| {
        let (work, units, seen) = (w.clone(), units.clone(), seen.clone());
        async move {
            let report = run_units(work, &run, &units).await?;
            seen.lock().expect("reports").push(report);
            Ok(Outcome::Done)
        }
    });
    let mut e = Engine::new(db.clone(), Arc::new(clock), "me:1:aa", settings());
    e.register(task);
    let report = cycle(&e, RunContext::default()).await;
    assert_eq!(report.stages[0].counters.get(Counter::UnitsOk), 40);
    assert!(work.times_worked().values().all(|n| *n == 1));
    // Every batch after the first found the units already worked still due: none was claimed again.
    let reports = reports.lock().expect("reports");
    assert_eq!((reports[0].ok, reports[0].released), (40, 0), "{reports:?}");
    no_leases_left(&db);
}

#[tokio::test]
async fn cancellation_stops_claiming_and_releases_every_lease() {
    let (_t, db, clock) = setup();
    let cancel = CancellationToken::new();
    let trigger = cancel.clone();
    let mut keys = Keys::new(50).scripted(move |key, _| {
        if key == "k0004" {
            trigger.cancel();
        }
        Ok(())
    });
    keys.work_time = Duration::from_millis(5);
    let work = shared(keys);
    let e = unit_engine(&db, Arc::new(clock), "me:1:aa", work.clone(), unit_settings(2));
    let report = e.run_cycle(&RunContext::default(), &cancel).await.unwrap();
    assert!(report.interrupted);
    assert_eq!(report.stages[0].status, RunStatus::Interrupted);
    assert!(work.times_worked().len() < 10, "claiming stopped");
    no_leases_left(&db);
    let done = db.read(done_keys).unwrap().len() as u64;
    assert_eq!(
        report.stages[0].counters.get(Counter::UnitsOk),
        done,
        "counters match the rows"
    );
}
