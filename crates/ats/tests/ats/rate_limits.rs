//! 429s against the clients (issue 8 #9): a short `Retry-After` (at most `max_retry_after`) is waited out and
//! the board read whole, list and detail calls alike; a longer one comes back at once as rate-limited, for
//! the engine to pause the provider.

use std::time::{Duration, Instant};

use pipeline_ats::DetailBudget;
use pipeline_domain::{Classify, ErrorClass};
use pipeline_testkit::{Fault, Provider, RetryAfter, Target, WorldHandle};

use crate::support::{board_with, client, detail_prefix, reference};

fn start() -> WorldHandle {
    crate::support::world(1, 200)
}

/// A 429 with `Retry-After: 1` on the board's first request (and, for the providers with detail calls, on
/// its first detail call): the fetch waits, retries and returns the whole board.
async fn waits_out_retry_after_1(provider: Provider) {
    let world = start();
    let board = board_with(&world, provider, 2);
    let tenant = board.reference.tenant.clone();
    let retry_after_1 = Fault::TooManyRequests(RetryAfter::Seconds(1));
    world.script_fault(Target::tenant(provider, &tenant), 1, retry_after_1.clone());
    let details = matches!(provider, Provider::SmartRecruiters | Provider::Workday);
    if details {
        world.script_fault(Target::PathPrefix(detail_prefix(&board)), 1, retry_after_1);
    }
    let started = Instant::now();
    let fetch = client(&world, provider, &DetailBudget::new(1000))
        .fetch_board(&reference(&board), None)
        .await
        .unwrap_or_else(|e| panic!("{provider}: {e}"));
    let waited = started.elapsed();
    let listed = board.postings.iter().filter(|p| p.listed).count();
    assert_eq!(fetch.postings.len(), listed, "{provider}: the whole board");
    assert!(
        !fetch.incomplete && fetch.details_failed == 0,
        "{provider}: {fetch:?}"
    );
    assert!(
        fetch.postings.iter().all(|p| !p.description.is_empty()),
        "{provider}"
    );
    let waits = if details { 2 } else { 1 };
    assert!(
        waited >= Duration::from_secs(waits),
        "{provider}: waited {waited:?}"
    );
    let statuses = world.log().statuses(provider.key());
    let limited = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!(limited as u64, waits, "{provider}: {statuses:?}");
    assert_eq!(world.faults(|f| f.pending()), 0, "{provider}: every 429 was met");
}

#[tokio::test]
async fn greenhouse_waits_out_a_429_with_retry_after_1() {
    waits_out_retry_after_1(Provider::Greenhouse).await;
}

#[tokio::test]
async fn workable_waits_out_a_429_with_retry_after_1() {
    waits_out_retry_after_1(Provider::Workable).await;
}

#[tokio::test]
async fn smartrecruiters_waits_out_a_429_with_retry_after_1_on_list_and_detail() {
    waits_out_retry_after_1(Provider::SmartRecruiters).await;
}

#[tokio::test]
async fn workday_waits_out_a_429_with_retry_after_1_on_list_and_detail() {
    waits_out_retry_after_1(Provider::Workday).await;
}

#[tokio::test]
async fn a_429_asking_longer_than_max_retry_after_is_rate_limited_at_once() {
    let world = start();
    let hour = Duration::from_secs(3600);
    for provider in [
        Provider::Greenhouse,
        Provider::Workable,
        Provider::SmartRecruiters,
        Provider::Workday,
    ] {
        let board = board_with(&world, provider, 1);
        let tenant = board.reference.tenant.clone();
        let fault = Fault::TooManyRequests(RetryAfter::Seconds(hour.as_secs()));
        world.script_fault(Target::tenant(provider, &tenant), 1, fault);
        world.clear_log();
        let started = Instant::now();
        let error = client(&world, provider, &DetailBudget::new(1000))
            .fetch_board(&reference(&board), None)
            .await
            .unwrap_err();
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{provider}: not waited for"
        );
        assert_eq!(
            error.class(),
            ErrorClass::RateLimited { wait: Some(hour) },
            "{provider}: {error}"
        );
        assert_eq!(world.log().count_tenant(provider.key(), &tenant), 1, "{provider}");
    }
}
