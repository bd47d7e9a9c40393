//! The directory stage with mocked sources, through the real engine and a fresh SQLite DB.

use std::sync::Arc;
use std::time::Duration;

use pipeline_db::Db;
use pipeline_db::repo::{companies, events, runs};
use pipeline_db::testing::TestDb;
use pipeline_directory::{DirectorySource, MockDirectorySource, SourceError, SourceItem};
use pipeline_domain::{CompanyInput, Counter, ManualClock, RunStatus};
use pipeline_engine::{Engine, EngineSettings, RunContext};
use pipeline_runners::DirectoryStage;
use tokio_util::sync::CancellationToken;

fn company(name: &str, website: &str, line: usize) -> SourceItem {
    let input = CompanyInput::from_listing(Some(name), Some(website)).unwrap();
    SourceItem::Company {
        input,
        location: format!("line {line}"),
    }
}

fn source(name: &'static str, items: Vec<SourceItem>, fail: bool) -> Arc<dyn DirectorySource> {
    let mut mock = MockDirectorySource::new();
    mock.expect_name().return_const(name.to_owned());
    mock.expect_read().returning(move |sink| {
        for item in items.clone() {
            sink.try_send(item).unwrap();
        }
        if fail {
            Err(SourceError::Open {
                location: "x.csv".into(),
                reason: "no such file".into(),
            })
        } else {
            Ok(())
        }
    });
    Arc::new(mock)
}

async fn run(db: &Db, stage: DirectoryStage, ctx: RunContext) -> pipeline_engine::CycleReport {
    run_until(db, stage, ctx, &CancellationToken::new()).await
}

async fn run_until(
    db: &Db,
    stage: DirectoryStage,
    ctx: RunContext,
    cancel: &CancellationToken,
) -> pipeline_engine::CycleReport {
    let clock = ManualClock::new(crate::start());
    let settings = EngineSettings {
        lock_ttl: Duration::from_secs(60),
        retention: Duration::from_secs(86_400),
        alert_failure_ratio: 0.1,
    };
    let mut engine = Engine::new(db.clone(), Arc::new(clock), "test:1:x", settings);
    engine.register(Arc::new(stage));
    engine.run_cycle(&ctx, cancel).await.unwrap()
}

#[tokio::test]
async fn a_failing_source_fails_alone_and_the_others_are_loaded() {
    let test = TestDb::new();
    let db = test.db();
    let good = vec![
        company("Acme", "https://acme.com", 2),
        SourceItem::Bad {
            location: "line 3".into(),
            reason: "no name and no website".into(),
        },
        company("Spam", "https://ads.spam.example", 4),
        company("Acme SL", "http://www.acme.com/", 5),
        company("Beta", "beta.io", 6),
    ];
    let stage = DirectoryStage::new(
        vec![
            source("broken", vec![company("Early", "early.es", 2)], true),
            source("good", good, false),
        ],
        vec!["spam.example".into()],
    );
    let report = run(db, stage, RunContext::default()).await;
    let stage = &report.stages[0];
    assert_eq!(stage.status, RunStatus::Partial);
    assert!(
        stage
            .message
            .as_deref()
            .unwrap()
            .contains("broken: cannot open x.csv: no such file")
    );
    let c = &stage.counters;
    assert_eq!((c.get(Counter::SourcesFailed), c.get(Counter::SourcesOk)), (1, 1));
    assert_eq!(
        (
            c.get(Counter::RowsRead),
            c.get(Counter::RowsBad),
            c.get(Counter::CompaniesExcluded)
        ),
        (6, 1, 1)
    );
    assert_eq!(
        (c.get(Counter::CompaniesNew), c.get(Counter::CompaniesUpdated)),
        (3, 1)
    );
    assert_eq!(
        db.read(companies::count).unwrap(),
        3,
        "rows read before the failure are kept"
    );
    let failed = db.read(|c| events::recent(c, Some("source_failed"), 5)).unwrap();
    assert_eq!(failed[0].subject.as_deref(), Some("broken"));
}

#[tokio::test]
async fn limit_caps_the_rows_a_source_loads() {
    let test = TestDb::new();
    let db = test.db();
    let items: Vec<SourceItem> = (0..50)
        .map(|i| company(&format!("C{i}"), &format!("c{i}.es"), i + 2))
        .collect();
    let stage = DirectoryStage::new(vec![source("list", items, false)], Vec::new());
    let report = run(
        db,
        stage,
        RunContext {
            limit: Some(7),
            ..RunContext::default()
        },
    )
    .await;
    assert_eq!(report.stages[0].status, RunStatus::Succeeded);
    assert_eq!(db.read(companies::count).unwrap(), 7);
}

#[tokio::test]
async fn no_sources_is_a_skipped_stage() {
    let test = TestDb::new();
    let db = test.db();
    let report = run(
        db,
        DirectoryStage::new(Vec::new(), Vec::new()),
        RunContext::default(),
    )
    .await;
    assert_eq!(report.stages[0].status, RunStatus::Skipped);
}

#[tokio::test]
async fn limit_zero_loads_nothing_and_company_loads_only_that_company() {
    let test = TestDb::new();
    let db = test.db();
    let items: Vec<SourceItem> = (0..5)
        .map(|i| company(&format!("C{i}"), &format!("c{i}.es"), i + 2))
        .collect();
    let stage = DirectoryStage::new(vec![source("list", items.clone(), false)], Vec::new());
    run(
        db,
        stage,
        RunContext {
            limit: Some(0),
            ..RunContext::default()
        },
    )
    .await;
    assert_eq!(db.read(companies::count).unwrap(), 0);
    let stage = DirectoryStage::new(vec![source("list", items, false)], Vec::new());
    let ctx = RunContext {
        company: Some("www.C3.es".into()),
        ..RunContext::default()
    };
    let report = run(db, stage, ctx).await;
    let listed = db
        .read(|c| companies::list_ranked(c, &Default::default()))
        .unwrap();
    assert_eq!(
        listed
            .iter()
            .map(|c| c.website_domain.clone().unwrap())
            .collect::<Vec<_>>(),
        ["c3.es"]
    );
    assert_eq!(report.stages[0].counters.skipped("company_filter"), 4);
}

/// A source that lists one batch of companies, then stalls. Once the stage has taken the whole batch it
/// interrupts the run (like SIGINT mid-write) and a watcher notes what the DB holds when the rows are in.
struct StallsAfterOneBatch {
    db: Db,
    cancel: CancellationToken,
    seen: Arc<std::sync::Mutex<Option<(i64, u64)>>>,
}

#[async_trait::async_trait]
impl DirectorySource for StallsAfterOneBatch {
    fn name(&self) -> &str {
        "stalls"
    }

    async fn read(&self, sink: tokio::sync::mpsc::Sender<SourceItem>) -> Result<(), SourceError> {
        for i in 0..1000 {
            let item = company(&format!("C{i}"), &format!("c{i}.es"), i + 2);
            sink.send(item).await.map_err(|_| SourceError::Stopped)?;
        }
        while sink.capacity() < sink.max_capacity() {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        let (db, seen) = (self.db.clone(), Arc::clone(&self.seen));
        tokio::spawn(async move {
            loop {
                let rows = db.read(companies::count).unwrap();
                let run = db.read(|c| runs::latest(c, 1)).unwrap().remove(0);
                if rows > 0 {
                    *seen.lock().unwrap() = Some((rows, run.counters.get(Counter::CompaniesNew)));
                    return;
                }
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        });
        self.cancel.cancel();
        std::future::pending().await
    }
}

#[tokio::test]
async fn an_interrupted_run_counts_every_row_it_wrote_in_the_same_transaction() {
    let test = TestDb::new();
    let db = test.db();
    let cancel = CancellationToken::new();
    let seen = Arc::default();
    let source = StallsAfterOneBatch {
        db: db.clone(),
        cancel: cancel.clone(),
        seen: Arc::clone(&seen),
    };
    let stage = DirectoryStage::new(vec![Arc::new(source)], Vec::new());
    let report = run_until(db, stage, RunContext::default(), &cancel).await;
    let stage = &report.stages[0];
    assert_eq!(stage.status, RunStatus::Interrupted);
    assert_eq!(
        db.read(companies::count).unwrap(),
        1000,
        "the batch in flight was committed whole"
    );
    assert_eq!(stage.counters.get(Counter::CompaniesNew), 1000);
    let stored = db.read(|c| runs::latest(c, 1)).unwrap().remove(0);
    assert_eq!(stored.counters.get(Counter::CompaniesNew), 1000);
    for _ in 0..500 {
        if seen.lock().unwrap().is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(
        *seen.lock().unwrap(),
        Some((1000, 1000)),
        "rows and the counters counting them become visible together"
    );
}
