//! A rescore interrupted part-way, then run again (docs/stages.md#scoring): the catalog changes, the stage is
//! stopped once its first batch is written (it still writes the batch it had scored meanwhile), and the next
//! cycle scores exactly the postings the first one had not reached: every posting at the new catalog
//! version, each scored once for it.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use pipeline_db::repo::{boards, companies, postings, runs, scoring};
use pipeline_db::testing::TestDb;
use pipeline_domain::config::Config;
use pipeline_domain::{BoardRef, Clock, CompanyInput, Counter, ManualClock, NormalizedPosting, RunStatus};
use pipeline_engine::{Engine, EngineSettings, Progress, RunContext, StageReport};
use pipeline_runners::ScoringStage;
use tokio_util::sync::CancellationToken;

const COMPANIES: usize = 3;
const PER_COMPANY: usize = 450;
/// The stage's batch (`SCORE_BATCH` in crates/runners/src/scoring.rs).
const BATCH: u64 = 500;

/// Progress that cancels the cycle once the stage has written its first batch.
struct CancelAfterFirstBatch(CancellationToken);

impl Progress for CancelAfterFirstBatch {
    fn begin(&self, _: &str, _: Option<u64>) {}
    fn advance(&self, _: u64) {
        self.0.cancel();
    }
    fn message(&self, _: &str) {}
    fn end(&self) {}
}

/// Companies with one board each and their postings, a few of them foreign-exchange signals.
fn seed(test: &TestDb, now: DateTime<Utc>) -> u64 {
    test.db()
        .write(|c| {
            for company in 0..COMPANIES {
                let domain = format!("rescore-{company}.example.com");
                let input = CompanyInput::from_listing(Some(&domain), Some(&domain)).unwrap();
                let id = companies::upsert_listed(c, &input, "test", None, now)?.company_id;
                let board: BoardRef = format!("lever:rescore{company}").parse().unwrap();
                boards::declare(c, id, &board, now)?;
                let board_id = boards::of_companies(c, &[id])?[&id][0].id;
                for n in 0..PER_COMPANY {
                    let description = if n % 7 == 0 {
                        "Pagos internacionales en USD y tesorería multidivisa."
                    } else {
                        "Buscamos una persona con experiencia en equipos de producto."
                    };
                    let posting = NormalizedPosting {
                        external_id: n.to_string(),
                        url: format!("https://jobs.example/{company}/{n}"),
                        title: format!("Analyst {n}"),
                        description: description.to_owned(),
                        locations: Vec::new(),
                        department: None,
                        employment_type: None,
                        workplace: None,
                        salary: None,
                        requisition_id: None,
                        published_at: Some(now - Duration::days((n % 40) as i64)),
                        updated_at: None,
                    };
                    postings::insert(c, board_id, id, &posting, &n.to_string(), false, None, now)?;
                }
            }
            postings::count(c)
        })
        .unwrap() as u64
}

fn engine(
    test: &TestDb,
    config: &Config,
    clock: &ManualClock,
    progress: Option<CancellationToken>,
) -> Engine {
    let settings = EngineSettings {
        lock_ttl: config.runner.lock_ttl,
        retention: config.retention.runs,
        alert_failure_ratio: config.runner.alert_failure_ratio,
    };
    let mut engine = Engine::new(
        test.db().clone(),
        Arc::new(clock.clone()),
        "test:1:rescore",
        settings,
    );
    if let Some(token) = progress {
        engine = engine.with_progress(Arc::new(CancelAfterFirstBatch(token)));
    }
    engine.register(Arc::new(ScoringStage::from_config(config).unwrap()));
    engine
}

async fn cycle(engine: &Engine, cancel: &CancellationToken) -> StageReport {
    let report = engine.run_cycle(&RunContext::default(), cancel).await.unwrap();
    report.stages.into_iter().next().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupted_rescore_then_a_rerun_scores_every_posting_once_at_the_new_version() {
    let test = TestDb::new();
    let clock = ManualClock::new(super::start());
    let total = seed(&test, super::start());
    assert_eq!(total, (COMPANIES * PER_COMPANY) as u64);
    let catalog = test.dir().join("catalog.toml");
    let default = concat!(env!("CARGO_MANIFEST_DIR"), "/../scoring/catalog/default.toml");
    std::fs::copy(default, &catalog).unwrap();
    let config = Config {
        catalog: catalog.display().to_string(),
        ..Config::default()
    };

    // Every posting scored with the catalog as shipped.
    let first = cycle(&engine(&test, &config, &clock, None), &CancellationToken::new()).await;
    assert_eq!(first.counters.get(Counter::PostingsScored), total);
    let versions = test.db().read(scoring::scored_by_version).unwrap();
    assert_eq!(versions.len(), 1, "{versions:?}");
    let old_version = versions[0].0.clone().unwrap();

    // The catalog changes; the rescore is interrupted once its first batch is written.
    let text = std::fs::read_to_string(&catalog).unwrap();
    std::fs::write(
        &catalog,
        text.replacen("version = \"2.0.0\"", "version = \"2.0.1\"", 1),
    )
    .unwrap();
    clock.advance(Duration::hours(1));
    let interrupted_at = clock.now();
    let cancel = CancellationToken::new();
    let stopped = cycle(&engine(&test, &config, &clock, Some(cancel.clone())), &cancel).await;
    assert_eq!(stopped.status, RunStatus::Interrupted, "{:?}", stopped.message);
    let done = stopped.counters.get(Counter::PostingsScored);
    assert!(done % BATCH == 0 && 0 < done && done < total, "{done} of {total}");
    // The counters were saved with the batches: the stored run says what was written.
    let stored = test
        .db()
        .read(|c| runs::get(c, stopped.run_id.unwrap()))
        .unwrap()
        .unwrap();
    assert_eq!(stored.counters.get(Counter::PostingsScored), done);
    let midway = test.db().read(scoring::scored_by_version).unwrap();
    assert_eq!(midway.len(), 2, "old and new versions side by side: {midway:?}");
    let still_old = (total - done) as i64;
    assert!(
        midway
            .iter()
            .any(|(v, _, n)| v.as_deref() == Some(&old_version) && *n == still_old)
    );

    // The rerun scores only what the interrupted run had not reached.
    clock.advance(Duration::hours(1));
    let rerun_at = clock.now();
    let rerun = cycle(&engine(&test, &config, &clock, None), &CancellationToken::new()).await;
    assert_eq!(rerun.status, RunStatus::Succeeded, "{:?}", rerun.message);
    assert_eq!(rerun.counters.get(Counter::PostingsScored), total - done);
    assert_eq!(rerun.counters.get(Counter::CompaniesAggregated), COMPANIES as u64);

    // Every posting carries the new version, scored once for it: the interrupted run's batch at its time,
    // the rest at the rerun's, nothing at both.
    let after = test.db().read(scoring::scored_by_version).unwrap();
    let new_version = after[0].0.clone().unwrap();
    assert_ne!(new_version, old_version);
    assert_eq!(
        after,
        [
            (Some(new_version.clone()), Some(interrupted_at), done as i64),
            (Some(new_version), Some(rerun_at), still_old),
        ]
    );

    // Nothing left to score or aggregate.
    clock.advance(Duration::hours(1));
    let idle = cycle(&engine(&test, &config, &clock, None), &CancellationToken::new()).await;
    assert_eq!(idle.counters.get(Counter::PostingsScored), 0);
    assert_eq!(idle.counters.get(Counter::CompaniesAggregated), 0);
}
