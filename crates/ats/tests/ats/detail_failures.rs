//! Detail calls that fail (issue 8 #10): one posting whose detail fails forever no longer fails the board of
//! SmartRecruiters or Workday; the posting comes without description, the fetch is incomplete and the
//! failure counted. A rate limit that is not waited out ends the detail calls early, as incomplete.

use std::time::{Duration, Instant};

use pipeline_ats::{BoardFetch, DetailBudget};
use pipeline_domain::ErrorClass;
use pipeline_testkit::{Board, Fault, Provider, RetryAfter, Target, WorldHandle};

use crate::support::{board_with, client, detail_prefix, reference};

const PROVIDERS: [Provider; 2] = [Provider::SmartRecruiters, Provider::Workday];

fn start() -> WorldHandle {
    crate::support::world(1, 200)
}

async fn fetch(world: &WorldHandle, board: &Board, budget: &DetailBudget) -> BoardFetch {
    let provider = board.reference.provider;
    client(world, provider, budget)
        .fetch_board(&reference(board), None)
        .await
        .unwrap_or_else(|e| panic!("{provider}: the board is read despite its failed detail: {e}"))
}

/// The detail paths one fetch of `board` asks for, in order.
async fn detail_paths(world: &WorldHandle, board: &Board) -> Vec<String> {
    world.clear_log();
    fetch(world, board, &DetailBudget::new(1000)).await;
    let prefix = detail_prefix(board);
    let paths = world
        .log()
        .entries
        .iter()
        .filter(|e| e.method == "GET" && e.path.starts_with(&prefix))
        .map(|e| e.path.clone())
        .collect();
    world.clear_log();
    paths
}

/// Every posting listed, exactly `failed` of them without a description; the fetch incomplete.
fn assert_incomplete(provider: Provider, board: &Board, fetch: &BoardFetch, failed: usize) {
    let listed = board.postings.iter().filter(|p| p.listed).count();
    assert_eq!(fetch.postings.len(), listed, "{provider}: every posting is kept");
    let without = fetch.postings.iter().filter(|p| p.description.is_empty());
    assert_eq!(
        without.count(),
        failed,
        "{provider}: postings without description"
    );
    assert!(fetch.incomplete, "{provider}: the fetch is marked incomplete");
    assert_eq!(
        fetch.details_failed as usize, failed,
        "{provider}: failures counted"
    );
    assert_eq!(
        fetch.details_skipped, 0,
        "{provider}: failures are not budget skips"
    );
}

#[tokio::test]
async fn a_detail_failing_forever_keeps_its_posting_without_description_and_marks_the_fetch_incomplete() {
    let world = start();
    for provider in PROVIDERS {
        let board = board_with(&world, provider, 3);
        let paths = detail_paths(&world, &board).await;
        assert!(paths.len() >= 3, "{provider}: {paths:?}");
        // The second posting's detail answers 503 to every try, past the HTTP core's retries.
        let failing = paths[1].clone();
        world.random_fault(Target::PathPrefix(failing.clone()), 1.0, Fault::Status(503));
        let fetch = fetch(&world, &board, &DetailBudget::new(1000)).await;
        world.clear_faults();
        assert_incomplete(provider, &board, &fetch, 1);
        assert_eq!(fetch.rate_limited, None);
        let error = fetch.detail_error.clone().unwrap();
        assert!(error.contains("HTTP 503"), "{provider}: {error}");
        let tries = world.log().entries.iter().filter(|e| e.path == failing).count();
        assert_eq!(tries, 3, "{provider}: 1 try + 2 retries, then given up");
        let asked = world
            .log()
            .entries
            .iter()
            .filter(|e| paths.contains(&e.path))
            .count();
        assert_eq!(
            asked,
            paths.len() + 2,
            "{provider}: the later details are still read"
        );
    }
}

#[tokio::test]
async fn an_unreadable_detail_is_a_failed_detail_not_a_failed_board() {
    let world = start();
    for provider in PROVIDERS {
        let board = board_with(&world, provider, 2);
        let prefix = detail_prefix(&board);
        world.script_fault(Target::PathPrefix(prefix), 1, Fault::HtmlInsteadOfJson);
        let fetch = fetch(&world, &board, &DetailBudget::new(1000)).await;
        assert_incomplete(provider, &board, &fetch, 1);
    }
}

#[tokio::test]
async fn a_complete_fetch_is_not_marked_incomplete() {
    let world = start();
    for provider in PROVIDERS {
        let board = board_with(&world, provider, 2);
        let fetch = fetch(&world, &board, &DetailBudget::new(1)).await;
        assert!(!fetch.incomplete && fetch.details_failed == 0, "{provider}");
        assert!(
            fetch.details_skipped > 0,
            "a spent budget is not a failure: {provider}"
        );
        assert_eq!((fetch.detail_error, fetch.rate_limited), (None, None));
    }
}

#[tokio::test]
async fn a_detail_rate_limited_beyond_max_retry_after_ends_the_detail_calls_early_as_incomplete() {
    let world = start();
    let hour = Duration::from_secs(3600);
    for provider in PROVIDERS {
        let board = board_with(&world, provider, 3);
        let prefix = detail_prefix(&board);
        let fault = Fault::TooManyRequests(RetryAfter::Seconds(hour.as_secs()));
        world.random_fault(Target::PathPrefix(prefix.clone()), 1.0, fault);
        world.clear_log();
        let budget = DetailBudget::new(1000);
        let started = Instant::now();
        let fetch = fetch(&world, &board, &budget).await;
        world.clear_faults();
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{provider}: not waited for"
        );
        let listed = board.postings.iter().filter(|p| p.listed).count();
        assert_incomplete(provider, &board, &fetch, listed);
        assert_eq!(
            fetch.rate_limited,
            Some(ErrorClass::RateLimited { wait: Some(hour) }),
            "{provider}: the wait is handed to the stage"
        );
        let asked = world
            .log()
            .entries
            .iter()
            .filter(|e| e.path.starts_with(&prefix))
            .count();
        assert_eq!(asked, 1, "{provider}: no detail asked for after the 429");
        assert_eq!(
            budget.remaining(),
            999,
            "{provider}: no budget spent on details not asked for"
        );
    }
}
