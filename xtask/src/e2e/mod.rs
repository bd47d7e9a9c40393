//! `cargo xtask e2e`: the real `pipeline-cli` against the simulated world (`pipeline-world`), each scenario
//! in its own directory.

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use serde_json::Value;

use crate::cmd;

mod directory;
mod discovery;
mod discovery_stage;
mod ingestion;
mod jsonld;
mod scoring;
mod sheets;
mod workers;
mod world_control;

use crate::world::{WorldProcess, scratch};
pub(crate) use world_control::{control, control_with_body};

type Scenario = fn(&Path) -> Result<()>;

const SCENARIOS: &[(&str, Scenario)] = &[
    (
        "directory_reads_the_world_directories_and_csv",
        directory::reads_the_world,
    ),
    (
        "directory_reads_csv_and_json_lines_by_url",
        directory::reads_lists_by_url,
    ),
    (
        "a_second_once_exits_75_and_sigterm_interrupts",
        lock_contention_and_sigterm,
    ),
    (
        "kill_9_mid_run_then_once_takes_over_and_completes",
        kill_9_then_resume,
    ),
    (
        "detect_and_board_read_the_world_sites_and_apis",
        discovery::detect_and_board,
    ),
    (
        "discovery_stage_kill_9_midway_then_300_companies_boards",
        discovery_stage::kill_9_mid_stage_then_the_boards_of_300_companies,
    ),
    (
        "discovery_stage_counts_faults_and_pauses_a_429_storm",
        discovery_stage::faults_are_counted_and_a_provider_answering_429_is_paused,
    ),
    (
        "ingestion_reflects_a_day_of_the_world_exactly",
        ingestion::a_day_of_the_world_is_reflected_exactly,
    ),
    (
        "ingestion_faults_close_nothing_and_kill_9_loses_nothing",
        ingestion::faults_close_nothing_and_kill_9_mid_stage_loses_nothing,
    ),
    ("jsonld_careers_sites_end_to_end", jsonld::careers_sites),
    (
        "scoring_rescore_kill_9_midway_then_every_posting_once",
        scoring::a_rescore_killed_midway_then_rerun_scores_every_posting_once,
    ),
    (
        "sheets_10000_companies_in_a_few_calls_then_feedback",
        sheets::ten_thousand_companies_in_a_few_calls_then_feedback,
    ),
    (
        "postgres_three_shared_workers_two_cycles_a_kill_9_end_as_one",
        workers::three_shared_workers_on_postgres_end_as_one_worker_alone,
    ),
];

/// Runs every scenario (those whose name contains `only`, if given) and the bad-input corpus.
pub fn run(only: Option<&str>) -> Result<()> {
    let bin_dir = cmd::build_bins(
        &[
            ("pipeline-cli", "pipeline-cli"),
            ("pipeline-testkit", "pipeline-world"),
        ],
        false,
    )?;
    let (mut passed, mut failed) = (0, 0);
    for (name, scenario) in SCENARIOS
        .iter()
        .filter(|(name, _)| only.is_none_or(|o| name.contains(o)))
    {
        match scenario(&bin_dir) {
            Ok(()) => {
                passed += 1;
                eprintln!("e2e {name} ... ok");
            }
            Err(e) => {
                failed += 1;
                eprintln!("e2e {name} ... FAILED: {e:#}");
            }
        }
    }
    let (corpus_passed, corpus_failed) = crate::corpus::run(&bin_dir)?;
    println!("e2e: {passed} passed, {failed} failed");
    println!(
        "bad-input corpus: {corpus_passed} passed, {} failed {corpus_failed:?}",
        corpus_failed.len()
    );
    ensure!(failed == 0, "{failed} end-to-end scenario(s) failed");
    ensure!(
        corpus_failed.is_empty(),
        "{} bad-input case(s) failed",
        corpus_failed.len()
    );
    Ok(())
}

pub(crate) fn cli(bin_dir: &Path, dir: &Path, args: &[&str]) -> Result<(i32, String, String)> {
    let Output {
        status,
        stdout,
        stderr,
    } = Command::new(bin_dir.join("pipeline-cli"))
        .args(args)
        .current_dir(dir)
        .output()
        .context("run pipeline-cli")?;
    Ok((
        status.code().unwrap_or(-1),
        String::from_utf8_lossy(&stdout).into(),
        String::from_utf8_lossy(&stderr).into(),
    ))
}

pub(crate) fn companies(bin_dir: &Path, dir: &Path) -> Result<Vec<Value>> {
    companies_in(bin_dir, dir, &[])
}

/// `companies --json` with `global` options (e.g. `--database-url URL`) before the command.
pub(crate) fn companies_in(bin_dir: &Path, dir: &Path, global: &[String]) -> Result<Vec<Value>> {
    let mut args: Vec<&str> = global.iter().map(String::as_str).collect();
    args.extend(["companies", "--json"]);
    let (code, out, err) = cli(bin_dir, dir, &args)?;
    ensure!(code == 0, "companies --json exited {code}: {err}");
    let value: Value = serde_json::from_str(&out)?;
    Ok(value.as_array().cloned().unwrap_or_default())
}

pub(crate) fn port_of(world: &WorldProcess) -> Result<&str> {
    world
        .base_url
        .rsplit_once(':')
        .map(|(_, p)| p)
        .context("world URL without a port")
}

fn spawn_once(bin_dir: &Path, dir: &Path) -> Result<Child> {
    let child = Command::new(bin_dir.join("pipeline-cli"))
        .arg("once")
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    Ok(child)
}

/// The latest runs as `status --json` prints them.
pub(crate) fn runs(bin_dir: &Path, dir: &Path) -> Result<Vec<Value>> {
    let (code, out, err) = cli(bin_dir, dir, &["status", "--json"])?;
    ensure!(code == 0, "status exited {code}: {err}");
    let status: Value = serde_json::from_str(&out)?;
    Ok(status["runs"].as_array().cloned().unwrap_or_default())
}

/// Starts `once --stage STAGE` in `dir`, waits until `ready` says it is midway, checks it is still running
/// and kills it with SIGKILL.
fn kill_9_midway(
    bin_dir: &Path,
    dir: &Path,
    stage: &str,
    what: &str,
    ready: impl FnMut() -> Result<bool>,
) -> Result<()> {
    let mut child = Command::new(bin_dir.join("pipeline-cli"))
        .args(["once", "--stage", stage])
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    wait_until(what, ready)?;
    ensure!(
        child.try_wait()?.is_none(),
        "the {stage} run ended before it was killed"
    );
    child.kill()?;
    child.wait()?;
    Ok(())
}

pub(crate) fn wait_until(what: &str, mut ready: impl FnMut() -> Result<bool>) -> Result<()> {
    let start = Instant::now();
    while !ready()? {
        ensure!(
            start.elapsed() < Duration::from_secs(60),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(())
}

pub(crate) fn write_config(dir: &Path, extra: &str) -> Result<()> {
    let config = std::fs::read_to_string(dir.join("pipeline.toml"))? + extra;
    std::fs::write(dir.join("pipeline.toml"), config)?;
    Ok(())
}

/// A `once` that is slowed by the world holds the cycle lock: a second `once` exits 75 naming the holder;
/// SIGTERM makes the first exit 130 with its run `interrupted` and the lock released.
fn lock_contention_and_sigterm(bin_dir: &Path) -> Result<()> {
    let dir = scratch("e2e-lock")?;
    let world = WorldProcess::start(bin_dir, 5, 30, &dir)?;
    control(&world, "PUT", "latency?delay=20s&label=catalonia")?;
    let first = spawn_once(bin_dir, &dir)?;
    // While the first run creates and migrates the DB, `status` says the schema is behind (exit 1): not yet.
    wait_until("the first run to start", || {
        Ok(dir.join("data/pipeline.db").exists()
            && runs(bin_dir, &dir).is_ok_and(|runs| runs.first().is_some_and(|r| r["status"] == "running")))
    })?;
    let (code, _, err) = cli(bin_dir, &dir, &["once"])?;
    ensure!(code == 75, "second once exited {code}: {err}");
    ensure!(
        err.contains(&format!(":{}:", first.id())),
        "the holder is not named: {err}"
    );
    Command::new("kill")
        .args(["-TERM", &first.id().to_string()])
        .status()?;
    let out = first.wait_with_output()?;
    ensure!(
        out.status.code() == Some(130),
        "first once exited {:?}",
        out.status.code()
    );
    let latest = runs(bin_dir, &dir)?;
    ensure!(
        latest.first().is_some_and(|r| r["status"] == "interrupted"),
        "run not interrupted: {latest:?}"
    );
    let (_, status, _) = cli(bin_dir, &dir, &["status", "--json"])?;
    ensure!(
        serde_json::from_str::<Value>(&status)?["locks"] == serde_json::json!([]),
        "lock not released"
    );
    std::fs::remove_dir_all(&dir).ok();
    Ok(())
}

/// kill -9 in the middle of a run (detail pages slowed by the world), then `once` again at once: the dead
/// owner's lock is taken over, its run is `abandoned`, and the new run completes the load.
fn kill_9_then_resume(bin_dir: &Path) -> Result<()> {
    let dir = scratch("e2e-kill")?;
    let world = WorldProcess::start(bin_dir, 9, 60, &dir)?;
    write_config(
        &dir,
        "\n[[directory.sources]]\nname = \"world-csv\"\nkind = \"csv\"\npath = \"companies.csv\"\n",
    )?;
    control(&world, "PUT", "latency?delay=300ms&label=madrimasd")?;
    let mut first = spawn_once(bin_dir, &dir)?;
    wait_until("the first run to write companies", || {
        Ok(dir.join("data/pipeline.db").exists()
            && companies(bin_dir, &dir).is_ok_and(|list| !list.is_empty()))
    })?;
    first.kill()?;
    first.wait()?;
    control(&world, "PUT", "latency?delay=0s&label=madrimasd")?;
    let (code, out, err) = cli(bin_dir, &dir, &["once"])?;
    ensure!(code == 0, "resumed once exited {code}\n{out}\n{err}");
    ensure!(
        out.contains("took over a stale lock"),
        "no takeover reported: {out}"
    );
    let statuses: Vec<Value> = runs(bin_dir, &dir)?.iter().map(|r| r["status"].clone()).collect();
    // Newest first: the resumed cycle's feedback run (skipped outside its nightly window, which depends on
    // when this runs), its sheets, scoring, ingestion, discovery and directory runs, then the killed run.
    let feedback_ok = statuses
        .first()
        .is_some_and(|s| s == "skipped" || s == "succeeded");
    ensure!(
        feedback_ok
            && statuses[1..]
                == [
                    "succeeded",
                    "succeeded",
                    "succeeded",
                    "succeeded",
                    "succeeded",
                    "abandoned"
                ]
                .map(|s| serde_json::json!(s)),
        "runs: {statuses:?}"
    );
    let csv_rows = std::fs::read_to_string(dir.join("companies.csv"))?
        .lines()
        .skip(1)
        .count();
    let with_site = companies(bin_dir, &dir)?
        .iter()
        .filter(|c| c["domain"].is_string())
        .count();
    ensure!(
        with_site == csv_rows,
        "{with_site} companies with a website for {csv_rows} CSV rows"
    );
    let (code, out, _) = cli(bin_dir, &dir, &["doctor"])?;
    ensure!(
        code == 0 && out.contains("integrity ok"),
        "doctor after kill -9: {out}"
    );
    std::fs::remove_dir_all(&dir).ok();
    Ok(())
}
