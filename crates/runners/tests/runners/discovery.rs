//! The discovery stage against a generated world: the directory loads the world's companies, discovery
//! finds and validates their boards; the stored active boards are compared with the world's truth, and a
//! second cycle reads no site that is not due.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use pipeline_db::Db;
use pipeline_db::repo::boards;
use pipeline_db::repo::companies::{self, CompanyFilter};
use pipeline_db::testing::TestDb;
use pipeline_domain::config::Config;
use pipeline_domain::{Counter, RunStatus};
use pipeline_engine::{CycleReport, Engine, EngineSettings, RunContext};
use pipeline_runners::{Services, stages};
use pipeline_testkit::{World, WorldHandle};
use tokio_util::sync::CancellationToken;

/// The world's `pipeline.toml`, with its companies as the one directory source and the providers' rate
/// limits raised.
pub(super) fn config_for(world: &WorldHandle, dir: &std::path::Path) -> Config {
    std::fs::write(dir.join("companies.csv"), world.companies_csv()).unwrap();
    let text = format!(
        "{}\n[directory]\nbuiltin = []\n\n[[directory.sources]]\nname = \"world\"\nkind = \"csv\"\npath = \"companies.csv\"\n",
        world.config_toml(dir).unwrap()
    );
    let mut config: Config = toml::from_str(&text).unwrap();
    config.resolve_paths(dir);
    // The world is on loopback: the default 2 requests/s per provider would only make the tests slow
    // (tests of politeness set their own limits).
    for provider in pipeline_domain::Provider::ALL {
        config.providers.get_mut(provider).requests_per_second = 200.0;
    }
    config
}

pub(super) async fn cycle(engine: &Engine) -> CycleReport {
    engine
        .run_cycle(&RunContext::default(), &CancellationToken::new())
        .await
        .unwrap()
}

pub(super) fn engine(test: &TestDb, world: &WorldHandle, config: &Config) -> Engine {
    engine_as(test.db().clone(), world, config, "test:1:x")
}

/// An engine with every stage of `config`, on `db`, as the worker `owner`, on the world's clock, taking its
/// request turns from `db`'s rate ledger as the CLI's do.
pub(super) fn engine_as(db: Db, world: &WorldHandle, config: &Config, owner: &str) -> Engine {
    pipeline_http::install_crypto_provider();
    let settings = EngineSettings {
        lock_ttl: config.runner.lock_ttl,
        retention: config.retention.runs,
        alert_failure_ratio: config.runner.alert_failure_ratio,
    };
    let mut engine = Engine::new(db, Arc::new(world.clock()), owner, settings);
    let services = Services::with_clock(config, Arc::new(world.clock()))
        .unwrap()
        .share_rates(engine.db());
    for stage in stages(config, &services).unwrap() {
        engine.register(stage);
    }
    engine
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discovery_stores_the_boards_the_world_links_and_nothing_else() {
    let world = World::generate(5, 60).start().unwrap();
    let test = TestDb::new();
    let config = config_for(&world, test.dir());
    let engine = engine(&test, &world, &config);
    let report = cycle(&engine).await;
    let discovery = report.stages.iter().find(|s| s.stage == "discovery").unwrap();
    assert_eq!(discovery.status, RunStatus::Succeeded, "{:?}", discovery.message);
    assert_eq!(discovery.counters.get(Counter::CompaniesChecked), 60);

    let db = test.db();
    let rows = db
        .read(|c| companies::list_ranked(c, &CompanyFilter::default()))
        .unwrap();
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let stored = db.read(|c| boards::of_companies(c, &ids)).unwrap();
    let domain_of: BTreeMap<i64, String> = rows
        .iter()
        .map(|r| (r.id, r.website_domain.clone().unwrap_or_default()))
        .collect();
    let active: BTreeSet<(String, String)> = stored
        .iter()
        .flat_map(|(id, bs)| {
            bs.iter()
                .filter(|b| b.status == "active")
                .map(|b| (domain_of[id].clone(), b.reference.to_lowercase()))
        })
        .collect();
    let truth: BTreeSet<(String, String)> = world
        .truth()
        .companies
        .iter()
        .flat_map(|c| {
            c.boards
                .iter()
                .map(|b| (c.domain.clone(), b.to_string().to_lowercase()))
        })
        .collect();
    let hits = active.intersection(&truth).count();
    for (id, bs) in &stored {
        for b in bs
            .iter()
            .filter(|b| !truth.contains(&(domain_of[id].clone(), b.reference.to_lowercase())))
        {
            println!(
                "not true: {} {} {} {:?} api name {:?}",
                domain_of[id], b.reference, b.status, b.status_reason, b.provider_company_name
            );
        }
    }
    println!(
        "true but not active: {:?}",
        truth.difference(&active).collect::<Vec<_>>()
    );
    let (precision, recall) = (
        hits as f64 / active.len().max(1) as f64,
        hits as f64 / truth.len().max(1) as f64,
    );
    println!(
        "discovery on 60 companies: {} stored, {} true, precision {precision:.3}, recall {recall:.3}",
        active.len(),
        truth.len()
    );
    assert!(
        precision >= 0.99,
        "precision {precision}: stored but not true: {:?}",
        active.difference(&truth).collect::<Vec<_>>()
    );
    assert!(
        recall >= 0.97,
        "recall {recall}: true but not stored: {:?}",
        truth.difference(&active).collect::<Vec<_>>()
    );

    world.clear_log();
    let again = cycle(&engine).await;
    let discovery = again.stages.iter().find(|s| s.stage == "discovery").unwrap();
    assert_eq!(
        discovery.counters.get(Counter::CompaniesChecked),
        0,
        "nothing is due a second time"
    );
    let site_requests = world.log().count("site");
    assert_eq!(site_requests, 0, "no site read when nothing is due");
}
