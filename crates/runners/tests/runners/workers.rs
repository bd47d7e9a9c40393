//! Three `forever --shared` workers on one database: discovery and ingestion units are split among them,
//! none is worked twice, and the companies and postings end as one worker alone leaves them (the same world
//! on a database of its own). With `TEST_BACKEND=postgres`, the three share one PostgreSQL schema.

use std::collections::BTreeSet;

use pipeline_db::Db;
use pipeline_db::repo::companies::{self, CompanyFilter};
use pipeline_db::repo::postings;
use pipeline_db::testing::TestDb;
use pipeline_domain::{Counter, RunStatus};
use pipeline_engine::{CycleReport, Engine, RunContext};
use pipeline_testkit::World;
use tokio_util::sync::CancellationToken;

use super::discovery::{config_for, engine_as};
use super::politeness::{busiest_provider, limit_every_provider};

fn only(stages: &[&str], shared: bool) -> RunContext {
    RunContext {
        stages: stages.iter().map(|s| (*s).to_owned()).collect(),
        shared,
        ..RunContext::default()
    }
}

async fn run(engine: &Engine, ctx: &RunContext) -> CycleReport {
    let report = engine.run_cycle(ctx, &CancellationToken::new()).await.unwrap();
    for stage in &report.stages {
        assert!(
            matches!(stage.status, RunStatus::Succeeded | RunStatus::Skipped),
            "{} {:?}: {:?}",
            stage.stage,
            stage.status,
            stage.message
        );
    }
    report
}

fn units(reports: &[CycleReport], stage: &str) -> Vec<u64> {
    reports
        .iter()
        .map(|r| {
            r.stages
                .iter()
                .filter(|s| s.stage == stage)
                .map(|s| s.counters.get(Counter::UnitsOk))
                .sum()
        })
        .collect()
}

/// Every company by domain with its metrics, and every posting as (domain, external id, whether it is a
/// repost, score, open): no database id, since ids may differ between databases. Which posting of a group
/// is the canonical one is left out: when a posting resembles two that do not resemble each other, the
/// group it joins depends on the order the boards were written in (docs/stages.md#ingestion), on one
/// worker as on three; the groups' counts are in the metrics.
type Outcome = (
    BTreeSet<(String, String, i32, i32, i32, i32, Option<String>)>,
    BTreeSet<(String, String, Option<i32>, bool)>,
);

fn outcome(db: &Db) -> Outcome {
    let list = db
        .read(|c| companies::list_ranked(c, &CompanyFilter::default()))
        .unwrap();
    let mut metrics = BTreeSet::new();
    let mut posts = BTreeSet::new();
    for company in list {
        let domain = company.website_domain.clone().unwrap_or_default();
        metrics.insert((
            domain.clone(),
            format!("{:.3}", company.max_score),
            company.offer_count,
            company.unique_offer_count,
            company.strong_offer_count,
            company.open_offer_count,
            company.top_category_id.clone(),
        ));
        let rows = db.read(|c| postings::of_company(c, company.id)).unwrap();
        for row in &rows {
            posts.insert((
                domain.clone(),
                row.external_id.clone(),
                row.score,
                row.closed_at.is_none(),
            ));
        }
    }
    (metrics, posts)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_shared_workers_split_the_units_and_end_as_one_worker_alone() {
    const SEED: u64 = 21;
    const COMPANIES: usize = 90;

    // One worker alone.
    let alone_world = World::generate(SEED, COMPANIES).start().unwrap();
    let alone = TestDb::new();
    let config = config_for(&alone_world, alone.dir());
    let worker = engine_as(alone.db().clone(), &alone_world, &config, "alone:1:a");
    run(&worker, &only(&[], false)).await;
    let expected = outcome(alone.db());
    assert!(!expected.1.is_empty(), "the world has postings");

    // Three workers sharing one database, once the directory (a singleton stage) has listed the companies.
    let world = World::generate(SEED, COMPANIES).start().unwrap();
    let shared = TestDb::new();
    let config = config_for(&world, shared.dir());
    run(
        &engine_as(shared.db().clone(), &world, &config, "w0:1:a"),
        &only(&["directory"], false),
    )
    .await;
    let workers: Vec<Engine> = (1..=3)
        .map(|i| engine_as(shared.second_process(), &world, &config, &format!("w{i}:{i}:x")))
        .collect();
    let ctx = only(&["discovery", "ingestion"], true);
    let (a, b, c) = tokio::join!(
        run(&workers[0], &ctx),
        run(&workers[1], &ctx),
        run(&workers[2], &ctx)
    );
    let reports = [a, b, c];
    // Scoring is a singleton stage: once every posting is in.
    run(&workers[0], &only(&["scoring"], true)).await;

    let discovered = units(&reports, "discovery");
    let ingested = units(&reports, "ingestion");
    let companies_with_site = shared
        .db()
        .read(|c| companies::list_ranked(c, &CompanyFilter::default()))
        .unwrap()
        .iter()
        .filter(|c| c.website_url.is_some())
        .count() as u64;
    assert_eq!(
        discovered.iter().sum::<u64>(),
        companies_with_site,
        "each company checked once: {discovered:?}"
    );
    let with_postings = expected
        .1
        .iter()
        .map(|p| p.0.clone())
        .collect::<BTreeSet<_>>()
        .len() as u64;
    assert!(
        ingested.iter().sum::<u64>() >= with_postings,
        "every board fetched: {ingested:?}"
    );
    assert!(
        discovered.iter().filter(|&&n| n > 0).count() >= 2,
        "the workers shared the companies: {discovered:?}"
    );
    let got = outcome(shared.db());
    let show = |a: &Outcome, b: &Outcome| -> String {
        let metrics: Vec<_> = a.0.difference(&b.0).take(10).collect();
        let posts: Vec<_> = a.1.difference(&b.1).take(10).collect();
        format!("companies {metrics:?}\npostings {posts:?}")
    };
    assert!(
        got == expected,
        "three workers end as one alone\nonly shared: {}\nonly alone: {}",
        show(&got, &expected),
        show(&expected, &got)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_workers_hold_a_providers_rate_together() {
    let world = World::generate(7, 80).start().unwrap();
    let (slow, _) = busiest_provider(&world);
    let shared = TestDb::new();
    let mut config = config_for(&world, shared.dir());
    // One request in flight per provider: claims of 40 boards, so that both workers get the slow ones.
    limit_every_provider(&mut config, 1000.0, 1);
    run(
        &engine_as(shared.db().clone(), &world, &config, "w0:1:a"),
        &only(&["directory", "discovery"], false),
    )
    .await;
    world.clear_log();
    config.providers.get_mut(slow).requests_per_second = 4.0;
    let workers: Vec<Engine> = (1..=2)
        .map(|i| engine_as(shared.second_process(), &world, &config, &format!("w{i}:{i}:x")))
        .collect();
    let ctx = only(&["ingestion"], true);
    let (a, b) = tokio::join!(run(&workers[0], &ctx), run(&workers[1], &ctx));
    let ingested = units(&[a, b], "ingestion");
    assert!(ingested.iter().all(|&n| n > 0), "both worked: {ingested:?}");

    // 4 requests/s for the two together: n requests span at least (n - 2) × 250 ms (one period of slack
    // for a busy machine). Each worker on a rate of its own would send them twice as fast.
    let mut starts: Vec<_> = world.log().for_label(slow.key()).map(|e| e.started).collect();
    starts.sort();
    let n = starts.len() as u32;
    assert!(n >= 6, "{slow:?}: {n} requests");
    let span = starts[starts.len() - 1].duration_since(starts[0]);
    let least = std::time::Duration::from_millis(250) * (n - 2);
    assert!(span >= least, "{slow:?}: {n} requests within {span:?}");
}
