//! The engine's cycle with a fake clock: locks, takeovers, heartbeats, pauses, counters, interruption.

use std::sync::Arc;
use std::time::Duration;

use pipeline_db::repo::{events, locks, runs};
use pipeline_domain::{Clock, Counter, RunStatus};
use pipeline_engine::{EngineError, Outcome, RunContext, TaskError};
use tokio_util::sync::CancellationToken;

use crate::support::{engine, setup, start, task};

#[tokio::test]
async fn a_second_holder_is_refused_and_told_who_holds_the_lock_until_when() {
    let (_d, db, clock) = setup();
    let (db2, clock2) = (db.clone(), clock.clone());
    let seen = Arc::new(std::sync::Mutex::new(None));
    let seen2 = seen.clone();
    let a = engine(
        &db,
        &clock,
        "hostA:1:aa",
        task(move |_run| {
            let (db, clock, seen) = (db2.clone(), clock2.clone(), seen2.clone());
            async move {
                let b = engine(&db, &clock, "hostB:2:bb", task(|_| async { Ok(Outcome::Done) }));
                let refused = b
                    .run_cycle(&RunContext::default(), &CancellationToken::new())
                    .await;
                *seen.lock().unwrap() = Some(refused.map(|_| ()));
                Ok(Outcome::Done)
            }
        }),
    );
    let report = a
        .run_cycle(&RunContext::default(), &CancellationToken::new())
        .await
        .unwrap();
    assert_eq!(report.stages[0].status, RunStatus::Succeeded);
    match seen.lock().unwrap().take().unwrap() {
        Err(EngineError::LockHeld {
            owner, expires_at, ..
        }) => {
            assert_eq!(owner, "hostA:1:aa");
            assert_eq!(expires_at, start() + chrono::Duration::seconds(60));
        }
        other => panic!("expected LockHeld, got {other:?}"),
    }
    assert!(
        db.read(locks::list).unwrap().is_empty(),
        "released after the cycle"
    );
}

#[tokio::test]
async fn an_expired_lock_is_taken_over_and_its_run_marked_abandoned() {
    let (_d, db, clock) = setup();
    let old_run = db
        .write(|c| {
            locks::try_acquire(
                c,
                "cycle",
                "otherhost:9:zz",
                start(),
                chrono::Duration::seconds(60),
                &|_| false,
            )?;
            runs::start(c, "old", "directory", "otherhost:9:zz", start())
        })
        .unwrap();
    clock.advance(chrono::Duration::seconds(30));
    let e = engine(&db, &clock, "me:1:aa", task(|_| async { Ok(Outcome::Done) }));
    let held = e
        .run_cycle(&RunContext::default(), &CancellationToken::new())
        .await;
    assert!(
        matches!(held, Err(EngineError::LockHeld { .. })),
        "still live at +30s"
    );
    clock.advance(chrono::Duration::seconds(31));
    let report = e
        .run_cycle(&RunContext::default(), &CancellationToken::new())
        .await
        .unwrap();
    let taken = db
        .read(|c| events::recent(c, Some("lock_taken_over"), 1))
        .unwrap();
    assert!(
        taken[0].detail.as_deref().unwrap().contains("otherhost:9:zz"),
        "{taken:?}"
    );
    assert_eq!(report.took_over.as_deref(), Some("otherhost:9:zz"));
    assert_eq!(
        db.read(|c| runs::get(c, old_run)).unwrap().unwrap().status,
        RunStatus::Abandoned
    );
    assert_eq!(report.stages[0].status, RunStatus::Succeeded);
}

#[tokio::test(start_paused = true)]
async fn the_heartbeat_keeps_a_long_runs_lock_past_its_ttl() {
    let (_d, db, clock) = setup();
    let (db2, clock2) = (db.clone(), clock.clone());
    let e = engine(
        &db,
        &clock,
        "me:1:aa",
        task(move |_run| {
            let (db, clock) = (db2.clone(), clock2.clone());
            async move {
                // Ten minutes of work against a 60 s TTL, in 10 s steps of both clocks.
                for _ in 0..60 {
                    clock.advance(chrono::Duration::seconds(10));
                    tokio::time::sleep(Duration::from_secs(10)).await;
                    let lock = db.read(|c| locks::get(c, "cycle")).unwrap().unwrap();
                    assert!(
                        lock.expires_at > clock.now(),
                        "lock expired mid-run at {}",
                        clock.now()
                    );
                }
                Ok(Outcome::Done)
            }
        }),
    );
    let report = e
        .run_cycle(&RunContext::default(), &CancellationToken::new())
        .await
        .unwrap();
    assert_eq!(
        report.stages[0].status,
        RunStatus::Succeeded,
        "{:?}",
        report.stages[0].message
    );
}

#[tokio::test]
async fn every_counter_round_trips_through_the_run_row() {
    let (_d, db, clock) = setup();
    let e = engine(
        &db,
        &clock,
        "me:1:aa",
        task(|run| async move {
            for (i, c) in Counter::ALL.iter().enumerate() {
                run.count(*c, 1000 + i as u64);
            }
            run.count_skipped("bad_row", 3);
            run.checkpoint().await.map_err(|e| TaskError::from_error(&e))?;
            Ok(Outcome::Done)
        }),
    );
    let report = e
        .run_cycle(&RunContext::default(), &CancellationToken::new())
        .await
        .unwrap();
    let stage = &report.stages[0];
    let row = db.read(|c| runs::get(c, stage.run_id.unwrap())).unwrap().unwrap();
    assert_eq!(row.counters, stage.counters);
    for (i, c) in Counter::ALL.iter().enumerate() {
        assert_eq!(row.counters.get(*c), 1000 + i as u64);
    }
    assert_eq!(row.counters.skipped("bad_row"), 3);
    assert_eq!(row.status, RunStatus::Partial, "half the units failed");
}

#[tokio::test]
async fn cancellation_marks_the_run_interrupted_and_releases_the_lock() {
    let (_d, db, clock) = setup();
    let cancel = CancellationToken::new();
    let trigger = cancel.clone();
    let e = engine(
        &db,
        &clock,
        "me:1:aa",
        task(move |run| {
            let trigger = trigger.clone();
            async move {
                trigger.cancel();
                run.cancel.cancelled().await;
                Ok(Outcome::Done)
            }
        }),
    );
    let report = e.run_cycle(&RunContext::default(), &cancel).await.unwrap();
    assert!(report.interrupted);
    assert_eq!(report.stages[0].status, RunStatus::Interrupted);
    let row = db
        .read(|c| runs::get(c, report.stages[0].run_id.unwrap()))
        .unwrap()
        .unwrap();
    assert_eq!(row.status, RunStatus::Interrupted);
    assert!(db.read(locks::list).unwrap().is_empty());
}

#[tokio::test]
async fn pauses_expire_by_the_clock_and_resume_lifts_them() {
    let (_d, db, clock) = setup();
    let e = engine(&db, &clock, "me:1:aa", task(|_| async { Ok(Outcome::Done) }));
    e.pause_provider("lever", Duration::from_secs(6 * 3600), Some("429s"))
        .await
        .unwrap();
    clock.advance(chrono::Duration::hours(5));
    assert!(e.provider_pause("lever").await.unwrap().is_some());
    clock.advance(chrono::Duration::hours(1));
    assert!(e.provider_pause("lever").await.unwrap().is_none());
    e.pause_provider("ashby", Duration::from_secs(60), None)
        .await
        .unwrap();
    assert!(e.resume_provider("ashby").await.unwrap());
    assert!(!e.resume_provider("ashby").await.unwrap());
}

#[tokio::test]
async fn a_failing_unit_ratio_above_the_alert_makes_the_run_partial() {
    let (_d, db, clock) = setup();
    let e = engine(
        &db,
        &clock,
        "me:1:aa",
        task(|run| async move {
            run.count(Counter::UnitsOk, 8);
            run.count(Counter::UnitsFailed, 2);
            Ok(Outcome::Done)
        }),
    );
    let report = e
        .run_cycle(&RunContext::default(), &CancellationToken::new())
        .await
        .unwrap();
    assert_eq!(report.stages[0].status, RunStatus::Partial);
    assert!(report.needs_attention(0.1));
}
