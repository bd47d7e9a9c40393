//! The `sheets` stage against a mocked gateway, for what the world cannot time: a person sorting the rows
//! between the stage's read and its write (the stage sees column A changed and plans again, so the blocks
//! land on the right rows), and a dry run that reads but never writes.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use pipeline_db::repo::companies;
use pipeline_db::testing::TestDb;
use pipeline_domain::config::Config;
use pipeline_domain::{CompanyInput, ManualClock, RunStatus};
use pipeline_engine::{Engine, EngineSettings, RunContext};
use pipeline_runners::{SheetsAccess, SheetsStage};
use pipeline_sheets::layout::header_cells;
use pipeline_sheets::{GatewayStats, MockSheetsGateway, RangeValues};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

fn company(test: &TestDb, domain: &str) -> i64 {
    let input = CompanyInput::from_listing(Some(domain), Some(&format!("https://{domain}"))).unwrap();
    test.db()
        .write(|c| companies::upsert_listed(c, &input, "test", None, super::start()))
        .unwrap()
        .company_id
}

/// A row of the sheet for company `id` with a stale score in D.
fn stale(id: i64) -> Vec<Value> {
    vec![json!(id), json!(format!("c{id}")), json!("PENDING"), json!(9.9)]
}

async fn run(test: &TestDb, gateway: MockSheetsGateway, dry_run: bool) -> RunStatus {
    let config = Config::default();
    let access = Arc::new(SheetsAccess::with_gateway("sheet-id", Arc::new(gateway)));
    let settings = EngineSettings {
        lock_ttl: config.runner.lock_ttl,
        retention: config.retention.runs,
        alert_failure_ratio: config.runner.alert_failure_ratio,
    };
    let clock = Arc::new(ManualClock::new(super::start()));
    let mut engine = Engine::new(test.db().clone(), clock, "test:1:x", settings);
    engine.register(Arc::new(SheetsStage::new(&config, access).unwrap()));
    let ctx = RunContext {
        dry_run,
        ..RunContext::default()
    };
    let report = engine.run_cycle(&ctx, &CancellationToken::new()).await.unwrap();
    report.stages[0].status
}

#[tokio::test]
async fn rows_sorted_between_the_read_and_the_write_are_planned_again() {
    let test = TestDb::new();
    let (a, b) = (company(&test, "a.test"), company(&test, "b.test"));
    let before = vec![header_cells(), stale(a), stale(b)];
    let sorted = vec![header_cells(), stale(b), stale(a)];
    let column_a = |grid: &[Vec<Value>]| grid.iter().map(|r| vec![r[0].clone()]).collect::<Vec<_>>();
    // What the stage reads, in order: the tab, column A (already sorted by a person), the tab again,
    // column A again (still sorted).
    let reads = [before, column_a(&sorted), sorted.clone(), column_a(&sorted)];
    let calls = Arc::new(AtomicUsize::new(0));
    let mut gateway = MockSheetsGateway::new();
    gateway.expect_tab_id().returning(|_| Ok(Some(0)));
    let seen = calls.clone();
    gateway.expect_read().times(4).returning(move |_| {
        let i = seen.fetch_add(1, Ordering::SeqCst);
        Ok(reads[i].clone())
    });
    let written: Arc<Mutex<Vec<RangeValues>>> = Arc::default();
    let sink = written.clone();
    gateway.expect_write().times(1).returning(move |ranges| {
        sink.lock().unwrap().extend(ranges);
        Ok(())
    });
    gateway.expect_append().never();
    gateway.expect_provision().times(1).returning(|_| Ok(()));
    gateway.expect_stats().returning(GatewayStats::default);
    assert_eq!(run(&test, gateway, false).await, RunStatus::Succeeded);
    let written = written.lock().unwrap();
    let ranges: Vec<&str> = written.iter().map(|w| w.range.as_str()).collect();
    // Both rows' metric blocks, at their sorted positions, and their M–O blocks; nothing in A–C or K–L.
    assert_eq!(ranges, ["'Companies'!D2:J3", "'Companies'!M2:O3"]);
    assert_eq!(
        written[0].rows[0][0],
        json!(0.0),
        "row 2 now holds company b, scored 0"
    );
}

#[tokio::test]
async fn a_dry_run_reads_and_writes_nothing() {
    let test = TestDb::new();
    let a = company(&test, "a.test");
    let mut gateway = MockSheetsGateway::new();
    gateway.expect_tab_id().returning(|_| Ok(Some(0)));
    gateway
        .expect_read()
        .times(1)
        .returning(move |_| Ok(vec![header_cells(), stale(a)]));
    gateway.expect_write().never();
    gateway.expect_append().never();
    gateway.expect_add_tab().never();
    gateway.expect_provision().never();
    gateway.expect_stats().returning(GatewayStats::default);
    assert_eq!(run(&test, gateway, true).await, RunStatus::Succeeded);
}
