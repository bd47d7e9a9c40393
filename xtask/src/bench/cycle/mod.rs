//! `cargo xtask bench cycle [--companies N] [--latency MS] [--workers K] [--db sqlite|postgres] [--json]`:
//! whole cycles of the release binary (directory → discovery → ingestion → scoring → sheets → feedback)
//! against the release `pipeline-world` (its three directories, company sites, nine ATS APIs, Google Sheets
//! and OAuth on loopback; the world's company list as a CSV source), at the default provider limits, on a
//! database of its own: a first cycle on an empty database, the same cycle again at once (the world
//! unchanged, nothing due yet), and a next-day cycle after the world's `advance-day`. Wall and CPU time, the
//! politeness bound and the ratio to it, requests per provider, postings/s, peak RSS of each `pipeline-cli`
//! process, DB size, sheet API calls; each figure beside its target (printed, never asserted), or all of
//! them as one JSON object with `--json`.
//!
//! The pipeline takes no clock from outside, and a board's next fetch is stored when it is fetched (now +
//! `ingestion.refresh_after`, 24 h), so for the next day the bench moves each fetched board's `next_due_at`
//! back to its last fetch in the database ([`Database::make_boards_due`]): every board due, as 24 h later.
//! (A short `refresh_after` instead, as the e2e scenarios use, would have workers fetch each other's boards
//! again within one cycle.) With K workers the default limits hold for the fleet (the database's rate
//! ledger, docs/ARCHITECTURE.md#politeness-across-workers), so the bound is the same for any K.

mod database;
mod fleet;
mod log;
mod report;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use serde_json::{Value, json};
use toml::{Table, Value as Toml};

use super::common::{figure, section};
use super::watch::proc_stat;
use crate::cmd;
use crate::e2e::{control, runs};
use crate::world::{WorldProcess, scratch};
use database::{Backend, Database};
use report::Cycle;

/// Every provider's default `requests_per_second` (crates/domain/src/config/providers.rs).
const DEFAULT_RPS: f64 = 2.0;
const SEED: u64 = 2026;
const TARGET_RATIO: f64 = 1.15;
const TARGET_RSS_MB: f64 = 200.0;
const TARGET_RERUN_PCT: f64 = 15.0;

/// The bench's options; see the module's documentation.
#[derive(Debug, PartialEq)]
struct Options {
    companies: usize,
    latency_ms: u64,
    workers: usize,
    db: Backend,
    json: bool,
}

impl Options {
    fn parse(args: &[String]) -> Result<Options> {
        let mut options = Options {
            companies: 10_000,
            latency_ms: 20,
            workers: 1,
            db: Backend::Sqlite,
            json: false,
        };
        let mut args = args.iter();
        while let Some(flag) = args.next() {
            if flag == "--json" {
                options.json = true;
                continue;
            }
            let value = args.next().with_context(|| format!("`{flag}` needs a value"));
            match flag.as_str() {
                "--companies" => options.companies = value?.parse().context("--companies N")?,
                "--latency" => options.latency_ms = value?.parse().context("--latency MS")?,
                "--workers" => options.workers = value?.parse().context("--workers K")?,
                "--db" => options.db = Backend::parse(value?)?,
                other => bail!(
                    "unknown option `{other}` (known: --companies N, --latency MS, --workers K, --db sqlite|postgres, --json)"
                ),
            }
        }
        ensure!(options.companies > 0, "--companies: at least 1");
        ensure!(options.workers > 0, "--workers: at least 1");
        Ok(options)
    }
}

pub fn run(args: &[String]) -> Result<()> {
    let options = Options::parse(args)?;
    let world_bin = ("pipeline-testkit", "pipeline-world");
    let bin_dir = cmd::build_bins(&[("pipeline-cli", "pipeline-cli"), world_bin], true)?;
    let dir = scratch("bench-cycle")?;
    let outcome = measure(&bin_dir, &dir, &options);
    std::fs::remove_dir_all(&dir).ok();
    let (world_start, cycles) = outcome?;
    let [first, unchanged, next_day] = &cycles;
    let peak_mb = cycles.iter().map(Cycle::peak_mb).fold(0.0, f64::max);
    let rerun_pct = 100.0 * unchanged.wall() / first.wall();
    if options.json {
        let json = json!({
            "companies": options.companies, "latency_ms": options.latency_ms, "workers": options.workers,
            "db": options.db.key(), "requests_per_second": DEFAULT_RPS, "world_start_s": world_start.as_secs_f64(),
            "first": first.json(), "unchanged": unchanged.json(), "next_day": next_day.json(),
            "ratio": first.ratio(), "next_day_ratio": next_day.ratio(), "peak_rss_mb": peak_mb,
            "rerun_pct": rerun_pct,
            "targets": {"ratio": TARGET_RATIO, "peak_rss_mb": TARGET_RSS_MB, "rerun_pct": TARGET_RERUN_PCT},
        });
        println!("{json}");
        return Ok(());
    }
    let (n, ms, k, db) = (
        options.companies,
        options.latency_ms,
        options.workers,
        options.db.key(),
    );
    let how = if k == 1 {
        "`once`".to_owned()
    } else {
        format!("{k} `forever --shared` workers")
    };
    println!(
        "full cycles (release binaries; world on loopback: {n} companies, {ms} ms a request, default provider \
         limits; {db}; {how}; the world generated and serving in {:.1} s):",
        world_start.as_secs_f64()
    );
    figure("wall / bound", first.ratio(), "x bound", "<=", TARGET_RATIO);
    figure("peak RSS", peak_mb, "MB", "<=", TARGET_RSS_MB);
    note!("the largest peak of any pipeline-cli process over the three cycles");
    figure("re-run", rerun_pct, "% of first", "<=", TARGET_RERUN_PCT);
    figure("next day", next_day.ratio(), "x bound", "<=", TARGET_RATIO);
    for cycle in &cycles {
        cycle.print();
    }
    Ok(())
}

/// Starts the world, makes the database, runs the three cycles; the world's start-up time and the cycles.
fn measure(bin_dir: &Path, dir: &Path, options: &Options) -> Result<(Duration, [Cycle; 3])> {
    let started = Instant::now();
    let world = WorldProcess::start(bin_dir, SEED, options.companies, dir)?;
    let world_start = started.elapsed();
    let database = Database::create(options.db, dir)?;
    let generated = std::fs::read_to_string(dir.join("pipeline.toml"))?;
    let config = bench_config(&generated, &database.url()?, options)?;
    std::fs::write(dir.join("pipeline.toml"), config)?;
    let bench = Bench {
        cli: bin_dir.join("pipeline-cli"),
        dir,
        world: &world,
        database: &database,
        options,
    };
    control(&world, "PUT", &format!("latency?delay={}ms", options.latency_ms))?;
    let first = bench.cycle("first cycle (empty database)")?;
    let unchanged = bench.cycle("unchanged re-run (at once: nothing due)")?;
    control(&world, "POST", "advance-day")?;
    database.make_boards_due()?;
    let next_day = bench.cycle("next day (the world a day on, every board due)")?;
    Ok((world_start, [first, unchanged, next_day]))
}

/// The world and database one bench runs against.
struct Bench<'a> {
    cli: PathBuf,
    dir: &'a Path,
    world: &'a WorldProcess,
    database: &'a Database,
    options: &'a Options,
}

impl Bench<'_> {
    /// Runs and measures one cycle.
    fn cycle(&self, name: &'static str) -> Result<Cycle> {
        control(self.world, "DELETE", "log")?;
        let bin_dir = self.cli.parent().context("the binaries' directory")?;
        // A database no command has migrated yet has no runs to show.
        let before = runs(bin_dir, self.dir).unwrap_or_default();
        let last_id = before.iter().filter_map(|r| r["id"].as_u64()).max().unwrap_or(0);
        let world_cpu = || proc_stat(self.world.pid()).map_or(Duration::ZERO, |(_, cpu)| cpu);
        let world_before = world_cpu();
        eprintln!("bench cycle: {name} ...");
        let ran = fleet::run_cycle(&self.cli, self.dir, self.options.workers)?;
        let world_cpu = world_cpu().saturating_sub(world_before);
        let stats: Value = serde_json::from_str(&control(self.world, "GET", "stats")?)?;
        let requests = stats
            .as_object()
            .into_iter()
            .flatten()
            .map(|(label, s)| (label.clone(), s["count"].as_u64().unwrap_or(0)))
            .collect();
        let runs: Vec<Value> = runs(bin_dir, self.dir)?
            .into_iter()
            .filter(|r| r["id"].as_u64().is_some_and(|id| id > last_id))
            .collect();
        let providers = log::read(self.world, &runs, DEFAULT_RPS)?;
        Ok(Cycle {
            name,
            ran,
            world_cpu,
            requests,
            providers,
            runs,
            db_bytes: self.database.size()?,
            rps: DEFAULT_RPS,
        })
    }
}

/// The world's generated config with the bench's settings: the database; the world's company list as a
/// directory source beside the three directories; for K workers, the cycles apart by a day (the bench stops
/// them after one).
fn bench_config(generated: &str, database_url: &str, options: &Options) -> Result<String> {
    let mut config: Table = generated.parse().context("the world's pipeline.toml")?;
    config.insert("database_url".into(), database_url.into());
    let source: Table = "name = \"world-list\"\nkind = \"csv\"\npath = \"companies.csv\"".parse()?;
    section(&mut config, "directory")?.insert("sources".into(), Toml::Array(vec![Toml::Table(source)]));
    if options.workers > 1 {
        let runner = section(&mut config, "runner")?;
        for key in ["cycle_sleep_min", "cycle_sleep_max", "failed_cycle_sleep"] {
            runner.insert(key.into(), "24h".into());
        }
    }
    Ok(toml::to_string(&config)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|a| a.to_string()).collect()
    }

    #[test]
    fn options_parse_with_their_defaults() {
        let default = Options::parse(&[]).unwrap();
        assert_eq!(
            default,
            Options {
                companies: 10_000,
                latency_ms: 20,
                workers: 1,
                db: Backend::Sqlite,
                json: false
            }
        );
        let all = [
            "--companies",
            "2000",
            "--latency",
            "0",
            "--workers",
            "3",
            "--db",
            "postgres",
            "--json",
        ];
        let options = Options::parse(&args(&all)).unwrap();
        assert_eq!(
            (options.companies, options.latency_ms, options.workers),
            (2000, 0, 3)
        );
        assert!(options.json && options.db == Backend::Postgres);
        for bad in [
            &["--db", "mysql"][..],
            &["--workers", "0"],
            &["--companies"],
            &["--fast"],
            &["--latency", "x"],
        ] {
            assert!(Options::parse(&args(bad)).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_config_names_the_database_and_the_list_and_keeps_each_rate() {
        let generated = "[directory.builtin_urls]\ncatalonia = \"x\"\n[providers.lever]\nbase_url = \"x\"\n\
                         [providers.jsonld]\n";
        let mut options = Options::parse(&[]).unwrap();
        let one: Table = bench_config(generated, "data/pipeline.db", &options)
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(one["database_url"].as_str(), Some("data/pipeline.db"));
        assert_eq!(
            one["directory"]["sources"][0]["path"].as_str(),
            Some("companies.csv")
        );
        assert!(one["directory"]["builtin_urls"]["catalonia"].is_str());
        assert!(one["providers"]["lever"].get("requests_per_second").is_none());
        assert!(one.get("runner").is_none() && one.get("ingestion").is_none());
        options.workers = 4;
        let four: Table = bench_config(generated, "postgres://h/db", &options)
            .unwrap()
            .parse()
            .unwrap();
        for provider in ["lever", "jsonld"] {
            assert!(four["providers"][provider].get("requests_per_second").is_none());
        }
        assert_eq!(four["runner"]["cycle_sleep_min"].as_str(), Some("24h"));
    }
}
