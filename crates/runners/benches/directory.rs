//! Directory load throughput: a 100,000-row CSV (1% bad rows, 10% duplicates) into an empty SQLite DB,
//! through the real stage and engine.
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use pipeline_db::Db;
use pipeline_db::testing::TestDb;
use pipeline_directory::{CsvSource, Location};
use pipeline_domain::SystemClock;
use pipeline_engine::{Engine, EngineSettings, RunContext};
use pipeline_http::HttpClient;
use pipeline_runners::DirectoryStage;
use tokio_util::sync::CancellationToken;

const ROWS: usize = 100_000;

fn write_csv(path: &std::path::Path) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(out, "name,website,city").unwrap();
    for i in 0..ROWS {
        if i % 100 == 99 {
            writeln!(out, ",,Nowhere").unwrap();
        } else if i % 10 == 5 {
            writeln!(
                out,
                "Company {} S.L.,HTTP://WWW.COMPANY-{}.EXAMPLE.COM/,Madrid",
                i - 5,
                i - 5
            )
            .unwrap();
        } else {
            writeln!(out, "Company {i},https://company-{i}.example.com,Madrid").unwrap();
        }
    }
}

fn load(rt: &tokio::runtime::Runtime, db: Db, csv: &std::path::Path) {
    let http = HttpClient::new(Default::default()).unwrap();
    let source = CsvSource {
        name: "bench".into(),
        location: Location::File(csv.to_path_buf()),
        name_field: "name".into(),
        website_field: "website".into(),
        delimiter: b',',
        encoding: None,
        multiline_fields: false,
        caps: Default::default(),
        http,
    };
    let settings = EngineSettings {
        lock_ttl: Duration::from_secs(60),
        retention: Duration::from_secs(86_400 * 180),
        alert_failure_ratio: 0.1,
    };
    let mut engine = Engine::new(db, Arc::new(SystemClock), "bench:1:x", settings);
    engine.register(Arc::new(DirectoryStage::new(vec![Arc::new(source)], Vec::new())));
    let report = rt
        .block_on(engine.run_cycle(&RunContext::default(), &CancellationToken::new()))
        .unwrap();
    assert_eq!(
        report.stages[0].counters.get(pipeline_domain::Counter::RowsBad),
        1000
    );
}

fn directory(c: &mut Criterion) {
    pipeline_http::install_crypto_provider();
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("companies.csv");
    write_csv(&csv);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mut group = c.benchmark_group("directory");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(40))
        .throughput(Throughput::Elements(ROWS as u64));
    group.bench_function("csv_100k_rows_into_empty_sqlite", |b| {
        b.iter_batched(
            TestDb::new,
            |test| {
                load(&rt, test.db().clone(), &csv);
                drop(test);
            },
            BatchSize::PerIteration,
        );
    });
    group.finish();
}

criterion_group!(benches, directory);
criterion_main!(benches);
