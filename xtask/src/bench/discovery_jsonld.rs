//! `cargo xtask bench discovery`, its JSON-LD part: what reading schema.org `JobPosting` JSON-LD adds to the
//! discovery stage on the 300-company world (20 ms a request, limits raised), the stage run alternately
//! with `providers.jsonld.enabled = false` (pages not read for JSON-LD at all) and `true`, three times each;
//! the medians of wall and CPU time are compared (target: under 5 % more, docs/stages.md#discovery-jsonld).

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result, ensure};
use serde_json::Value;

use crate::e2e::{cli, control, runs};
use crate::world::{WorldProcess, scratch};

const SEED: u64 = 2026;
const COMPANIES: usize = 300;
const ROUNDS: usize = 3;
const TARGET_EXTRA: f64 = 0.05;

/// One run of the stage.
#[derive(Debug, Clone, Copy, Default)]
struct Run {
    wall: Duration,
    cpu: Duration,
    site_requests: u64,
    jsonld_boards: u64,
    malformed: u64,
}

/// The runs without and with JSON-LD.
pub(super) struct Cost {
    off: Vec<Run>,
    on: Vec<Run>,
}

fn median(runs: &[Run], of: impl Fn(&Run) -> f64) -> f64 {
    let mut values: Vec<f64> = runs.iter().map(of).collect();
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or_default()
}

impl Cost {
    pub(super) fn print(&self) {
        let wall = |runs: &[Run]| median(runs, |r| r.wall.as_secs_f64());
        let cpu = |runs: &[Run]| median(runs, |r| r.cpu.as_secs_f64());
        let (off_wall, on_wall, off_cpu, on_cpu) =
            (wall(&self.off), wall(&self.on), cpu(&self.off), cpu(&self.on));
        let extra = on_wall / off_wall - 1.0;
        let verdict = if extra < TARGET_EXTRA { "ok" } else { "MISSED" };
        println!(
            "  JSON-LD      {:>+7.1} %        target < +{:.0} %          {verdict}",
            extra * 100.0,
            TARGET_EXTRA * 100.0
        );
        let on = self.on.first().copied().unwrap_or_default();
        let off = self.off.first().copied().unwrap_or_default();
        println!(
            "               {COMPANIES} companies, 20ms a request, raised limits, median of {ROUNDS}: {off_wall:.2} s \
             without, {on_wall:.2} s with (CPU {off_cpu:.2} s / {on_cpu:.2} s, {:+.1} %); site requests {} / {}; \
             {} jsonld boards found, {} malformed scripts counted",
            (on_cpu / off_cpu - 1.0) * 100.0,
            off.site_requests,
            on.site_requests,
            on.jsonld_boards,
            on.malformed
        );
    }
}

/// `cargo xtask bench discovery-jsonld`: this part alone.
pub(super) fn run() -> Result<()> {
    let bin_dir = crate::cmd::build_bins(
        &[
            ("pipeline-cli", "pipeline-cli"),
            ("pipeline-testkit", "pipeline-world"),
        ],
        true,
    )?;
    let cost = measure(&bin_dir)?;
    println!("discovery stage (release binary), reading JSON-LD or not:");
    cost.print();
    Ok(())
}

/// Both settings, alternately, on a fresh world and database each time.
pub(super) fn measure(bin_dir: &Path) -> Result<Cost> {
    let mut cost = Cost {
        off: Vec::new(),
        on: Vec::new(),
    };
    for round in 0..ROUNDS {
        for enabled in [false, true] {
            eprintln!(
                "bench discovery: JSON-LD {} (round {})",
                if enabled { "on" } else { "off" },
                round + 1
            );
            let run = once(bin_dir, enabled)?;
            if enabled { &mut cost.on } else { &mut cost.off }.push(run);
        }
    }
    Ok(cost)
}

fn once(bin_dir: &Path, enabled: bool) -> Result<Run> {
    let dir = scratch(&format!("bench-discovery-jsonld-{enabled}"))?;
    let world = WorldProcess::start(bin_dir, SEED, COMPANIES, &dir)?;
    let generated = std::fs::read_to_string(dir.join("pipeline.toml"))?;
    let mut config: toml::Table = super::discovery::bench_config(&generated, true)?.parse()?;
    let jsonld = config
        .get_mut("providers")
        .and_then(|p| p.get_mut("jsonld"))
        .and_then(toml::Value::as_table_mut)
        .context("no [providers.jsonld]")?;
    jsonld.insert("enabled".into(), enabled.into());
    std::fs::write(dir.join("pipeline.toml"), toml::to_string(&config)?)?;
    let (code, out, err) = cli(bin_dir, &dir, &["once", "--stage", "directory", "-qq"])?;
    ensure!(code == 0, "once --stage directory exited {code}\n{out}\n{err}");
    control(&world, "PUT", "latency?delay=20ms")?;
    control(&world, "DELETE", "log")?;
    let (wall, cpu) = run_discovery(&bin_dir.join("pipeline-cli"), &dir)?;
    let stats: Value = serde_json::from_str(&control(&world, "GET", "stats")?)?;
    let run = runs(bin_dir, &dir)?
        .into_iter()
        .find(|r| r["stage"] == "discovery")
        .context("no discovery run")?;
    let (code, out, err) = cli(bin_dir, &dir, &["companies", "--json"])?;
    ensure!(code == 0, "companies exited {code}: {err}");
    let companies: Vec<Value> = serde_json::from_str(&out)?;
    let jsonld_boards = companies
        .iter()
        .flat_map(|c| c["boards"].as_array().cloned().unwrap_or_default())
        .filter(|b| b["provider"] == "jsonld")
        .count() as u64;
    drop(world);
    std::fs::remove_dir_all(&dir).ok();
    Ok(Run {
        wall,
        cpu,
        site_requests: stats["site"]["count"].as_u64().unwrap_or(0),
        jsonld_boards,
        malformed: run["counters"]["jsonld_malformed"].as_u64().unwrap_or(0),
    })
}

/// Runs `once --stage discovery -qq` in `dir` until it exits with 0 or 3; its wall time and CPU time.
fn run_discovery(cli: &Path, dir: &Path) -> Result<(Duration, Duration)> {
    let args = ["once", "--stage", "discovery", "-qq"];
    let (done, _) = super::watch::run_cli(cli, dir, &args, &[0, 3])?;
    Ok((done.elapsed, done.cpu))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_is_the_middle_run() {
        let run = |s| Run {
            wall: Duration::from_secs(s),
            ..Run::default()
        };
        assert_eq!(median(&[run(3), run(0), run(1)], |r| r.wall.as_secs_f64()), 1.0);
    }
}
