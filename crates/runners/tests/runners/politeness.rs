//! Politeness against the world's request log: each provider's rate and concurrency hold for all of
//! discovery's validation calls together, a company site never gets two requests at once, and a provider
//! that keeps answering 429 — to discovery or to ingestion — is paused (in the DB, with one event), is sent
//! nothing more, and its companies or boards stay due until the pause ends.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use pipeline_db::repo::companies::{self, CompanyFilter};
use pipeline_db::repo::{boards, discovery as discovery_repo, events, pauses};
use pipeline_db::testing::TestDb;
use pipeline_domain::config::Config;
use pipeline_domain::{Counter, Provider, RunStatus};
use pipeline_testkit::{Fault, RequestLog, RetryAfter, Target, World, WorldHandle};

use super::discovery::{config_for, cycle, engine};

/// The provider with the most boards in the world's truth.
pub(super) fn busiest_provider(world: &WorldHandle) -> (Provider, usize) {
    let mut boards: BTreeMap<&'static str, usize> = BTreeMap::new();
    for company in world.truth().companies {
        for board in company.boards {
            *boards.entry(board.provider.key()).or_default() += 1;
        }
    }
    let (key, n) = boards.into_iter().max_by_key(|(_, n)| *n).unwrap();
    (Provider::parse(key).unwrap(), n)
}

/// The slow provider's period at 4 requests/s.
const PERIOD: Duration = Duration::from_millis(250);

pub(super) fn limit_every_provider(config: &mut Config, requests_per_second: f64, max_concurrency: u32) {
    for provider in Provider::ALL {
        let settings = config.providers.get_mut(provider);
        settings.requests_per_second = requests_per_second;
        settings.max_concurrency = max_concurrency;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_providers_rate_and_concurrency_hold_for_all_validations_and_a_site_gets_one_request_at_a_time() {
    let world = World::generate(7, 40).start().unwrap();
    world.set_latency(Duration::from_millis(5));
    let (slow, _) = busiest_provider(&world);
    let test = TestDb::new();
    let mut config = config_for(&world, test.dir());
    limit_every_provider(&mut config, 1000.0, 1);
    config.providers.get_mut(slow).requests_per_second = 4.0;
    config.discovery.concurrency = 8;
    let engine = engine(&test, &world, &config);
    let report = cycle(&engine).await;
    let discovery = report.stages.iter().find(|s| s.stage == "discovery").unwrap();
    assert_eq!(discovery.status, RunStatus::Succeeded, "{:?}", discovery.message);

    let log = world.log();
    for provider in Provider::ALL {
        let label = provider.key();
        assert!(
            log.peak_concurrency(label) <= 1,
            "{label}: more than max_concurrency in flight"
        );
    }
    // 4 requests/s with no burst: n calls span at least (n - 1) × 250 ms, less one period for the time
    // between a token and its request reaching the world on a busy machine. Unthrottled, eight companies
    // at once would send them within a second or two.
    let mut starts: Vec<_> = log.for_label(slow.key()).map(|e| e.started).collect();
    starts.sort();
    let n = starts.len() as u32;
    assert!(n >= 8, "{slow:?}: {n} validation calls");
    let span = starts[starts.len() - 1].duration_since(starts[0]);
    let least = PERIOD * (n - 2);
    assert!(span >= least, "{slow:?}: {n} calls within {span:?}");

    let mut sites: BTreeMap<String, Vec<_>> = BTreeMap::new();
    for entry in log.for_label("site") {
        sites.entry(entry.host.clone()).or_default().push(entry.clone());
    }
    assert!(sites.len() >= 30, "{} sites read", sites.len());
    for (host, entries) in sites {
        let one_site = RequestLog { entries };
        assert_eq!(
            one_site.peak_concurrency("site"),
            1,
            "{host}: two requests at once"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provider_that_keeps_answering_429_is_paused_sent_nothing_more_and_its_companies_stay_due() {
    let world = World::generate(5, 60).start().unwrap();
    let (provider, boards_of_provider) = busiest_provider(&world);
    assert!(
        boards_of_provider >= 4,
        "{provider:?} has {boards_of_provider} boards"
    );
    world.random_fault(
        Target::provider(provider),
        1.0,
        Fault::TooManyRequests(RetryAfter::Absent),
    );
    let test = TestDb::new();
    let mut config = config_for(&world, test.dir());
    limit_every_provider(&mut config, 50.0, 2);
    let engine = engine(&test, &world, &config);
    let report = cycle(&engine).await;
    let discovery = report.stages.iter().find(|s| s.stage == "discovery").unwrap();
    assert_eq!(discovery.status, RunStatus::Succeeded, "{:?}", discovery.message);
    assert!(
        discovery.counters.get(Counter::PausedSkips) >= 1,
        "{:?}",
        discovery.counters
    );
    assert!(discovery.counters.get(Counter::Http429) >= 3);

    // Three 429s in a row pause it; calls already in flight then (max_concurrency) may still be answered.
    let sent = world.log().count(provider.key());
    assert!((3..=3 + 2).contains(&sent), "{sent} calls to {provider:?}");
    let db = test.db();
    let now = pipeline_domain::Clock::now(&world.clock());
    let live = db.read(|c| pauses::live(c, now)).unwrap();
    let pause = live
        .iter()
        .find(|p| p.provider == provider.key())
        .expect("paused");
    assert!(
        pause
            .reason
            .as_deref()
            .unwrap_or_default()
            .contains("rate-limited"),
        "{pause:?}"
    );
    let set = db.read(|c| events::recent(c, Some("pause_set"), 10)).unwrap();
    assert_eq!(set.len(), 1, "{set:?}");

    // Its companies were not written off: due again when the pause ends.
    let truth = world.truth();
    let owners: BTreeSet<&str> = truth
        .companies
        .iter()
        .filter(|c| c.boards.iter().any(|b| b.provider.key() == provider.key()))
        .map(|c| c.domain.as_str())
        .collect();
    let rows = db
        .read(|c| companies::list_ranked(c, &CompanyFilter::default()))
        .unwrap();
    for row in rows
        .iter()
        .filter(|r| owners.contains(r.website_domain.as_deref().unwrap_or_default()))
    {
        let (_, failures, next) = db.read(|c| discovery_repo::state_of(c, row.id)).unwrap().unwrap();
        assert_eq!(failures, 0, "a pause is not a failure");
        assert!(
            next <= pause.paused_until,
            "{:?}: next check {next}",
            row.website_domain
        );
    }

    world.clear_log();
    cycle(&engine).await;
    assert_eq!(world.log().count(provider.key()), 0, "nothing sent while paused");

    world.clear_faults();
    world.clock().advance(chrono::Duration::hours(7));
    let after = cycle(&engine).await;
    let discovery = after.stages.iter().find(|s| s.stage == "discovery").unwrap();
    assert!(discovery.counters.get(Counter::CompaniesChecked) >= owners.len() as u64);
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let stored = db.read(|c| boards::of_companies(c, &ids)).unwrap();
    let active = stored
        .values()
        .flatten()
        .filter(|b| b.provider == provider.key() && b.status == "active")
        .count();
    assert!(
        active >= boards_of_provider - 1,
        "{active} of {boards_of_provider} found after the pause"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ingestion_pauses_a_provider_that_keeps_answering_429_and_sends_it_nothing_more() {
    let world = World::generate(5, 60).start().unwrap();
    let (provider, boards_of_provider) = busiest_provider(&world);
    assert!(
        boards_of_provider >= 4,
        "{provider:?} has {boards_of_provider} boards"
    );
    let test = TestDb::new();
    let mut config = config_for(&world, test.dir());
    limit_every_provider(&mut config, 200.0, 2);
    let engine = engine(&test, &world, &config);
    cycle(&engine).await;

    // A day later every board is due; the provider now answers 429 without saying how long to wait.
    world.random_fault(
        Target::provider(provider),
        1.0,
        Fault::TooManyRequests(RetryAfter::Absent),
    );
    world.clear_log();
    world.clock().advance(chrono::Duration::hours(25));
    let report = cycle(&engine).await;
    let ingestion = report.stages.iter().find(|s| s.stage == "ingestion").unwrap();
    assert!(
        ingestion.counters.get(Counter::BoardsPaused) >= 3,
        "{:?}",
        ingestion.counters
    );
    assert_eq!(
        ingestion.counters.get(Counter::BoardsFailed),
        0,
        "a pause is not a failure"
    );
    // Three rate-limited boards pause it; the two in flight then may still be answered, nothing after.
    let sent = world.log().count(provider.key());
    assert!((3..=3 + 2).contains(&sent), "{sent} calls to {provider:?}");
    let now = pipeline_domain::Clock::now(&world.clock());
    let live = test.db().read(|c| pauses::live(c, now)).unwrap();
    assert!(live.iter().any(|p| p.provider == provider.key()), "{live:?}");
    let set = test
        .db()
        .read(|c| events::recent(c, Some("pause_set"), 10))
        .unwrap();
    assert_eq!(set.len(), 1, "paused once: {set:?}");
}
