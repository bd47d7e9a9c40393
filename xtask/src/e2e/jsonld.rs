//! End-to-end `jsonld`: careers sites of the world whose postings are schema.org `JobPosting` JSON-LD.
//! A company without an ATS is discovered (`how = "jsonld"`), its postings ingested and scored, `board
//! 'jsonld:…'` prints them; a posting removed from its site and one past its `validThrough` are closed on
//! the next ingestion; a careers page repeating its ATS board's postings adds no board; unreadable JSON-LD
//! is counted in the run, never a failure.

use std::path::Path;

use anyhow::{Context, Result, ensure};
use serde_json::Value;

use super::{cli, companies, control, port_of, runs, write_config};
use crate::world::{WorldProcess, raise_limits, scratch};

/// The world's companies.csv as the directory's one source; boards due again after a second.
const CONFIG: &str = "\n[directory]\nbuiltin = []\n\n[[directory.sources]]\nname = \"world-csv\"\nkind = \"csv\"\npath = \"companies.csv\"\n\n[ingestion]\nrefresh_after = \"1s\"\n";

/// The first company of the truth whose JSON-LD site is of `kind` (`Own`, `MirrorsAts`, `Broken`), with
/// `layout` when given.
fn company<'t>(truth: &'t Value, kind: &str, layout: Option<&str>) -> Result<&'t Value> {
    truth["companies"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| {
            let site = &c["jsonld"];
            let kind_matches = site["kind"].get(kind).is_some() || site["kind"] == kind;
            kind_matches && layout.is_none_or(|l| site["layout"] == l)
        })
        .with_context(|| format!("no {kind} {layout:?} JSON-LD site in the world"))
}

fn once_for(bin_dir: &Path, dir: &Path, domain: &str, stage: Option<&str>) -> Result<()> {
    let mut args = vec!["once", "--company", domain];
    if let Some(stage) = stage {
        std::thread::sleep(std::time::Duration::from_millis(1100));
        args.extend(["--stage", stage]);
    }
    let (code, out, err) = cli(bin_dir, dir, &args)?;
    ensure!(code == 0, "once --company {domain} exited {code}\n{out}\n{err}");
    Ok(())
}

/// The latest run of `stage`'s counters.
fn counters(bin_dir: &Path, dir: &Path, stage: &str) -> Result<Value> {
    let run = runs(bin_dir, dir)?.into_iter().find(|r| r["stage"] == stage);
    Ok(run.context("no run")?["counters"].clone())
}

/// external id → (open, score) of the company's stored postings.
fn offers(bin_dir: &Path, dir: &Path, domain: &str) -> Result<Vec<(String, bool, Value)>> {
    let (code, out, err) = cli(bin_dir, dir, &["offers", "--company", domain, "--json"])?;
    ensure!(code == 0, "offers exited {code}: {err}");
    let offers: Vec<Value> = serde_json::from_str(&out)?;
    Ok(offers
        .into_iter()
        .map(|o| {
            let id = o["external_id"].as_str().unwrap_or_default().to_owned();
            (id, o["closed_at"].is_null(), o["score"].clone())
        })
        .collect())
}

fn boards_of(bin_dir: &Path, dir: &Path, domain: &str) -> Result<Vec<(String, String)>> {
    let list = companies(bin_dir, dir)?;
    let company = list
        .iter()
        .find(|c| c["domain"] == domain)
        .context("company not stored")?;
    Ok(company["boards"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|b| {
            (
                b["board"].as_str().unwrap_or_default().to_owned(),
                b["status"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect())
}

pub(super) fn careers_sites(bin_dir: &Path) -> Result<()> {
    let dir = scratch("e2e-jsonld")?;
    let world = WorldProcess::start(bin_dir, 11, 300, &dir)?;
    write_config(&dir, CONFIG)?;
    raise_limits(&dir, None, 200.0)?;
    let truth: Value = serde_json::from_str(&control(&world, "GET", "truth")?)?;
    let own = company(&truth, "Own", Some("JobPages"))?;
    let domain = own["domain"].as_str().context("no domain")?;
    let board = super::discovery::board_text(&own["jsonld"]["kind"]["Own"]).context("no board")?;

    once_for(bin_dir, &dir, domain, None)?;
    ensure!(
        boards_of(bin_dir, &dir, domain)? == [(board.clone(), "active".to_owned())],
        "{domain}: {:?}",
        boards_of(bin_dir, &dir, domain)?
    );
    let stored = offers(bin_dir, &dir, domain)?;
    let open_truth = own["open_postings"].as_u64().unwrap_or(0) as usize;
    ensure!(
        stored.len() == open_truth && open_truth >= 2,
        "{} stored, {open_truth} in the world",
        stored.len()
    );
    ensure!(
        stored.iter().all(|(_, open, score)| *open && score.is_number()),
        "not all open and scored: {stored:?}"
    );

    let port = port_of(&world)?;
    let (code, out, err) = cli(
        bin_dir,
        &dir,
        &["detect", &format!("http://{domain}:{port}/"), "--json"],
    )?;
    ensure!(code == 0, "detect exited {code}: {err}");
    let detected: Value = serde_json::from_str(&out)?;
    ensure!(
        detected["boards"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|b| b["board"] == board.as_str() && b["how"] == "jsonld"),
        "detect: {out}"
    );
    let (code, out, err) = cli(bin_dir, &dir, &["board", &board, "--json"])?;
    ensure!(code == 0, "board exited {code}: {err}");
    let printed: Value = serde_json::from_str(&out)?;
    ensure!(
        printed["provider"] == "jsonld" && printed["postings"].as_array().map(Vec::len) == Some(open_truth),
        "board: {out}"
    );

    let (removed, expired) = (&stored[0].0, &stored[1].0);
    let key = board.to_lowercase();
    control(
        &world,
        "POST",
        &format!("postings/close?board={}&id={removed}", encode(&key)),
    )?;
    control(
        &world,
        "POST",
        &format!("postings/expire?board={}&id={expired}", encode(&key)),
    )?;
    once_for(bin_dir, &dir, domain, Some("ingestion"))?;
    let ingestion = counters(bin_dir, &dir, "ingestion")?;
    ensure!(ingestion["postings_closed"] == 2, "ingestion: {ingestion}");
    let after = offers(bin_dir, &dir, domain)?;
    let open = |id: &str| after.iter().any(|(i, open, _)| i == id && *open);
    ensure!(
        !open(removed) && !open(expired),
        "removed or expired still open: {after:?}"
    );
    ensure!(after.iter().filter(|(_, open, _)| *open).count() == open_truth - 2);

    let mirror = company(&truth, "MirrorsAts", None)?["domain"]
        .as_str()
        .context("no domain")?;
    once_for(bin_dir, &dir, mirror, None)?;
    let discovery = counters(bin_dir, &dir, "discovery")?;
    ensure!(
        discovery["skipped_jsonld_duplicate"] == 1,
        "{mirror}: {discovery}"
    );
    let boards = boards_of(bin_dir, &dir, mirror)?;
    ensure!(
        !boards.is_empty() && boards.iter().all(|(b, _)| !b.starts_with("jsonld:")),
        "{mirror}: {boards:?}"
    );

    let broken = company(&truth, "Broken", None)?["domain"]
        .as_str()
        .context("no domain")?;
    once_for(bin_dir, &dir, broken, None)?;
    let discovery = counters(bin_dir, &dir, "discovery")?;
    ensure!(
        discovery["jsonld_malformed"].as_u64().unwrap_or(0) >= 2,
        "{broken}: {discovery}"
    );
    println!(
        "e2e jsonld: {domain} {open_truth} postings discovered, ingested, scored, 2 closed; {mirror} no second board; {broken} {} malformed scripts counted",
        discovery["jsonld_malformed"]
    );
    std::fs::remove_dir_all(&dir).ok();
    Ok(())
}

/// A board key as a query value.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
