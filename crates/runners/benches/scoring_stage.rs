//! The scoring stage at scale (docs/stages.md#scoring-speed): 150,000 stored postings of 10,000 companies,
//! seeded through the db crate's repositories into a fresh SQLite DB, then the stage through the real engine:
//! the first cycle scores and persists every posting and aggregates every company (target ≤ 10 s); a
//! re-aggregation of all 10,000 companies (≤ 2 s); a cycle with nothing new (0 rows written).
//! `cargo bench -p pipeline-runners --bench scoring_stage` (run by `cargo xtask bench scoring`) prints the
//! figures; it is not a criterion benchmark, since one run is minutes of work.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use pipeline_db::Db;
use pipeline_db::repo::{boards, companies, postings, scoring};
use pipeline_db::testing::TestDb;
use pipeline_domain::config::Config;
use pipeline_domain::{BoardRef, CompanyInput, Counter, NormalizedPosting, Provider, SystemClock};
use pipeline_engine::{Engine, EngineSettings, RunContext, StageReport};
use pipeline_runners::ScoringStage;
use pipeline_testkit::{Description, Lang, html_to_plain, render_description};
use tokio_util::sync::CancellationToken;

const COMPANIES: usize = 10_000;
const POSTINGS_PER_COMPANY: usize = 15;
/// Each description is generated sections of the world's corpus, appended until it has this many bytes.
const DESCRIPTION_BYTES: usize = 2_000;
/// Companies seeded per transaction.
const SEED_BATCH: usize = 100;

/// Posting `n` of company `c`: a title and a plain-text description of about [`DESCRIPTION_BYTES`], Spanish
/// or English, one company in five with the foreign-exchange signal; every tenth posting reposts the one
/// before it.
fn posting(c: usize, n: usize) -> NormalizedPosting {
    const TITLES: [&str; 6] = [
        "Backend Engineer",
        "Finance Operations Specialist",
        "Account Executive",
        "Data Analyst",
        "Treasury Analyst",
        "Customer Success Manager",
    ];
    let title = format!("{} {}", TITLES[(c + n) % TITLES.len()], n / 3 + 1);
    let lang = if c.is_multiple_of(2) { Lang::Es } else { Lang::En };
    let mut description = String::new();
    let mut section = 0u64;
    while description.len() < DESCRIPTION_BYTES {
        let seed = (c * 1_000 + n * 10) as u64 + section;
        let fx = c.is_multiple_of(5) && section == 0;
        let html = render_description(&Description::Generated { seed, lang, fx }, &title, "Bench Co");
        description.push_str(&html_to_plain(&html));
        description.push('\n');
        section += 1;
    }
    NormalizedPosting {
        external_id: format!("{c}-{n}"),
        url: format!("https://jobs.example.com/bench-{c}/{n}"),
        title,
        description,
        locations: vec!["Madrid".into()],
        department: None,
        employment_type: None,
        workplace: None,
        salary: None,
        requisition_id: None,
        published_at: Some(Utc::now() - chrono::TimeDelta::days((n % 60) as i64)),
        updated_at: None,
    }
}

/// Seeds every company with one board and its postings; returns the bytes of text stored.
fn seed(db: &Db) -> usize {
    let now = Utc::now();
    let mut text_bytes = 0;
    for first in (0..COMPANIES).step_by(SEED_BATCH) {
        text_bytes += db
            .write(|conn| {
                let mut bytes = 0;
                for c in first..(first + SEED_BATCH).min(COMPANIES) {
                    let input = CompanyInput::from_listing(
                        Some(&format!("Bench {c}")),
                        Some(&format!("https://bench-{c}.example.com")),
                    )
                    .unwrap();
                    let id = companies::upsert_listed(conn, &input, "bench", None, now)?.company_id;
                    let board = BoardRef {
                        provider: Provider::Greenhouse,
                        tenant: format!("bench{c}"),
                        variant: None,
                    };
                    boards::declare(conn, id, &board, now)?;
                    let board_id = boards::of_companies(conn, &[id])?[&id][0].id;
                    let mut previous = None;
                    for n in 0..POSTINGS_PER_COMPANY {
                        let p = posting(c, n);
                        bytes += p.title.len() + p.description.len();
                        let canonical = if n % 10 == 9 { previous } else { None };
                        let hash = format!("{c}-{n}");
                        let inserted =
                            postings::insert(conn, board_id, id, &p, &hash, false, canonical, now)?;
                        previous = Some(inserted);
                    }
                }
                Ok(bytes)
            })
            .unwrap();
    }
    text_bytes
}

fn engine(db: &Db) -> Engine {
    let settings = EngineSettings {
        lock_ttl: Duration::from_secs(60),
        retention: Duration::from_secs(86_400 * 180),
        alert_failure_ratio: 0.1,
    };
    let mut engine = Engine::new(db.clone(), Arc::new(SystemClock), "bench:1:scoring", settings);
    engine.register(Arc::new(ScoringStage::from_config(&Config::default()).unwrap()));
    engine
}

/// The CPU time of the whole process so far (every thread; `/proc/self/stat`, in the kernel's 10 ms ticks),
/// so that a machine shared with other work can be told from a slow stage; `None` off Linux.
fn process_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// One cycle of the scoring stage: its report, wall time and CPU time.
type Measured = (StageReport, Duration, Option<Duration>);

fn cycle(rt: &tokio::runtime::Runtime, engine: &Engine) -> Measured {
    let (started, cpu) = (Instant::now(), process_cpu());
    let report = rt
        .block_on(engine.run_cycle(&RunContext::default(), &CancellationToken::new()))
        .unwrap();
    let elapsed = started.elapsed();
    let cpu = cpu
        .zip(process_cpu())
        .map(|(before, after)| after.saturating_sub(before));
    (report.stages.into_iter().next().unwrap(), elapsed, cpu)
}

fn show(label: &str, (report, elapsed, cpu): &Measured, target: Option<f64>) {
    let verdict = match target {
        Some(limit) if elapsed.as_secs_f64() <= limit => format!("(target ≤ {limit} s: met)"),
        Some(limit) => format!("(target ≤ {limit} s: MISSED)"),
        None => String::new(),
    };
    let cpu = cpu.map_or_else(|| "?".to_owned(), |c| format!("{:.2}", c.as_secs_f64()));
    println!(
        "  {label:<32} {:>6.2} s wall {cpu:>6} s CPU  postings_scored={} companies_aggregated={} {} {verdict}",
        elapsed.as_secs_f64(),
        report.counters.get(Counter::PostingsScored),
        report.counters.get(Counter::CompaniesAggregated),
        report.status,
    );
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        // `cargo test --benches` lists benchmarks: there is nothing to list.
        return;
    }
    let rt = tokio::runtime::Runtime::new().unwrap();
    let test = TestDb::new();
    let db = test.db().clone();
    let started = Instant::now();
    let text_bytes = seed(&db);
    let total = COMPANIES * POSTINGS_PER_COMPANY;
    println!(
        "scoring stage (release, SQLite in a temporary directory, built-in catalog, {} cores):",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!(
        "  seeded {total} postings of {COMPANIES} companies ({:.0} MB of text) in {:.1} s",
        text_bytes as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    let engine = engine(&db);

    let first = cycle(&rt, &engine);
    show("score and persist every posting", &first, Some(10.0));
    assert_eq!(first.0.counters.get(Counter::PostingsScored), total as u64);

    let ids: Vec<i64> = db
        .read(|c| companies::list_ranked(c, &Default::default()))
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect();
    db.write(|c| scoring::mark_for_aggregation(c, &ids)).unwrap();
    let again = cycle(&rt, &engine);
    show("re-aggregate every company", &again, Some(2.0));
    assert_eq!(
        again.0.counters.get(Counter::CompaniesAggregated),
        COMPANIES as u64
    );

    let idle = cycle(&rt, &engine);
    show("a cycle with nothing new", &idle, None);
    let counters = &idle.0.counters;
    let written = counters.get(Counter::PostingsScored) + counters.get(Counter::CompaniesAggregated);
    println!("  rows written by the idle cycle: {written}");
    assert_eq!(written, 0);
}
