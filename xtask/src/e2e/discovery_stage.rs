//! End-to-end discovery stage: `once --stage discovery` on a 300-company world, killed with SIGKILL midway
//! and run again (precision and recall of the stored active boards against the world's truth, no board
//! twice, nothing read a second time that is not due); and on a world whose sites and APIs misbehave
//! (faults counted, the stage never aborted, a provider that keeps answering 429 paused and left alone).

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::{Context, Result, ensure};
use serde_json::Value;

use super::{cli, companies, control, kill_9_midway, runs, write_config};
use crate::world::{PROVIDERS, WorldProcess, raise_limits, scratch};

/// A world of `companies` with its companies.csv as the directory's one source, loaded.
fn loaded_world(
    bin_dir: &Path,
    name: &str,
    seed: u64,
    companies: usize,
) -> Result<(std::path::PathBuf, WorldProcess)> {
    let dir = scratch(name)?;
    let world = WorldProcess::start(bin_dir, seed, companies, &dir)?;
    write_config(
        &dir,
        "\n[directory]\nbuiltin = []\n\n[[directory.sources]]\nname = \"world-csv\"\nkind = \"csv\"\npath = \"companies.csv\"\n",
    )?;
    Ok((dir, world))
}

fn load_directory(bin_dir: &Path, dir: &Path) -> Result<()> {
    let (code, out, err) = cli(bin_dir, dir, &["once", "--stage", "directory"])?;
    ensure!(code == 0, "directory exited {code}\n{out}\n{err}");
    Ok(())
}

/// Requests the world served with `label` since its log was last cleared.
fn served(world: &WorldProcess, label: &str) -> Result<u64> {
    let stats: Value = serde_json::from_str(&control(world, "GET", "stats")?)?;
    Ok(stats[label]["count"].as_u64().unwrap_or(0))
}

/// `(domain, board)` of the world's truth, lower case.
fn truth_boards(world: &WorldProcess) -> Result<BTreeSet<(String, String)>> {
    let truth: Value = serde_json::from_str(&control(world, "GET", "truth")?)?;
    let mut out = BTreeSet::new();
    for company in truth["companies"].as_array().context("truth without companies")? {
        let domain = company["domain"].as_str().context("company without domain")?;
        for board in company["boards"].as_array().into_iter().flatten() {
            let text = super::discovery::board_text(board).context("unreadable truth board")?;
            out.insert((domain.to_owned(), text.to_lowercase()));
        }
    }
    Ok(out)
}

/// Every stored board as `(domain, board, status)`, from `companies --json`.
fn stored_boards(bin_dir: &Path, dir: &Path) -> Result<Vec<(String, String, String)>> {
    let mut out = Vec::new();
    for company in companies(bin_dir, dir)? {
        let domain = company["domain"].as_str().unwrap_or_default().to_owned();
        for board in company["boards"].as_array().into_iter().flatten() {
            let reference = board["board"].as_str().context("board without a reference")?;
            let status = board["status"].as_str().unwrap_or_default();
            out.push((domain.clone(), reference.to_lowercase(), status.to_owned()));
        }
    }
    Ok(out)
}

pub(super) fn kill_9_mid_stage_then_the_boards_of_300_companies(bin_dir: &Path) -> Result<()> {
    let (dir, world) = loaded_world(bin_dir, "e2e-discovery-300", 31, 300)?;
    raise_limits(&dir, None, 50.0)?;
    load_directory(bin_dir, &dir)?;
    // Slow sites, so that the stage is surely midway when it is killed.
    control(&world, "PUT", "latency?delay=15ms&label=site")?;
    kill_9_midway(
        bin_dir,
        &dir,
        "discovery",
        "discovery to be a third through",
        || Ok(served(&world, "site")? >= 1000),
    )?;
    control(&world, "PUT", "latency?delay=0s&label=site")?;

    let (code, out, err) = cli(bin_dir, &dir, &["once", "--stage", "discovery"])?;
    ensure!(code == 0, "resumed discovery exited {code}\n{out}\n{err}");
    let latest = runs(bin_dir, &dir)?;
    ensure!(
        latest.iter().any(|r| r["status"] == "abandoned"),
        "the killed run is not marked abandoned: {latest:?}"
    );
    let stored = stored_boards(bin_dir, &dir)?;
    let keys: Vec<&String> = stored.iter().map(|(_, board, _)| board).collect();
    let unique: BTreeSet<&String> = keys.iter().copied().collect();
    ensure!(
        unique.len() == keys.len(),
        "a board stored twice: {} rows, {} boards",
        keys.len(),
        unique.len()
    );
    let active: BTreeSet<(String, String)> = stored
        .into_iter()
        .filter(|(_, _, status)| status == "active")
        .map(|(domain, board, _)| (domain, board))
        .collect();
    let truth = truth_boards(&world)?;
    let hits = active.intersection(&truth).count() as f64;
    let (precision, recall) = (
        hits / active.len().max(1) as f64,
        hits / truth.len().max(1) as f64,
    );
    println!(
        "e2e discovery, 300 companies after kill -9: {} active boards stored, {} true, precision {precision:.3}, recall {recall:.3}",
        active.len(),
        truth.len()
    );
    ensure!(
        precision >= 0.99,
        "precision {precision:.3}: {:?}",
        active.difference(&truth).collect::<Vec<_>>()
    );
    ensure!(
        recall >= 0.97,
        "recall {recall:.3}: {:?}",
        truth.difference(&active).collect::<Vec<_>>()
    );

    control(&world, "DELETE", "log")?;
    let (code, out, err) = cli(bin_dir, &dir, &["once", "--stage", "discovery"])?;
    ensure!(code == 0, "third discovery exited {code}\n{out}\n{err}");
    let read = served(&world, "site")?;
    ensure!(read == 0, "{read} site requests when nothing is due");
    std::fs::remove_dir_all(&dir).ok();
    Ok(())
}

pub(super) fn faults_are_counted_and_a_provider_answering_429_is_paused(bin_dir: &Path) -> Result<()> {
    let (dir, world) = loaded_world(bin_dir, "e2e-discovery-faults", 37, 120)?;
    let truth = truth_boards(&world)?;
    // Greenhouse and Lever carry the other API faults below.
    let storm = PROVIDERS
        .into_iter()
        .filter(|p| !["greenhouse", "lever"].contains(p))
        .max_by_key(|p| {
            truth
                .iter()
                .filter(|(_, b)| b.starts_with(&format!("{p}:")))
                .count()
        })
        .context("no provider")?;
    raise_limits(&dir, Some(storm), 50.0)?;
    load_directory(bin_dir, &dir)?;
    for (fault, probability) in [
        ("status:503", "0.04"),
        ("reset", "0.03"),
        ("truncate", "0.03"),
        ("redirect-loop", "0.02"),
        ("stall:12s", "0.003"),
    ] {
        control(
            &world,
            "POST",
            &format!("faults?fault={fault}&label=site&probability={probability}"),
        )?;
    }
    // Three sites that never answer: their companies are errored (and retried later with backoff).
    let domains: BTreeSet<&String> = truth.iter().map(|(domain, _)| domain).collect();
    for domain in domains.into_iter().take(3) {
        let fault = format!("faults?fault=reset&label=site&tenant={domain}&count=1000");
        control(&world, "POST", &fault)?;
    }
    control(
        &world,
        "POST",
        "faults?fault=429:1s&label=greenhouse&probability=0.3",
    )?;
    control(
        &world,
        "POST",
        "faults?fault=status:503&label=lever&probability=0.2",
    )?;
    control(
        &world,
        "POST",
        &format!("faults?fault=429&label={storm}&count=100000"),
    )?;

    let (code, out, err) = cli(bin_dir, &dir, &["once", "--stage", "discovery"])?;
    ensure!(
        code == 0 || code == 3,
        "discovery under faults exited {code}\n{out}\n{err}"
    );
    let run = runs(bin_dir, &dir)?.into_iter().next().context("no run")?;
    ensure!(
        run["status"] == "succeeded" || run["status"] == "partial",
        "the stage did not finish: {run}"
    );
    let counter = |name: &str| run["counters"][name].as_u64().unwrap_or(0);
    println!(
        "e2e discovery under faults: checked {}, errored {}, http_429 {}, http_5xx {}, paused_skips {}, {storm} paused after {} calls",
        counter("companies_checked"),
        counter("errored"),
        counter("http_429"),
        counter("http_5xx"),
        counter("paused_skips"),
        served(&world, storm)?
    );
    ensure!(
        counter("companies_checked") == 120,
        "not every company checked: {run}"
    );
    ensure!(
        counter("errored") >= 3 && counter("http_5xx") >= 1,
        "faults not counted: {run}"
    );
    ensure!(
        counter("http_429") >= 3 && counter("paused_skips") >= 1,
        "429s not counted: {run}"
    );
    let sent = served(&world, storm)?;
    ensure!(
        (3..=3 + 2).contains(&sent),
        "{sent} calls to {storm}, paused after 3 (2 in flight at most)"
    );
    let (_, status, _) = cli(bin_dir, &dir, &["status", "--json"])?;
    let status: Value = serde_json::from_str(&status)?;
    let paused = status["pauses"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|p| p["provider"] == storm);
    ensure!(paused, "{storm} not paused: {}", status["pauses"]);

    control(&world, "DELETE", "log")?;
    let (code, out, err) = cli(bin_dir, &dir, &["once", "--stage", "discovery"])?;
    ensure!(
        code == 0 || code == 3,
        "second discovery exited {code}\n{out}\n{err}"
    );
    ensure!(served(&world, storm)? == 0, "{storm} asked while paused");
    std::fs::remove_dir_all(&dir).ok();
    Ok(())
}
