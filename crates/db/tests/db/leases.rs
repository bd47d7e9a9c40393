//! Unit leases: the atomic claim, the fence, renewal by kind, release.

use chrono::Duration;
use pipeline_db::repo::leases;
use pipeline_db::testing::TestDb;

use crate::repos::{split, t};

fn leases_fence_a_worker_that_lost_its_claim(test: TestDb) {
    let (_dir, db) = split(test);
    let now = t("2026-11-25T03:00:00Z");
    let ttl = Duration::seconds(60);
    let a = db
        .write(|c| leases::claim(c, "board", "7", "a", now, ttl))
        .unwrap()
        .unwrap();
    assert!(
        db.write(|c| leases::claim(c, "board", "7", "b", now, ttl))
            .unwrap()
            .is_none()
    );
    let later = now + Duration::seconds(61);
    let b = db
        .write(|c| leases::claim(c, "board", "7", "b", later, ttl))
        .unwrap()
        .unwrap();
    assert_eq!((a.attempt, b.attempt), (1, 2));
    assert!(!db.read(|c| leases::holds(c, &a, later)).unwrap());
    assert!(db.read(|c| leases::holds(c, &b, later)).unwrap());
    assert!(
        !db.write(|c| leases::release(c, &a)).unwrap(),
        "a stale lease releases nothing"
    );
    assert_eq!(
        db.write(|c| leases::renew(c, "board", "b", later, ttl)).unwrap(),
        1
    );
    assert_eq!(
        db.write(|c| leases::renew(c, "company", "b", later, ttl))
            .unwrap(),
        0,
        "one kind only"
    );
    assert!(
        db.write(|c| leases::fence(c, &a, later).map(|f| f.is_none()))
            .unwrap()
    );
    assert!(db.write(|c| leases::release(c, &b)).unwrap());
    let again = db
        .write(|c| leases::claim(c, "board", "7", "a", later, ttl))
        .unwrap()
        .unwrap();
    assert_eq!(again.attempt, 1, "a released unit starts again");
}

fn two_processes_claiming_one_unit_at_once_get_one_lease(test: TestDb) {
    let now = t("2026-11-25T03:00:00Z");
    let winners: usize = (0..8)
        .map(|i| {
            let db = test.second_process();
            std::thread::spawn(move || {
                let owner = format!("w{i}");
                (0..50)
                    .filter(|unit| {
                        let key = unit.to_string();
                        db.write(|c| leases::claim(c, "board", &key, &owner, now, Duration::seconds(60)))
                            .unwrap()
                            .is_some()
                    })
                    .count()
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|h| h.join().unwrap())
        .sum();
    assert_eq!(winners, 50, "each of the 50 units has exactly one owner");
}

fn batch_claims_of_racing_workers_take_each_unit_once_and_expired_ones_again(test: TestDb) {
    let now = t("2026-11-25T03:00:00Z");
    let keys: Vec<String> = (0..300).map(|k| k.to_string()).collect();
    let claims: Vec<Vec<String>> = (0..4)
        .map(|i| {
            let (db, keys) = (test.second_process(), keys.clone());
            std::thread::spawn(move || {
                let owner = format!("w{i}");
                let mut mine = Vec::new();
                for chunk in keys.chunks(50) {
                    let taken = db
                        .write(|c| {
                            leases::serialize_claims(c, "board")?;
                            leases::claim_many(c, "board", chunk, &owner, now, Duration::seconds(60))
                        })
                        .unwrap();
                    mine.extend(taken.into_iter().map(|l| l.unit_key));
                }
                mine
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|h| h.join().unwrap())
        .collect();
    let mut all: Vec<String> = claims.concat();
    all.sort();
    let mut expected = keys.clone();
    expected.sort();
    assert_eq!(
        all, expected,
        "each of the 300 units is claimed by exactly one worker"
    );

    let db = test.db();
    let live = db
        .write(|c| leases::claim_many(c, "board", &keys[..10], "late", now, Duration::seconds(60)))
        .unwrap();
    assert!(live.is_empty(), "live leases of others are left alone");
    let later = now + Duration::seconds(61);
    let retaken = db
        .write(|c| leases::claim_many(c, "board", &keys[..10], "late", later, Duration::seconds(60)))
        .unwrap();
    assert_eq!(retaken.len(), 10, "expired leases are taken over");
    assert!(retaken.iter().all(|l| l.attempt == 2 && l.owner == "late"));
}

crate::on_both_backends!(
    batch_claims_of_racing_workers_take_each_unit_once_and_expired_ones_again,
    leases_fence_a_worker_that_lost_its_claim,
    two_processes_claiming_one_unit_at_once_get_one_lease,
);
