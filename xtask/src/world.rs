//! `cargo xtask world` (serve the simulated world) and `cargo xtask demo` (the offline showcase).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};

use anyhow::{Context, Result, bail, ensure};

use crate::cmd;

/// The nine providers, as `[providers.NAME]` and the world's request-log labels name them.
pub const PROVIDERS: [&str; 9] = [
    "lever",
    "greenhouse",
    "ashby",
    "workable",
    "smartrecruiters",
    "recruitee",
    "personio",
    "teamtailor",
    "workday",
];

/// Requests per board in a request log (`GET /__world/log`): `provider:tenant` (tenant lower-cased) for
/// the providers' APIs and, with `sites`, `site:HOST` for company sites; other requests are left out.
pub fn requests_per_board(log: &serde_json::Value, sites: bool) -> std::collections::BTreeMap<String, u64> {
    let mut counts = std::collections::BTreeMap::new();
    for entry in log.as_array().into_iter().flatten() {
        let [label, tenant, host] =
            ["label", "tenant", "host"].map(|k| entry[k].as_str().unwrap_or_default());
        let key = if PROVIDERS.contains(&label) {
            format!("{label}:{}", tenant.to_lowercase())
        } else if sites && label == "site" {
            format!("site:{host}")
        } else {
            continue;
        };
        *counts.entry(key).or_default() += 1;
    }
    counts
}

/// Raises every provider's limits in the world's `pipeline.toml` (except `keep`'s), so that the scenario
/// is not bound by the default 2 requests/s.
pub fn raise_limits(dir: &Path, keep: Option<&str>, requests_per_second: f64) -> Result<()> {
    let path = dir.join("pipeline.toml");
    let mut text = std::fs::read_to_string(&path)?;
    // jsonld: the companies' own careers pages (their requests are the world's `site` requests).
    for provider in PROVIDERS.iter().chain(&["jsonld"]).filter(|p| Some(**p) != keep) {
        let table = format!("[providers.{provider}]\n");
        ensure!(text.contains(&table), "no {table} in the world's config");
        text = text.replace(
            &table,
            &format!("{table}requests_per_second = {requests_per_second:?}\nmax_concurrency = 4\n"),
        );
    }
    std::fs::write(path, text)?;
    Ok(())
}

/// A running `pipeline-world` process; it stops when dropped (its stdin closes, then it is killed).
pub struct WorldProcess {
    child: Child,
    stdin: Option<ChildStdin>,
    pub base_url: String,
}

impl WorldProcess {
    pub fn start(bin_dir: &Path, seed: u64, companies: usize, dir: &Path) -> Result<WorldProcess> {
        Self::start_with(bin_dir, seed, companies, dir, &[])
    }

    /// [`start`](Self::start) with more of `pipeline-world`'s options (e.g. `--postings-per-board`).
    pub fn start_with(
        bin_dir: &Path,
        seed: u64,
        companies: usize,
        dir: &Path,
        extra: &[&str],
    ) -> Result<WorldProcess> {
        let mut child = Command::new(bin_dir.join("pipeline-world"))
            .args(extra)
            .args([
                "--seed",
                &seed.to_string(),
                "--companies",
                &companies.to_string(),
                "--dir",
            ])
            .arg(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .context("cannot start pipeline-world")?;
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().context("world stdout")?;
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line)?;
        let mut parts = line.split_whitespace();
        let (Some("WORLD"), Some("READY"), Some(url)) = (parts.next(), parts.next(), parts.next()) else {
            bail!("pipeline-world did not start: {line:?}");
        };
        Ok(WorldProcess {
            child,
            stdin,
            base_url: url.to_owned(),
        })
    }

    /// The world's process id (its CPU time is read from `/proc`).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for WorldProcess {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A fresh scratch directory under the system temp dir.
pub fn scratch(name: &str) -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("pipeline-{name}-{}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

pub fn serve(args: &[String]) -> Result<()> {
    let bin_dir = cmd::build_bins(&[("pipeline-testkit", "pipeline-world")], false)?;
    let mut child = Command::new(bin_dir.join("pipeline-world"))
        .args(args)
        .arg("--ignore-stdin")
        .stdout(Stdio::piped())
        .spawn()
        .context("cannot start pipeline-world")?;
    let stdout = child.stdout.take().context("world stdout")?;
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line)?;
    let dir = line
        .split_whitespace()
        .nth(3)
        .context("pipeline-world did not start")?;
    let config = std::fs::read_to_string(Path::new(dir).join("pipeline.toml"))?;
    let companies = std::fs::read_to_string(Path::new(dir).join("companies.csv"))?;
    let url = line.split_whitespace().nth(2).unwrap_or_default();
    println!("# ---- {dir}/pipeline.toml ----\n{config}");
    println!("# ---- {dir}/companies.csv ----\n{companies}");
    println!("# world: {url} (Ctrl-C stops it)");
    println!("# run:   cargo run -p pipeline-cli -- --config {dir}/pipeline.toml once");
    child.wait()?;
    Ok(())
}

pub fn demo() -> Result<()> {
    let bin_dir = cmd::build_bins(
        &[
            ("pipeline-cli", "pipeline-cli"),
            ("pipeline-testkit", "pipeline-world"),
        ],
        false,
    )?;
    let dir = scratch("demo")?;
    let world = WorldProcess::start(&bin_dir, 2026, 200, &dir)?;
    eprintln!(
        "demo: a world of 200 companies at {} ; working directory {}",
        world.base_url,
        dir.display()
    );
    // The world's own company list joins the three directories as a CSV source.
    let list = "\n[[directory.sources]]\nname = \"world-list\"\nkind = \"csv\"\npath = \"companies.csv\"\n";
    let config = std::fs::read_to_string(dir.join("pipeline.toml"))? + list;
    std::fs::write(dir.join("pipeline.toml"), config)?;
    // The world is on loopback: politeness toward it would only make the demo slow.
    raise_limits(&dir, None, 200.0)?;
    let cli = bin_dir.join("pipeline-cli");
    let status = Command::new(&cli).arg("once").current_dir(&dir).status()?;
    eprintln!(
        "demo: `pipeline-cli once` exited with {}",
        status.code().unwrap_or(-1)
    );
    println!("\ntop companies:");
    cmd::run(
        Command::new(&cli)
            .args(["companies", "--limit", "15"])
            .current_dir(&dir),
    )?;
    drop(world);
    Ok(())
}
