//! The ingestion stage against a generated world: after a full cycle every open posting of every found
//! board is stored; a cycle with nothing changed upstream writes no posting row; a day later exactly the
//! world's new, closed and reposted postings are reflected; a board that moved is marked gone.

use std::collections::BTreeSet;

use pipeline_db::repo::{boards, postings};
use pipeline_db::testing::TestDb;
use pipeline_domain::{Counter, RunStatus};
use pipeline_engine::CycleReport;
use pipeline_testkit::{World, WorldHandle};

use super::discovery::{config_for, cycle, engine};

fn ingestion(report: &CycleReport) -> &pipeline_engine::StageReport {
    report.stages.iter().find(|s| s.stage == "ingestion").unwrap()
}

/// Every stored posting as (board reference lower case, external id, open).
fn stored(test: &TestDb) -> BTreeSet<(String, String, bool)> {
    let db = test.db();
    let ids: Vec<i64> = (1..=1000).collect();
    let by_company = db.read(|c| boards::of_companies(c, &ids)).unwrap();
    let mut out = BTreeSet::new();
    for (company, boards) in by_company {
        let rows = db.read(|c| postings::of_company(c, company)).unwrap();
        for row in rows {
            let board = boards.iter().find(|b| b.id == row.board_id).unwrap();
            out.insert((
                board.reference.to_lowercase(),
                row.external_id,
                row.closed_at.is_none(),
            ));
        }
    }
    out
}

/// The world's open postings of the boards its truth says are found, as (board, external id).
fn world_open(world: &WorldHandle) -> BTreeSet<(String, String)> {
    world.read(|w| {
        w.boards
            .values()
            .flat_map(|b| {
                let reference = b.reference.to_string().to_lowercase();
                b.postings
                    .iter()
                    .filter(|p| p.listed)
                    .map(move |p| (reference.clone(), p.id.clone()))
            })
            .collect()
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_open_posting_is_stored_an_unchanged_world_writes_nothing_and_a_day_is_reflected() {
    let world = World::generate(13, 40).start().unwrap();
    let test = TestDb::new();
    let config = config_for(&world, test.dir());
    let engine = engine(&test, &world, &config);
    let report = cycle(&engine).await;
    let first = ingestion(&report);
    assert_eq!(first.status, RunStatus::Succeeded, "{:?}", first.message);
    // Ingestion ran beside discovery on the same connections: each stage counted its own requests, none
    // twice, none lost (the sheet's OAuth token request is not a stage's).
    let counted: u64 = report
        .stages
        .iter()
        .map(|s| s.counters.get(Counter::Requests))
        .sum();
    let log = world.log();
    let sent = log.entries.iter().filter(|e| e.label != "oauth").count();
    assert_eq!(counted, sent as u64, "{:?}", report.stages);
    assert!(first.counters.get(Counter::Requests) > 0);
    let open: BTreeSet<(String, String)> = stored(&test)
        .into_iter()
        .filter(|(_, _, open)| *open)
        .map(|(b, id, _)| (b, id))
        .collect();
    let truth = world_open(&world);
    let linked: BTreeSet<String> = world
        .truth()
        .companies
        .iter()
        .flat_map(|c| c.boards.iter().map(|b| b.to_string().to_lowercase()))
        .collect();
    let expected: BTreeSet<(String, String)> =
        truth.into_iter().filter(|(b, _)| linked.contains(b)).collect();
    assert!(!expected.is_empty());
    let missing: Vec<_> = expected.difference(&open).collect();
    let extra: Vec<_> = open.difference(&expected).collect();
    assert!(
        missing.len() * 100 <= expected.len(),
        "{} of {} open postings missing: {missing:?}",
        missing.len(),
        expected.len()
    );
    assert!(extra.is_empty(), "stored but not open in the world: {extra:?}");
    assert_eq!(first.counters.get(Counter::PostingsNew), open.len() as u64);

    // A day later by the clock, nothing changed upstream: every board is due, nothing is written.
    world.clock().advance(chrono::Duration::hours(25));
    let again = cycle(&engine).await;
    let second = ingestion(&again);
    for counter in [
        Counter::PostingsNew,
        Counter::PostingsUpdated,
        Counter::PostingsClosed,
    ] {
        assert_eq!(
            second.counters.get(counter),
            0,
            "{counter:?}: {:?}",
            second.counters
        );
    }
    assert!(second.counters.get(Counter::BoardsOk) > 0);

    // The world moves on a day: its closings, openings and reposts are reflected.
    let day = world.advance_day();
    world.clock().advance(chrono::Duration::hours(25));
    let after = cycle(&engine).await;
    let third = ingestion(&after);
    let now = stored(&test);
    for (board, id) in &day.closed {
        let key = (board.to_string().to_lowercase(), id.clone(), true);
        assert!(
            !now.contains(&key) || !linked.contains(&key.0),
            "{key:?} still open"
        );
    }
    let moved: BTreeSet<String> = day
        .moved
        .iter()
        .map(|m| m.from.to_string().to_lowercase())
        .collect();
    for (board, id) in &day.opened {
        let reference = board.to_string().to_lowercase();
        if linked.contains(&reference) && !moved.contains(&reference) {
            assert!(
                now.contains(&(reference, id.clone(), true)),
                "{board} {id} not stored"
            );
        }
    }
    assert!(
        third.counters.get(Counter::PostingsClosed) > 0,
        "{:?}",
        third.counters
    );
    assert!(
        third.counters.get(Counter::PostingsNew) > 0,
        "{:?}",
        third.counters
    );
    if !day.reposted.is_empty() {
        assert!(
            third.counters.get(Counter::PostingsReposts) > 0,
            "{:?}",
            third.counters
        );
    }
    for moved in &day.moved {
        let reference = moved.from.to_string().to_lowercase();
        if linked.contains(&reference) {
            assert!(third.counters.get(Counter::BoardsGone) > 0, "{moved:?}");
        }
    }
}

/// Detail calls (SmartRecruiters' `GET .../postings/{id}`, Workday's `GET .../job/...`) in the world's log.
fn detail_calls(world: &WorldHandle) -> usize {
    let log = world.log();
    let detail = |e: &&pipeline_testkit::LoggedRequest| match e.label.as_str() {
        "smartrecruiters" => e.path.contains("/postings/"),
        "workday" => e.method == "GET",
        _ => false,
    };
    log.entries.iter().filter(detail).count()
}

#[tokio::test]
async fn an_unchanged_list_item_makes_no_detail_call_until_the_boards_details_are_due_again() {
    let world = World::generate(17, 40).start().unwrap();
    let test = TestDb::new();
    let mut config = config_for(&world, test.dir());
    config.ingestion.refresh_after = std::time::Duration::from_secs(3600);
    let engine = engine(&test, &world, &config);
    let first = cycle(&engine).await;
    assert_eq!(ingestion(&first).status, RunStatus::Succeeded);
    let described = detail_calls(&world);
    assert!(described > 0, "the world has SmartRecruiters or Workday postings");

    // Two hours later every board is due, its details still fresh: list pages only, nothing written.
    world.clear_log();
    world.clock().advance(chrono::Duration::hours(2));
    let again = cycle(&engine).await;
    let second = ingestion(&again);
    assert_eq!(detail_calls(&world), 0, "{:?}", second.counters);
    assert!(second.counters.get(Counter::PostingsUnchanged) > 0);
    for counter in [
        Counter::PostingsNew,
        Counter::PostingsUpdated,
        Counter::PostingsClosed,
    ] {
        assert_eq!(second.counters.get(counter), 0, "{counter:?}");
    }

    // A new posting on a fresh board still has its detail read.
    let board = world
        .truth()
        .companies
        .iter()
        .flat_map(|c| c.boards.clone())
        .find(|b| b.provider == pipeline_testkit::Provider::SmartRecruiters)
        .expect("a linked SmartRecruiters board");
    let mut newcomer = world.read(|w| w.boards[&board.key()].postings[0].clone());
    newcomer.id = format!("{}9", newcomer.id);
    newcomer.title = "Treasury Analyst (FX)".to_owned();
    assert!(world.add_posting(&board, newcomer));
    world.clear_log();
    world.clock().advance(chrono::Duration::hours(2));
    let third = ingestion(&cycle(&engine).await).counters.clone();
    assert_eq!(detail_calls(&world), 1, "{third:?}");
    assert_eq!(third.get(Counter::PostingsNew), 1);

    // Past `details_refresh_after` (20 h) since the last full pass: every detail is read again.
    world.clear_log();
    world.clock().advance(chrono::Duration::hours(21));
    let fourth = ingestion(&cycle(&engine).await).counters.clone();
    assert_eq!(detail_calls(&world), described + 1, "{fourth:?}");
    assert_eq!(fourth.get(Counter::PostingsUpdated), 0);
}

#[tokio::test]
async fn the_boards_of_a_disabled_provider_are_left_alone_not_failed() {
    let world = World::generate(19, 40).start().unwrap();
    let test = TestDb::new();
    let config = config_for(&world, test.dir());
    let first = cycle(&engine(&test, &world, &config)).await;
    assert_eq!(ingestion(&first).status, RunStatus::Succeeded);
    let fetched = world.log().count("lever");
    assert!(fetched > 0, "the world has Lever boards");

    // Lever disabled, a day later: every board is due, none of Lever's is fetched, none fails.
    let mut config = config.clone();
    config.providers.get_mut(pipeline_domain::Provider::Lever).enabled = false;
    world.clear_log();
    world.clock().advance(chrono::Duration::hours(25));
    let report = cycle(&engine(&test, &world, &config)).await;
    let second = ingestion(&report);
    assert_eq!(second.status, RunStatus::Succeeded, "{:?}", second.message);
    assert_eq!(world.log().count("lever"), 0);
    assert_eq!(
        second.counters.get(Counter::UnitsFailed),
        0,
        "{:?}",
        second.counters
    );
    assert!(second.counters.get(Counter::BoardsOk) > 0);
}
