//! End-to-end ingestion: `once` over a world using all nine providers stores every listed open posting; a
//! day later (`advance-day`) exactly the world's closings, openings and reposts are reflected; an
//! unchanged world writes no posting row; faults (429 with Retry-After, 5xx, truncated bodies) are counted
//! and close nothing; SIGKILL mid-stage, then a rerun completes with no posting twice.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result, ensure};
use serde_json::Value;

use super::discovery::board_text;
use super::{cli, control, kill_9_midway, runs, write_config};
use crate::world::{PROVIDERS, WorldProcess, raise_limits, scratch};

/// Every provider's limits raised, boards due again after a second, and the world's CSV as the source.
const CONFIG: &str = "\n[directory]\nbuiltin = []\n\n[[directory.sources]]\nname = \"world-csv\"\nkind = \"csv\"\npath = \"companies.csv\"\n\n[ingestion]\nrefresh_after = \"1s\"\n";

/// The latest ingestion run's counters.
fn last_ingestion(bin_dir: &Path, dir: &Path) -> Result<Value> {
    runs(bin_dir, dir)?
        .into_iter()
        .find(|r| r["stage"] == "ingestion")
        .context("no ingestion run")
}

fn ingest(bin_dir: &Path, dir: &Path) -> Result<Value> {
    std::thread::sleep(Duration::from_millis(1100));
    let (code, out, err) = cli(bin_dir, dir, &["once", "--stage", "ingestion"])?;
    ensure!(code == 0 || code == 3, "ingestion exited {code}\n{out}\n{err}");
    last_ingestion(bin_dir, dir)
}

/// Every stored posting of the companies with boards: (board lower case, external id) → (open, canonical).
fn stored(
    bin_dir: &Path,
    dir: &Path,
    domains: &[String],
) -> Result<BTreeMap<(String, String), (bool, bool)>> {
    let mut out = BTreeMap::new();
    for domain in domains {
        let (code, json, err) = cli(bin_dir, dir, &["offers", "--company", domain, "--json"])?;
        ensure!(code == 0, "offers {domain}: {err}");
        for offer in serde_json::from_str::<Vec<Value>>(&json)? {
            let board = offer["board"].as_str().unwrap_or_default().to_lowercase();
            let id = offer["external_id"].as_str().unwrap_or_default().to_owned();
            let entry = (
                offer["closed_at"].is_null(),
                !offer["canonical_offer_id"].is_null(),
            );
            ensure!(
                out.insert((board, id), entry).is_none(),
                "{domain}: a posting stored twice"
            );
        }
    }
    Ok(out)
}

fn pairs(report: &Value, key: &str) -> Vec<(String, String)> {
    report[key]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| {
            let board = board_text(&p[0])?.to_lowercase();
            Some((board, p[1].as_str()?.to_owned()))
        })
        .collect()
}

pub(super) fn a_day_of_the_world_is_reflected_exactly(bin_dir: &Path) -> Result<()> {
    let dir = scratch("e2e-ingestion")?;
    let world = WorldProcess::start(bin_dir, 41, 90, &dir)?;
    write_config(&dir, CONFIG)?;
    raise_limits(&dir, None, 200.0)?;
    let (code, out, err) = cli(bin_dir, &dir, &["once"])?;
    ensure!(code == 0, "once exited {code}\n{out}\n{err}");
    let truth: Value = serde_json::from_str(&control(&world, "GET", "truth")?)?;
    let companies = truth["companies"].as_array().context("truth without companies")?;
    let with_boards: Vec<&Value> = companies
        .iter()
        .filter(|c| c["boards"].as_array().is_some_and(|b| !b.is_empty()))
        .collect();
    let providers: BTreeSet<&str> = with_boards
        .iter()
        .flat_map(|c| c["boards"].as_array().into_iter().flatten())
        .filter_map(|b| b["provider"].as_str())
        .collect();
    ensure!(
        PROVIDERS.iter().all(|p| providers.contains(p)),
        "the world uses {} providers: {providers:?}",
        providers.len()
    );
    let domains: Vec<String> = with_boards
        .iter()
        .filter_map(|c| c["domain"].as_str().map(str::to_owned))
        .collect();
    let before = stored(bin_dir, &dir, &domains)?;
    let open_truth: u64 = with_boards
        .iter()
        .filter_map(|c| c["open_postings"].as_u64())
        .sum();
    let open_now = before.values().filter(|(open, _)| *open).count() as u64;
    ensure!(
        open_now * 100 >= open_truth * 99 && open_now <= open_truth,
        "{open_now} open postings stored, the world lists {open_truth}"
    );

    let unchanged = ingest(bin_dir, &dir)?;
    let written: u64 = ["postings_new", "postings_updated", "postings_closed"]
        .iter()
        .map(|k| unchanged["counters"][k].as_u64().unwrap_or(0))
        .sum();
    ensure!(
        written == 0,
        "an unchanged world wrote {written} postings: {unchanged}"
    );

    let day: Value = serde_json::from_str(&control(&world, "POST", "advance-day")?)?;
    let moved: BTreeSet<String> = day["moved"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| board_text(&m["from"]).map(|b| b.to_lowercase()))
        .collect();
    let after_day = ingest(bin_dir, &dir)?;
    let after = stored(bin_dir, &dir, &domains)?;
    for key in pairs(&day, "closed") {
        if let Some((open, _)) = after.get(&key) {
            ensure!(!open, "{key:?} closed in the world, open here");
        }
    }
    let mut reposts = 0;
    for key in pairs(&day, "opened")
        .into_iter()
        .filter(|(b, _)| !moved.contains(b))
    {
        if before.keys().any(|(b, _)| *b == key.0) {
            ensure!(
                after.get(&key).is_some_and(|(open, _)| *open),
                "{key:?} opened in the world, not here"
            );
        }
    }
    for p in day["reposted"].as_array().into_iter().flatten() {
        let (Some(board), Some(id)) = (board_text(&p[0]), p[1].as_str()) else {
            continue;
        };
        if let Some((_, canonical)) = after.get(&(board.to_lowercase(), id.to_owned())) {
            ensure!(
                *canonical,
                "{board} {id} reposts {} but is stored as canonical",
                p[2]
            );
            reposts += 1;
        }
    }
    println!(
        "e2e ingestion: {open_now} open postings over {} boards; a day later {} closed, {} new, {reposts} world reposts linked; counters {}",
        before.keys().map(|(b, _)| b).collect::<BTreeSet<_>>().len(),
        after_day["counters"]["postings_closed"],
        after_day["counters"]["postings_new"],
        after_day["counters"]
    );
    std::fs::remove_dir_all(&dir).ok();
    Ok(())
}

pub(super) fn faults_close_nothing_and_kill_9_mid_stage_loses_nothing(bin_dir: &Path) -> Result<()> {
    let dir = scratch("e2e-ingestion-faults")?;
    let world = WorldProcess::start(bin_dir, 43, 60, &dir)?;
    write_config(&dir, CONFIG)?;
    raise_limits(&dir, None, 200.0)?;
    let (code, out, err) = cli(bin_dir, &dir, &["once"])?;
    ensure!(code == 0, "once exited {code}\n{out}\n{err}");

    control(
        &world,
        "POST",
        "faults?fault=429:1s&label=greenhouse&probability=0.5",
    )?;
    control(
        &world,
        "POST",
        "faults?fault=status:503&label=lever&probability=0.5",
    )?;
    control(&world, "POST", "faults?fault=truncate&label=ashby&count=1000")?;
    control(&world, "POST", "faults?fault=html&label=workable&count=1000")?;
    let faulty = ingest(bin_dir, &dir)?;
    let counter = |name: &str| faulty["counters"][name].as_u64().unwrap_or(0);
    println!(
        "e2e ingestion under faults: boards ok {}, failed {}, http_429 {}, http_5xx {}, closed {}",
        counter("boards_ok"),
        counter("boards_failed"),
        counter("http_429"),
        counter("http_5xx"),
        counter("postings_closed")
    );
    ensure!(
        counter("postings_closed") == 0,
        "faults closed postings: {faulty}"
    );
    ensure!(
        counter("http_429") >= 1 && counter("http_5xx") >= 1,
        "faults not counted: {faulty}"
    );
    ensure!(
        counter("boards_failed") >= 1,
        "truncated and malformed boards did not fail: {faulty}"
    );
    control(&world, "DELETE", "faults")?;

    // SIGKILL in the middle of a slow ingestion, then again at once: the run completes, nothing twice.
    control(&world, "PUT", "latency?delay=100ms")?;
    control(&world, "DELETE", "log")?;
    std::thread::sleep(Duration::from_millis(1100));
    kill_9_midway(bin_dir, &dir, "ingestion", "ingestion to be under way", || {
        let stats: Value = serde_json::from_str(&control(&world, "GET", "stats")?)?;
        let api: u64 = PROVIDERS
            .iter()
            .map(|p| stats[*p]["count"].as_u64().unwrap_or(0))
            .sum();
        Ok(api >= 20)
    })?;
    control(&world, "PUT", "latency?delay=0s")?;
    let (code, out, err) = cli(bin_dir, &dir, &["once", "--stage", "ingestion"])?;
    ensure!(code == 0, "resumed ingestion exited {code}\n{out}\n{err}");
    let latest = runs(bin_dir, &dir)?;
    ensure!(
        latest
            .iter()
            .any(|r| r["stage"] == "ingestion" && r["status"] == "abandoned"),
        "the killed run is not abandoned: {latest:?}"
    );
    let truth: Value = serde_json::from_str(&control(&world, "GET", "truth")?)?;
    let domains: Vec<String> = truth["companies"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["domain"].as_str().map(str::to_owned))
        .collect();
    // `stored` fails on any posting listed twice.
    let all = stored(bin_dir, &dir, &domains)?;
    ensure!(!all.is_empty(), "no postings stored");
    std::fs::remove_dir_all(&dir).ok();
    Ok(())
}
