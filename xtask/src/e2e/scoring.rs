//! End-to-end rescoring under SIGKILL: a world's postings stored and scored by `once`, then the catalog
//! edited and the rescore killed part-way; the next `once --stage scoring` takes the dead run's lock over and
//! scores exactly the postings the killed run had not reached — the killed run's count (saved with each
//! batch) plus the rerun's is every posting, once — and a third run finds nothing to score.

use std::path::Path;

use anyhow::{Context, Result, ensure};
use serde_json::Value;

use super::{cli, kill_9_midway, runs};
use crate::cmd::root;
use crate::world::{WorldProcess, raise_limits, scratch};

/// Enough companies for a few thousand postings: the rescore lasts long enough to be killed midway.
const COMPANIES: usize = 150;

const SOURCE: &str = "\n[directory]\nbuiltin = []\n\n[[directory.sources]]\nname = \"world-csv\"\nkind = \"csv\"\npath = \"companies.csv\"\n";

/// The scoring runs as `status --json` lists them, newest first.
fn scoring_runs(bin_dir: &Path, dir: &Path) -> Result<Vec<Value>> {
    Ok(runs(bin_dir, dir)?
        .into_iter()
        .filter(|r| r["stage"] == "scoring")
        .collect())
}

fn scored(run: &Value) -> u64 {
    run["counters"]["postings_scored"].as_u64().unwrap_or(0)
}

pub(super) fn a_rescore_killed_midway_then_rerun_scores_every_posting_once(bin_dir: &Path) -> Result<()> {
    let dir = scratch("e2e-rescore")?;
    let _world = WorldProcess::start(bin_dir, 43, COMPANIES, &dir)?;
    std::fs::copy(
        root().join("crates/scoring/catalog/default.toml"),
        dir.join("catalog.toml"),
    )?;
    let config = std::fs::read_to_string(dir.join("pipeline.toml"))?;
    // `catalog` is a top-level key: it goes before the world's tables.
    std::fs::write(
        dir.join("pipeline.toml"),
        format!("catalog = \"catalog.toml\"\n{config}{SOURCE}"),
    )?;
    raise_limits(&dir, None, 200.0)?;
    let (code, out, err) = cli(bin_dir, &dir, &["once"])?;
    ensure!(code == 0, "once exited {code}\n{out}\n{err}");
    let first = scoring_runs(bin_dir, &dir)?;
    let total = first.first().map(scored).context("no scoring run")?;
    ensure!(
        total >= 2_000,
        "only {total} postings scored: too few to kill a rescore midway"
    );

    // A new catalog version: every posting is to be scored again. Killed once a batch is written.
    let catalog = std::fs::read_to_string(dir.join("catalog.toml"))?;
    let edited = catalog.replacen("version = \"2.0.0\"", "version = \"2.0.1\"", 1);
    ensure!(edited != catalog, "the catalog's version line moved");
    std::fs::write(dir.join("catalog.toml"), edited)?;
    kill_9_midway(bin_dir, &dir, "scoring", "the rescore to be under way", || {
        Ok(scoring_runs(bin_dir, &dir)?
            .first()
            .is_some_and(|r| r["status"] == "running" && scored(r) > 0))
    })?;

    let (code, out, err) = cli(bin_dir, &dir, &["once", "--stage", "scoring"])?;
    ensure!(code == 0, "the rerun exited {code}\n{out}\n{err}");
    let after = scoring_runs(bin_dir, &dir)?;
    let [rerun, killed, ..] = after.as_slice() else {
        anyhow::bail!("scoring runs: {after:?}");
    };
    ensure!(
        killed["status"] == "abandoned" && rerun["status"] == "succeeded",
        "statuses: killed {}, rerun {}",
        killed["status"],
        rerun["status"]
    );
    let (done, rest) = (scored(killed), scored(rerun));
    println!("e2e rescore: {total} postings, {done} scored before SIGKILL, {rest} by the rerun");
    ensure!(
        0 < done && done < total,
        "the killed run scored {done} of {total}: not midway"
    );
    ensure!(
        done + rest == total,
        "{done} before the kill + {rest} after != {total}: a posting scored twice or skipped"
    );

    let (code, out, err) = cli(bin_dir, &dir, &["once", "--stage", "scoring"])?;
    ensure!(code == 0, "the third run exited {code}\n{out}\n{err}");
    let idle = scoring_runs(bin_dir, &dir)?;
    ensure!(
        idle.first().map(scored) == Some(0),
        "a third run scored again: {:?}",
        idle.first()
    );
    std::fs::remove_dir_all(&dir).ok();
    Ok(())
}
