//! `cargo xtask bench discovery`: the discovery stage of the release binary against the simulated world
//! (`pipeline-world`, release build): throughput at 20 ms a request with the provider limits raised, peak
//! RSS over 10,000 companies, and the stage time against the politeness bound of the default provider
//! limits (docs/stages.md#discovery). Each figure is printed beside its target; none is asserted.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result, ensure};
use serde_json::Value;
use toml::{Table, Value as Toml};

use crate::cmd;
use crate::e2e::{cli, control, runs};
use crate::world::{PROVIDERS, WorldProcess, scratch};

/// Every provider's default `requests_per_second` (crates/domain/src/config/providers.rs).
const DEFAULT_RPS: f64 = 2.0;

const SEED: u64 = 2026;

/// Companies of the politeness case: enough validation calls for the bound to dominate start-up, few
/// enough to keep the case near a minute at 2 requests/s per provider.
const POLITE_COMPANIES: usize = 400;

const TARGET_SITES_PER_S: f64 = 50.0;
const TARGET_RSS_MB: f64 = 120.0;
const TARGET_RATIO: f64 = 1.15;

/// One configuration of the world and the stage.
struct Case {
    companies: usize,
    /// The world's delay before answering any request (`PUT /__world/latency?delay=`).
    latency: &'static str,
    /// Every provider at 10,000 requests/s and 64 in flight instead of its defaults.
    raised_limits: bool,
}

/// What one `pipeline-cli once --stage discovery` gave.
struct Measured {
    elapsed: Duration,
    peak_kb: u64,
    exit: i32,
    companies_checked: u64,
    /// Requests the world answered during the stage: per provider (in [`PROVIDERS`] order), and in all.
    calls: Vec<(&'static str, u64)>,
    requests: u64,
}

impl Measured {
    fn sites_per_s(&self) -> f64 {
        self.companies_checked as f64 / self.elapsed.as_secs_f64()
    }

    fn peak_mb(&self) -> f64 {
        self.peak_kb as f64 / 1024.0
    }

    /// The least time the default limits allow: the busiest provider's calls at its rate.
    fn bound(&self) -> Duration {
        let most = self.calls.iter().map(|(_, n)| *n).max().unwrap_or(0);
        Duration::from_secs_f64(most as f64 / DEFAULT_RPS)
    }
}

pub fn run() -> Result<()> {
    let bin_dir = cmd::build_bins(
        &[
            ("pipeline-cli", "pipeline-cli"),
            ("pipeline-testkit", "pipeline-world"),
        ],
        true,
    )?;
    let throughput = Case {
        companies: 2_000,
        latency: "20ms",
        raised_limits: true,
    };
    let memory = Case {
        companies: 10_000,
        latency: "0ms",
        raised_limits: true,
    };
    let polite = Case {
        companies: POLITE_COMPANIES,
        latency: "20ms",
        raised_limits: false,
    };
    let fast = measure(&bin_dir, &throughput)?;
    let big = measure(&bin_dir, &memory)?;
    let slow = measure(&bin_dir, &polite)?;
    let jsonld = super::discovery_jsonld::measure(&bin_dir)?;

    println!(
        "discovery stage (release binary, `pipeline-cli once --stage discovery`, discovery.concurrency = 8, \
         world on loopback):"
    );
    let verdict = |ok: bool| if ok { "ok" } else { "MISSED" };
    println!(
        "  throughput   {:>7.1} sites/s  target >= {TARGET_SITES_PER_S} sites/s  {}",
        fast.sites_per_s(),
        verdict(fast.sites_per_s() >= TARGET_SITES_PER_S)
    );
    println!("               {}", conditions(&throughput, &fast));
    println!(
        "  peak RSS     {:>7.1} MB       target < {TARGET_RSS_MB} MB       {}",
        big.peak_mb(),
        verdict(big.peak_mb() < TARGET_RSS_MB)
    );
    println!("               {}", conditions(&memory, &big));
    let bound = slow.bound();
    let ratio = slow.elapsed.as_secs_f64() / bound.as_secs_f64();
    println!(
        "  politeness   {ratio:>7.2} x bound  target <= {TARGET_RATIO}          {}{}",
        verdict(ratio <= TARGET_RATIO),
        if ratio < 1.0 {
            "  (below 1: faster than the default limits allow)"
        } else {
            ""
        }
    );
    println!("               {}", conditions(&polite, &slow));
    println!(
        "               stage {:.1} s, bound {:.1} s = max over providers of validation calls / {DEFAULT_RPS} \
         requests/s (default)",
        slow.elapsed.as_secs_f64(),
        bound.as_secs_f64()
    );
    let calls: Vec<String> = slow
        .calls
        .iter()
        .map(|(provider, n)| format!("{provider} {n}"))
        .collect();
    println!("               validation calls: {}", calls.join(", "));
    jsonld.print();
    Ok(())
}

/// The case and the run's totals, on one line.
fn conditions(case: &Case, m: &Measured) -> String {
    let api: u64 = m.calls.iter().map(|(_, n)| n).sum();
    format!(
        "{} companies, {} a request, {} provider limits: {} checked in {:.1} s, {} requests ({api} API), \
         peak RSS {:.1} MB, exit {}",
        case.companies,
        case.latency,
        if case.raised_limits { "raised" } else { "default" },
        m.companies_checked,
        m.elapsed.as_secs_f64(),
        m.requests,
        m.peak_mb(),
        m.exit
    )
}

/// Serves a world of `case.companies`, loads its company list with `once --stage directory` (not timed),
/// then times `once --stage discovery` with the world's latency set, sampling the process's peak RSS.
fn measure(bin_dir: &Path, case: &Case) -> Result<Measured> {
    let dir = scratch(&format!("bench-discovery-{}", case.companies))?;
    let world = WorldProcess::start(bin_dir, SEED, case.companies, &dir)?;
    let generated = std::fs::read_to_string(dir.join("pipeline.toml"))?;
    std::fs::write(
        dir.join("pipeline.toml"),
        bench_config(&generated, case.raised_limits)?,
    )?;
    let (code, out, err) = cli(bin_dir, &dir, &["once", "--stage", "directory", "-qq"])?;
    ensure!(code == 0, "once --stage directory exited {code}\n{out}\n{err}");

    control(&world, "PUT", &format!("latency?delay={}", case.latency))?;
    control(&world, "DELETE", "log")?;
    eprintln!(
        "bench discovery: {} companies, {} a request, {} limits ...",
        case.companies,
        case.latency,
        if case.raised_limits { "raised" } else { "default" }
    );
    let (elapsed, peak_kb, exit) = run_stage(&bin_dir.join("pipeline-cli"), &dir)?;
    let stats: Value = serde_json::from_str(&control(&world, "GET", "stats")?)?;
    let count = |label: &str| stats[label]["count"].as_u64().unwrap_or(0);
    let calls = PROVIDERS.iter().map(|p| (*p, count(p))).collect();
    let requests = stats
        .as_object()
        .context("world stats are not an object")?
        .values()
        .filter_map(|s| s["count"].as_u64())
        .sum();
    let latest = runs(bin_dir, &dir)?;
    let run = latest
        .iter()
        .find(|r| r["stage"] == "discovery")
        .context("no discovery run in `status --json`")?;
    let companies_checked = run["counters"]["companies_checked"]
        .as_u64()
        .context("no companies_checked counter")?;
    drop(world);
    std::fs::remove_dir_all(&dir).ok();
    Ok(Measured {
        elapsed,
        peak_kb,
        exit,
        companies_checked,
        calls,
        requests,
    })
}

/// The world's generated config with the bench's settings: the world's company list as the only directory
/// source, `discovery.concurrency = 8`, and, when `raised`, every provider at 10,000 requests/s and 64 in
/// flight.
pub(super) fn bench_config(generated: &str, raised: bool) -> Result<String> {
    let mut config: Table = generated.parse().context("the world's pipeline.toml")?;
    let directory = section(&mut config, "directory")?;
    directory.insert("builtin".into(), Toml::Array(Vec::new()));
    let mut source = Table::new();
    source.insert("name".into(), "world-list".into());
    source.insert("kind".into(), "csv".into());
    source.insert("path".into(), "companies.csv".into());
    directory.insert("sources".into(), Toml::Array(vec![Toml::Table(source)]));
    let discovery = section(&mut config, "discovery")?;
    discovery.insert("allow_private_networks".into(), true.into());
    discovery.insert("concurrency".into(), 8.into());
    if raised {
        let providers = section(&mut config, "providers")?;
        // jsonld's rate is per company site; its boards' pages are read when they are validated.
        for provider in PROVIDERS.iter().chain(&["jsonld"]) {
            let settings = section(providers, provider)?;
            settings.insert("requests_per_second".into(), 10_000.0.into());
            settings.insert("max_concurrency".into(), 64.into());
        }
    }
    Ok(toml::to_string(&config)?)
}

/// The table under `key`, created when missing.
fn section<'a>(table: &'a mut Table, key: &str) -> Result<&'a mut Table> {
    table
        .entry(key)
        .or_insert_with(|| Toml::Table(Table::new()))
        .as_table_mut()
        .with_context(|| format!("`{key}` is not a table"))
}

/// Runs `once --stage discovery` in `dir` until it exits with 0 or 3 (done, or a site or provider that
/// failed: still a measured run); its time, peak RSS in KB and exit code.
fn run_stage(cli: &Path, dir: &Path) -> Result<(Duration, u64, i32)> {
    let (elapsed, peak_kb, code, _) = super::run_stage_measured(cli, dir, "discovery", &[0, 3])?;
    Ok((elapsed, peak_kb, code))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GENERATED: &str = "[http]\nresolve = { \"*.test\" = \"127.0.0.1\" }\n\n\
        [directory.builtin_urls]\ncatalonia = \"http://catalonia.test:1/list\"\n\n\
        [discovery]\nallow_private_networks = true\n\n\
        [providers.lever]\nbase_url = \"http://127.0.0.1:1/lever\"\n";

    #[test]
    fn the_bench_config_raises_every_provider_and_reads_the_world_list() {
        let config: Table = bench_config(GENERATED, true).unwrap().parse().unwrap();
        assert_eq!(config["discovery"]["concurrency"].as_integer(), Some(8));
        assert_eq!(
            config["discovery"]["allow_private_networks"].as_bool(),
            Some(true)
        );
        assert_eq!(config["directory"]["builtin"].as_array().map(Vec::len), Some(0));
        assert_eq!(
            config["directory"]["sources"][0]["path"].as_str(),
            Some("companies.csv")
        );
        assert!(config["directory"]["builtin_urls"]["catalonia"].is_str());
        for provider in PROVIDERS {
            let settings = &config["providers"][provider];
            assert_eq!(settings["requests_per_second"].as_float(), Some(10_000.0));
            assert_eq!(settings["max_concurrency"].as_integer(), Some(64));
        }
        assert!(config["providers"]["lever"]["base_url"].is_str());
        assert_eq!(config["http"]["resolve"]["*.test"].as_str(), Some("127.0.0.1"));
    }

    #[test]
    fn the_default_limits_stay_untouched() {
        let config: Table = bench_config(GENERATED, false).unwrap().parse().unwrap();
        let lever = config["providers"]["lever"].as_table().unwrap();
        assert!(!lever.contains_key("requests_per_second"));
        assert!(!lever.contains_key("max_concurrency"));
        assert!(!config["providers"].as_table().unwrap().contains_key("ashby"));
    }

    #[test]
    fn the_bound_is_the_busiest_provider_at_its_default_rate() {
        let measured = Measured {
            elapsed: Duration::from_secs(40),
            peak_kb: 2048,
            exit: 0,
            companies_checked: 400,
            calls: vec![("lever", 30), ("greenhouse", 70), ("ashby", 0)],
            requests: 5000,
        };
        assert_eq!(measured.bound(), Duration::from_secs(35));
        assert!((measured.sites_per_s() - 10.0).abs() < 1e-9);
        assert!((measured.peak_mb() - 2.0).abs() < 1e-9);
    }
}
