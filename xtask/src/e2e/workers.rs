//! Several workers on PostgreSQL: three `pipeline-cli forever --shared` processes on one schema run two
//! cycles of a world — the second a day later, with one worker killed by SIGKILL midway — and end where one
//! `once` on SQLite ends over the same world: every due board fetched exactly once in the first cycle (the
//! world's request log, board by board, against the single worker's), in the second at least once and
//! twice only where the dead worker was fetching, the same company metrics (so no posting stored twice),
//! and the dead worker's boards taken over by the others once its leases expired.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use serde_json::Value;

use super::{cli, companies_in, control, write_config};
use crate::postgres::Schema;
use crate::world::{WorldProcess, raise_limits, requests_per_board, scratch};

const SEED: u64 = 61;
/// Companies of the world, as 8/8 asks (`E2E_WORKERS_COMPANIES` to run it smaller or larger).
const COMPANIES: usize = 2_000;
/// `ingestion.refresh_after`, seconds per company (at least 40 s): each cycle must end sooner, or boards
/// would be due again within it.
fn refresh_after(companies: usize) -> Duration {
    Duration::from_secs((companies as u64 / 10).max(40))
}
/// `runner.lock_ttl`: a dead worker's leases expire this long after its last heartbeat.
const TTL: Duration = Duration::from_secs(8);

/// The world's CSV as the source, boards due again after `refresh`, no cap on detail calls (the cap is per
/// process, which would make three workers fetch more than one), short leases, cycles a second apart.
fn config(refresh: Duration) -> String {
    format!(
        "\n[directory]\nbuiltin = []\n\n[[directory.sources]]\nname = \"world-csv\"\nkind = \"csv\"\npath = \"companies.csv\"\n\n[ingestion]\nrefresh_after = \"{}s\"\ndetail_calls_per_cycle = 1000000\n\n[runner]\nlock_ttl = \"{}s\"\ncycle_sleep_min = \"1s\"\ncycle_sleep_max = \"1s\"\n",
        refresh.as_secs(),
        TTL.as_secs()
    )
}

/// A company's metrics as `companies --json` shows them (no id, no URL: the worlds' ports differ).
type Metrics = BTreeMap<String, String>;
/// Requests per board (`provider:tenant`) and per company site (`site:host`).
type PerBoard = BTreeMap<String, u64>;

pub(super) fn three_shared_workers_on_postgres_end_as_one_worker_alone(bin_dir: &Path) -> Result<()> {
    let Some(server) = crate::postgres::server()? else {
        eprintln!("e2e workers: SKIPPED, no PostgreSQL server (see above)");
        return Ok(());
    };
    let companies = std::env::var("E2E_WORKERS_COMPANIES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(COMPANIES);
    let refresh = refresh_after(companies);
    let world_args = ["--postings-per-board", "8"];
    let (alone_dir, fleet_dir) = (scratch("e2e-alone")?, scratch("e2e-fleet")?);
    let alone_world = WorldProcess::start_with(bin_dir, SEED, companies, &alone_dir, &world_args)?;
    let fleet_world = WorldProcess::start_with(bin_dir, SEED, companies, &fleet_dir, &world_args)?;
    for dir in [&alone_dir, &fleet_dir] {
        write_config(dir, &config(refresh))?;
        raise_limits(dir, None, 200.0)?;
    }
    let schema = Schema::create(&server, &format!("e2e_workers_{}", std::process::id()))?;
    let fleet = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["--database-url".to_owned(), schema.url.clone()];
        all.extend(args.iter().map(|a| (*a).to_owned()));
        all
    };

    // Cycle 1: one worker alone on SQLite, then three on PostgreSQL.
    once(bin_dir, &alone_dir, &alone_world)?;
    let alone_done = Instant::now();
    let (expected, requests) = (metrics(bin_dir, &alone_dir, &[])?, per_board(&alone_world)?);
    ensure!(expected.len() == companies, "{} companies listed", expected.len());
    let started = Instant::now();
    let mut workers = Workers::start(bin_dir, &fleet_dir, &fleet(&["forever", "--shared"]), 3)?;
    workers.until_metrics(bin_dir, &fleet_dir, &fleet(&[]), &expected)?;
    let settled = settle(&fleet_world)?;
    workers.stop()?;
    let first = started.elapsed();
    let fleet_done = Instant::now();
    ensure!(
        first < refresh,
        "the first cycle took {first:?}, longer than refresh_after"
    );
    ensure!(
        settled == requests,
        "cycle 1: requests per board differ from one worker's\n{}\nthe workers' warnings:\n{}",
        differences(&requests, &settled),
        warnings(&fleet_dir)
    );

    // Cycle 2, a day later: alone, then three workers, one of which is killed midway.
    for world in [&alone_world, &fleet_world] {
        control(world, "POST", "advance-day")?;
        control(world, "DELETE", "log")?;
    }
    sleep_until(alone_done + refresh);
    once(bin_dir, &alone_dir, &alone_world)?;
    let (expected, requests) = (metrics(bin_dir, &alone_dir, &[])?, per_board(&alone_world)?);
    let total: u64 = requests.values().sum();
    sleep_until(fleet_done + refresh);
    let mut workers = Workers::start(bin_dir, &fleet_dir, &fleet(&["forever", "--shared"]), 3)?;
    super::wait_until("the second cycle to be a third done", || {
        Ok(per_board(&fleet_world)?.values().sum::<u64>() * 3 >= total)
    })?;
    let killed = workers.kill_first()?;
    workers.until_metrics(bin_dir, &fleet_dir, &fleet(&[]), &expected)?;
    let recovered = killed.elapsed();
    let settled = settle(&fleet_world)?;
    workers.stop()?;
    let missing: Vec<&String> = requests
        .iter()
        .filter(|(board, n)| settled.get(*board).is_none_or(|got| got < n))
        .map(|(board, _)| board)
        .collect();
    ensure!(missing.is_empty(), "cycle 2: boards not fetched: {missing:?}");
    let unknown: Vec<&String> = settled.keys().filter(|b| !requests.contains_key(*b)).collect();
    ensure!(
        unknown.is_empty(),
        "cycle 2: requests no worker alone made: {unknown:?}"
    );
    let twice = settled.iter().filter(|(board, n)| requests[*board] < **n).count();
    // At most what the dead worker had fetched and not written yet: its 40 in flight (10 providers × 4)
    // and the 16 done units a group commit may hold besides (crates/engine/src/units/runner/mod.rs).
    ensure!(
        twice <= 40 + 16,
        "cycle 2: {twice} boards fetched again after the kill"
    );
    ensure!(
        recovered < TTL + Duration::from_secs(60),
        "cycle 2 took {recovered:?} to complete after the kill"
    );
    eprintln!(
        "e2e workers: {companies} companies, {} boards; cycle 1 by 3 workers in {:.1}s, every board fetched once; cycle 2 complete {:.1}s after a kill -9, {twice} boards fetched again",
        requests.len(),
        first.as_secs_f64(),
        recovered.as_secs_f64()
    );
    drop((alone_world, fleet_world));
    std::fs::remove_dir_all(&alone_dir).ok();
    std::fs::remove_dir_all(&fleet_dir).ok();
    Ok(())
}

/// `once` until a run sends no request (a board found gone makes its company's discovery due, which the
/// next cycle does, as the workers' next cycles do).
fn once(bin_dir: &Path, dir: &Path, world: &WorldProcess) -> Result<()> {
    let mut sent = None;
    for _ in 0..4 {
        let (code, out, err) = cli(bin_dir, dir, &["once"])?;
        ensure!(code == 0, "once exited {code}\n{out}\n{err}");
        let now: u64 = per_board(world)?.values().sum();
        if sent == Some(now) {
            return Ok(());
        }
        sent = Some(now);
    }
    bail!("four cycles in a row sent requests: the world never settled")
}

fn sleep_until(deadline: Instant) {
    std::thread::sleep(deadline.saturating_duration_since(Instant::now()));
}

/// Every company's metrics by domain (the world's port left out of `jsonld` board references).
fn metrics(bin_dir: &Path, dir: &Path, global: &[String]) -> Result<Metrics> {
    let list = companies_in(bin_dir, dir, global)?;
    Ok(list
        .iter()
        .map(|c| {
            let fields = [
                "max_score",
                "offer_count",
                "unique_offer_count",
                "strong_offer_count",
                "open_offer_count",
                "avg_strong_score",
                "top_category",
                "boards",
            ];
            let shown: Vec<String> = fields.iter().map(|f| c[*f].to_string()).collect();
            let port = c["website"]
                .as_str()
                .and_then(|w| w.rsplit_once(':'))
                .map(|(_, p)| p);
            let port = port.map(|p| format!(":{}", p.trim_end_matches('/')));
            let shown = shown.join(" ");
            let shown = match port {
                Some(port) => shown.replace(&port, ":PORT"),
                None => shown,
            };
            (c["domain"].to_string(), shown)
        })
        .collect())
}

/// The world's requests to providers and company sites so far, per board or site.
fn per_board(world: &WorldProcess) -> Result<PerBoard> {
    let log: Value = serde_json::from_str(&control(world, "GET", "log")?)?;
    Ok(requests_per_board(&log, true))
}

/// The request counts once the workers have been idle for three seconds (three of their cycles).
fn settle(world: &WorldProcess) -> Result<PerBoard> {
    let mut last = per_board(world)?;
    loop {
        std::thread::sleep(Duration::from_secs(3));
        let now = per_board(world)?;
        if now == last {
            return Ok(now);
        }
        last = now;
    }
}

fn differences(expected: &PerBoard, got: &PerBoard) -> String {
    let mut keys: Vec<&String> = expected.keys().chain(got.keys()).collect();
    keys.sort();
    keys.dedup();
    let lines: Vec<String> = keys
        .into_iter()
        .filter(|k| expected.get(*k) != got.get(*k))
        .take(10)
        .map(|k| format!("  {k}: alone {:?}, workers {:?}", expected.get(k), got.get(k)))
        .collect();
    lines.join("\n")
}

/// `pipeline-cli forever --shared` processes, each logging to `worker-N.log` in the scenario's directory.
struct Workers {
    children: Vec<(usize, Child)>,
    dir: std::path::PathBuf,
}

impl Workers {
    fn start(bin_dir: &Path, dir: &Path, args: &[String], n: usize) -> Result<Workers> {
        let children = (0..n)
            .map(|i| {
                let log = File::create(dir.join(format!("worker-{i}.log")))?;
                let child = Command::new(bin_dir.join("pipeline-cli"))
                    .args(args)
                    .current_dir(dir)
                    .stdin(Stdio::null())
                    .stdout(Stdio::null())
                    .stderr(log)
                    .spawn()
                    .context("start a worker")?;
                Ok((i, child))
            })
            .collect::<Result<_>>()?;
        Ok(Workers {
            children,
            dir: dir.to_owned(),
        })
    }

    /// Waits until the companies' metrics are `expected`, checking that every worker is still running.
    fn until_metrics(
        &mut self,
        bin_dir: &Path,
        dir: &Path,
        global: &[String],
        expected: &Metrics,
    ) -> Result<()> {
        let start = Instant::now();
        loop {
            for (i, child) in &mut self.children {
                if let Some(status) = child.try_wait()? {
                    bail!("worker {i} exited ({status}): {}", log_tail(&self.dir, *i));
                }
            }
            let got = metrics(bin_dir, dir, global)?;
            if &got == expected {
                return Ok(());
            }
            if start.elapsed() > Duration::from_secs(240) {
                let differ: Vec<String> = expected
                    .iter()
                    .filter(|(domain, m)| got.get(*domain) != Some(m))
                    .take(5)
                    .map(|(domain, m)| format!("  {domain}: alone {m}, workers {:?}", got.get(domain)))
                    .collect();
                bail!(
                    "the workers' companies never matched one worker's:\n{}",
                    differ.join("\n")
                );
            }
            std::thread::sleep(Duration::from_secs(1));
        }
    }

    /// Kills the first worker with SIGKILL (it must still be running); the instant it died.
    fn kill_first(&mut self) -> Result<Instant> {
        let (i, mut child) = self.children.remove(0);
        ensure!(child.try_wait()?.is_none(), "worker {i} ended before the kill");
        child.kill()?;
        child.wait()?;
        Ok(Instant::now())
    }

    /// SIGTERM to every worker; each must exit 130 (interrupted) within 30 s.
    fn stop(mut self) -> Result<()> {
        for (_, child) in &self.children {
            Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .status()?;
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        for (i, child) in &mut self.children {
            let status = loop {
                if let Some(status) = child.try_wait()? {
                    break status;
                }
                if Instant::now() > deadline {
                    child.kill()?;
                    bail!("worker {i} did not stop on SIGTERM");
                }
                std::thread::sleep(Duration::from_millis(100));
            };
            ensure!(
                status.code() == Some(130),
                "worker {i} exited {status} on SIGTERM"
            );
        }
        self.children.clear();
        Ok(())
    }
}

/// The warnings and errors of every worker's log (a unit failed, a lease lost, a request retried), each
/// message once with how often it came, so that a run that did more than one worker alone says why.
fn warnings(dir: &Path) -> String {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for i in 0..3 {
        let log = std::fs::read_to_string(dir.join(format!("worker-{i}.log"))).unwrap_or_default();
        for line in log.lines().filter(|l| l.contains("WARN") || l.contains("ERROR")) {
            // Without the timestamp, so that the same message counts once.
            let message = line.split_once(' ').map_or(line, |(_, rest)| rest);
            *seen.entry(message.chars().take(300).collect()).or_default() += 1;
        }
    }
    let lines: Vec<String> = seen.iter().take(30).map(|(m, n)| format!("  {n}x {m}")).collect();
    lines.join("\n")
}

/// The last lines of worker `i`'s log.
fn log_tail(dir: &Path, i: usize) -> String {
    let log = std::fs::read_to_string(dir.join(format!("worker-{i}.log"))).unwrap_or_default();
    let lines: Vec<&str> = log.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

impl Drop for Workers {
    fn drop(&mut self) {
        for (_, child) in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
