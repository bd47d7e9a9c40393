//! `cargo xtask bench ingestion [--boards N] [--latency-ms MS] [--tls] [--only CASE]`: the ingestion stage
//! of the release binary against the simulated world (`pipeline-world --postings-per-board`, release build;
//! with `--tls` its providers' APIs on HTTPS, the test CA trusted through `[http] ca_file`), companies loaded
//! (`once --stage directory`) and their boards found (`once --stage discovery`) untimed first: wall and CPU
//! time at a request latency with the provider limits off, postings/s and peak RSS over ~150,000 postings,
//! an unchanged re-run against the first, and the stage time against the politeness bound of the default
//! provider limits (docs/stages.md#ingestion). Each figure is printed beside its target; none is asserted.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{Context, Result, bail, ensure};
use serde_json::Value;
use toml::{Table, Value as Toml};

mod process;

use super::common::{figure, section};
use super::watch::proc_stat;
use crate::cmd;
use crate::e2e::{cli, runs};
use crate::world::{PROVIDERS, requests_per_board, scratch};
use process::{Measured, run_stage};

/// Every provider's default `requests_per_second` (crates/domain/src/config/providers.rs).
const DEFAULT_RPS: f64 = 2.0;
const SEED: u64 = 2026;
/// (companies, mean postings per board) of the throughput world: about one active board per company.
const BIG: (usize, f64) = (3_000, 50.0);
const SPEED_POSTINGS: f64 = 20.0;
/// Few, small boards: at 2 requests/s per provider, SmartRecruiters' and Workday's one detail call per
/// posting keep the case near a minute.
const POLITE: (usize, f64) = (150, 5.0);
const POLITE_LATENCY_MS: u64 = 20;

/// The bench's cases: the speed figure, the throughput world (first load and unchanged re-run), the
/// politeness bound.
const CASES: [&str; 3] = ["speed", "throughput", "polite"];

/// `--boards N` (600), `--latency-ms MS` (20), `--tls` (the providers' APIs on HTTPS, trusted through
/// `[http] ca_file`), `--only CASE` (one of [`CASES`]; all by default).
#[derive(Debug, PartialEq)]
struct Options {
    boards: usize,
    latency_ms: u64,
    tls: bool,
    only: Option<String>,
}

impl Options {
    fn parse(args: &[String]) -> Result<Options> {
        let mut options = Options {
            boards: 600,
            latency_ms: 20,
            tls: false,
            only: None,
        };
        let mut args = args.iter();
        while let Some(flag) = args.next() {
            if flag == "--tls" {
                options.tls = true;
                continue;
            }
            let value = args.next().with_context(|| format!("`{flag}` needs a value"));
            match flag.as_str() {
                "--boards" => options.boards = value?.parse().context("--boards N")?,
                "--latency-ms" => options.latency_ms = value?.parse().context("--latency-ms MS")?,
                "--only" => {
                    let case = value?;
                    ensure!(CASES.contains(&case.as_str()), "--only {case}: one of {CASES:?}");
                    options.only = Some(case.clone());
                }
                other => {
                    bail!("unknown option `{other}` (known: --boards N, --latency-ms MS, --tls, --only CASE)")
                }
            }
        }
        Ok(options)
    }

    fn runs(&self, case: &str) -> bool {
        self.only.as_deref().is_none_or(|only| only == case)
    }
}

pub fn run(args: &[String]) -> Result<()> {
    let options = Options::parse(args)?;
    let world_bin = ("pipeline-testkit", "pipeline-world");
    let bin_dir = cmd::build_bins(&[("pipeline-cli", "pipeline-cli"), world_bin], true)?;
    let scheme = if options.tls { "HTTPS, test CA" } else { "HTTP" };
    println!(
        "ingestion stage (release binary, `pipeline-cli once --stage ingestion`, world on loopback, {scheme}):"
    );
    if options.runs("speed") {
        speed(&bin_dir, &options)?;
    }
    if options.runs("throughput") {
        throughput(&bin_dir, options.tls)?;
    }
    if options.runs("polite") {
        polite(&bin_dir, options.tls)?;
    }
    Ok(())
}

/// Wall and CPU time of `--boards` companies at `--latency-ms`, limits off.
fn speed(bin_dir: &Path, options: &Options) -> Result<()> {
    let (n, ms) = (options.boards, options.latency_ms);
    let speed = Prepared::new(bin_dir, n, SPEED_POSTINGS, options.tls)?.ingest(ms, true)?;
    let (wall, cpu) = (speed.elapsed.as_secs_f64(), speed.cpu.as_secs_f64());
    figure("wall time", wall, "s", "<=", 2.0);
    figure("CPU time", cpu, "s", "<=", 1.0);
    note!("{n} companies, ~{SPEED_POSTINGS} postings a board, {ms} ms a request, limits off:");
    note!("{}", speed.totals());
    if let Some((board, requests)) = &speed.longest {
        note!("busiest board {board}: {requests} requests");
    }
    Ok(())
}

/// Postings/s and peak RSS of the first load of the big world, then the same world unchanged.
fn throughput(bin_dir: &Path, tls: bool) -> Result<()> {
    let big = Prepared::new(bin_dir, BIG.0, BIG.1, tls)?;
    let first = big.ingest(0, true)?;
    // Boards are due again `ingestion.refresh_after` (1 s here) after their fetch.
    std::thread::sleep(Duration::from_millis(1_100));
    let again = big.ingest(0, true)?;
    drop(big);
    let rate = first.counter("postings_seen") as f64 / first.elapsed.as_secs_f64();
    figure("throughput", rate, "postings/s", ">=", 20_000.0);
    figure("peak RSS", first.peak_kb as f64 / 1024.0, "MB", "<=", 150.0);
    let (n, postings) = BIG;
    note!("{n} companies, ~{postings} postings a board, no latency, limits off:");
    note!("{}", first.totals());
    let pct = 100.0 * again.elapsed.as_secs_f64() / first.elapsed.as_secs_f64();
    figure("re-run", pct, "% of first", "<=", 15.0);
    figure("rows written", again.rows_written() as f64, "rows", "<=", 0.0);
    let not_modified = again.counter("boards_not_modified");
    note!("the same world, unchanged, 1 s later ({not_modified} boards not modified):");
    note!("{}", again.totals());
    Ok(())
}

/// The stage time at the default limits against the politeness bound.
fn polite(bin_dir: &Path, tls: bool) -> Result<()> {
    let polite = Prepared::new(bin_dir, POLITE.0, POLITE.1, tls)?.ingest(POLITE_LATENCY_MS, false)?;
    let bound = polite.bound().as_secs_f64();
    let ratio = polite.elapsed.as_secs_f64() / bound;
    figure("politeness", ratio, "x bound", "<=", 1.15);
    let (n, postings) = POLITE;
    note!("{n} companies, ~{postings} postings a board, {POLITE_LATENCY_MS} ms a request, default limits:");
    note!("{}", polite.totals());
    let calls: Vec<String> = polite.calls.iter().map(|(p, n)| format!("{p} {n}")).collect();
    note!("bound {bound:.1} s = max over providers of API requests / {DEFAULT_RPS} requests/s (default)");
    note!("API requests: {}", calls.join(", "));
    Ok(())
}

/// A served world whose companies are loaded and whose boards are found (neither timed): `pipeline-world`
/// with `--postings-per-board` (which `crate::world::WorldProcess` does not pass), stopped when dropped.
struct Prepared<'a> {
    bin_dir: &'a Path,
    world: Child,
    addr: String,
    dir: PathBuf,
    generated: String,
}

impl<'a> Prepared<'a> {
    fn new(bin_dir: &'a Path, companies: usize, postings: f64, tls: bool) -> Result<Prepared<'a>> {
        let dir = scratch(&format!("bench-ingestion-{companies}"))?;
        let mut world = Command::new(bin_dir.join("pipeline-world"))
            .args(["--seed", &SEED.to_string(), "--companies", &companies.to_string()])
            .args(tls.then_some("--tls"))
            .args(["--postings-per-board", &postings.to_string(), "--dir"])
            .arg(&dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .context("cannot start pipeline-world")?;
        let mut line = String::new();
        BufReader::new(world.stdout.take().context("world stdout")?).read_line(&mut line)?;
        let url = line
            .strip_prefix("WORLD READY http://")
            .map(str::split_whitespace);
        let addr = url.and_then(|mut u| u.next()).map(str::to_owned);
        let addr = addr.with_context(|| format!("pipeline-world did not start: {line:?}"))?;
        let generated = std::fs::read_to_string(dir.join("pipeline.toml"))?;
        let prepared = Prepared {
            bin_dir,
            world,
            addr,
            dir,
            generated,
        };
        prepared.configure(true)?;
        eprintln!("bench ingestion: {companies} companies, ~{postings} postings a board, discovery ...");
        for stage in ["directory", "discovery"] {
            let args = ["once", "--stage", stage, "-qq"];
            let (code, out, err) = cli(bin_dir, &prepared.dir, &args)?;
            ensure!(code == 0 || code == 3, "{stage} exited {code}\n{out}\n{err}");
        }
        Ok(prepared)
    }

    fn configure(&self, limits_off: bool) -> Result<()> {
        let config = bench_config(&self.generated, limits_off)?;
        Ok(std::fs::write(self.dir.join("pipeline.toml"), config)?)
    }

    /// One request to the world's control API (`/__world/...`); the body of its 200 answer.
    fn control(&self, method: &str, path: &str) -> Result<String> {
        let mut stream = TcpStream::connect(&self.addr)?;
        let head = format!("{method} /__world/{path} HTTP/1.1\r\nHost: {}\r\n", self.addr);
        write!(stream, "{head}Content-Length: 0\r\nConnection: close\r\n\r\n")?;
        let mut response = String::new();
        stream.read_to_string(&mut response)?;
        ensure!(response.starts_with("HTTP/1.1 200"), "{path}: {response}");
        let (_, body) = response.split_once("\r\n\r\n").context("no body")?;
        Ok(body.to_owned())
    }

    /// Times `once --stage ingestion` with the world answering after `latency_ms`.
    fn ingest(&self, latency_ms: u64, limits_off: bool) -> Result<Measured> {
        self.configure(limits_off)?;
        self.control("PUT", &format!("latency?delay={latency_ms}ms"))?;
        self.control("DELETE", "log")?;
        let limits = if limits_off { "off" } else { "default" };
        eprintln!("bench ingestion: once --stage ingestion, {latency_ms} ms a request, limits {limits}");
        let world_cpu = || proc_stat(self.world.id()).map_or(Duration::ZERO, |(_, cpu)| cpu);
        let world_before = world_cpu();
        let mut measured = run_stage(&self.bin_dir.join("pipeline-cli"), &self.dir)?;
        measured.world_cpu = world_cpu().saturating_sub(world_before);
        let stats: Value = serde_json::from_str(&self.control("GET", "stats")?)?;
        let count = |p: &&str| (p.to_string(), stats[*p]["count"].as_u64().unwrap_or(0));
        measured.calls = PROVIDERS.iter().map(count).collect();
        let log: Value = serde_json::from_str(&self.control("GET", "log")?)?;
        let latest = runs(self.bin_dir, &self.dir)?;
        let ingestion = latest.iter().find(|r| r["stage"] == "ingestion");
        let run = ingestion.context("no ingestion run in `status --json`")?;
        measured.counters = run["counters"].clone();
        measured.longest = longest_board(&log);
        Ok(measured)
    }
}

impl Drop for Prepared<'_> {
    fn drop(&mut self) {
        let _ = self.world.kill();
        let _ = self.world.wait();
        std::fs::remove_dir_all(&self.dir).ok();
    }
}

/// The board with the most requests in a request log (`GET /__world/log`), as `provider:tenant`.
fn longest_board(log: &Value) -> Option<(String, u64)> {
    requests_per_board(log, false).into_iter().max_by_key(|(_, n)| *n)
}

/// The world's generated config with the bench's settings: the world's company list as the only directory
/// source, `discovery.concurrency = 8`, `ingestion.refresh_after = "1s"` (an unchanged re-run finds every
/// complete board due), and, when `limits_off`, under each `[providers.NAME]` the world wrote,
/// `requests_per_second = 100000.0` and `max_concurrency = 8`.
fn bench_config(generated: &str, limits_off: bool) -> Result<String> {
    let mut config: Table = generated.parse().context("the world's pipeline.toml")?;
    let source: Table = "name = \"world-list\"\nkind = \"csv\"\npath = \"companies.csv\"".parse()?;
    let directory = section(&mut config, "directory")?;
    directory.insert("builtin".into(), Toml::Array(Vec::new()));
    directory.insert("sources".into(), Toml::Array(vec![Toml::Table(source)]));
    let discovery = section(&mut config, "discovery")?;
    discovery.insert("allow_private_networks".into(), true.into());
    discovery.insert("concurrency".into(), 8.into());
    section(&mut config, "ingestion")?.insert("refresh_after".into(), "1s".into());
    if limits_off {
        for settings in section(&mut config, "providers")?.iter_mut().map(|(_, v)| v) {
            let settings = settings.as_table_mut().context("a provider is not a table")?;
            settings.insert("requests_per_second".into(), 100_000.0.into());
            settings.insert("max_concurrency".into(), 8.into());
        }
    }
    Ok(toml::to_string(&config)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bench_config_turns_the_limits_off_under_the_worlds_tables_or_leaves_them() {
        let generated = "[providers.lever]\nbase_url = \"x\"\n[providers.workday]\nbase_url = \"x\"\n";
        let on: Table = bench_config(generated, true).unwrap().parse().unwrap();
        assert_eq!(on["ingestion"]["refresh_after"].as_str(), Some("1s"));
        assert_eq!(
            on["directory"]["sources"][0]["path"].as_str(),
            Some("companies.csv")
        );
        for settings in ["lever", "workday"].map(|p| &on["providers"][p]) {
            assert_eq!(settings["requests_per_second"].as_float(), Some(100_000.0));
            assert_eq!(settings["max_concurrency"].as_integer(), Some(8));
            assert!(settings["base_url"].is_str());
        }
        let off: Table = bench_config(generated, false).unwrap().parse().unwrap();
        assert_eq!(off["providers"]["lever"].as_table().map(Table::len), Some(1));
        let default = Options::parse(&[]).unwrap();
        assert_eq!(
            (default.boards, default.latency_ms, default.tls),
            (600, 20, false)
        );
        assert!(CASES.iter().all(|case| default.runs(case)));
        let args = ["--latency-ms", "0", "--tls", "--boards", "50", "--only", "speed"].map(String::from);
        let options = Options::parse(&args).unwrap();
        assert_eq!((options.boards, options.latency_ms, options.tls), (50, 0, true));
        assert!(options.runs("speed") && !options.runs("polite"));
        assert!(Options::parse(&["--boards".to_owned()]).is_err());
        assert!(Options::parse(&["--only".to_owned(), "fast".to_owned()]).is_err());
    }

    #[test]
    fn the_figures_of_a_run() {
        let [sr, lever, site] = ["smartrecruiters", "lever", "site"]
            .map(|label| serde_json::json!({"label": label, "tenant": "acme"}));
        let log = Value::Array(vec![sr.clone(), lever, sr, site.clone(), site.clone(), site]);
        let longest = longest_board(&log);
        assert_eq!(longest, Some(("smartrecruiters:acme".to_owned(), 2)));
        let measured = Measured {
            counters: serde_json::json!({"postings_new": 3, "postings_closed": 1}),
            calls: vec![("lever".into(), 30), ("greenhouse".into(), 70)],
            ..Measured::default()
        };
        assert_eq!(measured.bound(), Duration::from_secs(35));
        assert_eq!(measured.rows_written(), 4);
    }
}
