//! The scoring stage after a full cycle against a generated world: every posting scored, companies with
//! the world's foreign-exchange signal ranked above the others, nothing scored twice for one catalog
//! version, and a changed catalog file (not a new comment in it) rescoring everything on the next cycle.

use pipeline_db::repo::companies::{self, CompanyFilter};
use pipeline_db::repo::postings;
use pipeline_db::testing::TestDb;
use pipeline_domain::{Counter, RunStatus};
use pipeline_engine::CycleReport;
use pipeline_testkit::World;

use super::discovery::{config_for, cycle, engine};

fn scoring(report: &CycleReport) -> &pipeline_engine::StageReport {
    report.stages.iter().find(|s| s.stage == "scoring").unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postings_are_scored_once_per_catalog_version_and_fx_companies_rank_first() {
    let world = World::generate(13, 40).start().unwrap();
    let test = TestDb::new();
    let catalog = test.dir().join("catalog.toml");
    let default = concat!(env!("CARGO_MANIFEST_DIR"), "/../scoring/catalog/default.toml");
    std::fs::copy(default, &catalog).unwrap();
    let mut config = config_for(&world, test.dir());
    config.catalog = catalog.display().to_string();
    let engine = engine(&test, &world, &config);
    let report = cycle(&engine).await;
    let first = scoring(&report);
    assert_eq!(first.status, RunStatus::Succeeded, "{:?}", first.message);
    let stored = test.db().read(postings::count).unwrap() as u64;
    assert!(stored > 100);
    assert_eq!(first.counters.get(Counter::PostingsScored), stored);
    assert!(first.counters.get(Counter::CompaniesAggregated) > 0);

    // Ranked by max score: the companies the world gave a foreign-exchange signal come first.
    let ranked = test
        .db()
        .read(|c| companies::list_ranked(c, &CompanyFilter::default()))
        .unwrap();
    let truth = world.truth();
    let fx = |domain: &Option<String>| {
        truth
            .companies
            .iter()
            .find(|c| Some(&c.domain) == domain.as_ref())
            .is_some_and(|c| c.fx_postings > 0)
    };
    let scores = |want: bool| -> Vec<f64> {
        ranked
            .iter()
            .filter(|r| fx(&r.website_domain) == want)
            .map(|r| r.max_score)
            .collect()
    };
    let (with, without) = (scores(true), scores(false));
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    println!(
        "mean max score: fx companies {:.2} ({}), others {:.2} ({})",
        mean(&with),
        with.len(),
        mean(&without),
        without.len()
    );
    assert!(!with.is_empty() && mean(&with) > mean(&without) + 2.0);
    assert!(fx(&ranked[0].website_domain), "the top company shows the signal");

    // Nothing to score again for the same catalog; a changed catalog rescores everything.
    world.clock().advance(chrono::Duration::hours(1));
    let again = cycle(&engine).await;
    assert_eq!(scoring(&again).counters.get(Counter::PostingsScored), 0);
    let text = std::fs::read_to_string(&catalog).unwrap();
    // A comment changes nothing; a new alias does.
    std::fs::write(&catalog, format!("{text}\n# edited\n")).unwrap();
    let engine = super::discovery::engine(&test, &world, &config);
    assert_eq!(
        scoring(&cycle(&engine).await)
            .counters
            .get(Counter::PostingsScored),
        0
    );
    let edited = text.replacen("version = \"2.0.0\"", "version = \"2.0.1\"", 1);
    assert_ne!(edited, text);
    std::fs::write(&catalog, edited).unwrap();
    let engine = super::discovery::engine(&test, &world, &config);
    let rescored = cycle(&engine).await;
    assert_eq!(scoring(&rescored).counters.get(Counter::PostingsScored), stored);
}
