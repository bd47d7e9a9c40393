//! The fleet's rate ledger: windows of one provider never overlap, whoever reserves them, and start now
//! when the last one is past; a live pause grants nothing.

use chrono::Duration;
use pipeline_db::repo::rate_ledger::Reserved;
use pipeline_db::repo::{pauses, rate_ledger};
use pipeline_db::testing::TestDb;

use crate::repos::{split, t};

fn start(reserved: Reserved) -> i64 {
    match reserved {
        Reserved::Window { starts_at_us } => starts_at_us,
        Reserved::Paused => panic!("paused"),
    }
}

fn windows_follow_each_other_and_start_now_when_the_last_is_past(test: TestDb) {
    let (_test, db) = split(test);
    let now = t("2026-11-25T03:00:00Z");
    let reserve = |span, clock| {
        db.write(|c| rate_ledger::reserve(c, "lever", span, clock, now))
            .unwrap()
    };
    assert_eq!(start(reserve(500, 1_000)), 1_000);
    assert_eq!(start(reserve(500, 1_100)), 1_500, "after the last window");
    assert_eq!(start(reserve(250, 1_200)), 2_000);
    assert_eq!(start(reserve(500, 9_000)), 9_000, "the last window is past");
    let other = db
        .write(|c| rate_ledger::reserve(c, "ashby", 500, 9_000, now))
        .unwrap();
    assert_eq!(start(other), 9_000, "providers have a window each");
}

fn a_paused_provider_gets_no_window_until_the_pause_ends(test: TestDb) {
    let (_test, db) = split(test);
    let now = t("2026-11-25T03:00:00Z");
    db.write(|c| pauses::set(c, "lever", now + Duration::hours(1), Some("429s"), now))
        .unwrap();
    let during = db
        .write(|c| rate_ledger::reserve(c, "lever", 500, 1_000, now))
        .unwrap();
    assert_eq!(during, Reserved::Paused);
    let after = now + Duration::hours(1);
    let window = db
        .write(|c| rate_ledger::reserve(c, "lever", 500, 1_000, after))
        .unwrap();
    assert_eq!(start(window), 1_000);
}

fn racing_processes_never_get_overlapping_windows(test: TestDb) {
    let now = t("2026-11-25T03:00:00Z");
    let mut starts: Vec<i64> = (0..4)
        .map(|_| {
            let db = test.second_process();
            std::thread::spawn(move || {
                (0..40)
                    .map(|i| {
                        let reserved = db
                            .write(|c| rate_ledger::reserve(c, "greenhouse", 100, 1_000 + i, now))
                            .unwrap();
                        start(reserved)
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    starts.sort_unstable();
    let expected: Vec<i64> = (0..160).map(|i| 1_000 + 100 * i).collect();
    assert_eq!(
        starts, expected,
        "160 windows of 100 µs back to back, none shared"
    );
}

crate::on_both_backends!(
    a_paused_provider_gets_no_window_until_the_pause_ends,
    racing_processes_never_get_overlapping_windows,
    windows_follow_each_other_and_start_now_when_the_last_is_past,
);
