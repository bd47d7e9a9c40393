//! End-to-end Sheets: the real binary (google-sheets4 + yup-oauth2, a real JWT grant) against the world's
//! Google. 10,000 companies are appended to an empty tab, then synced again, each in a handful of values
//! calls (counted in the world's request log) and within the time target; people's edits (a resolution,
//! model feedback, a sort) survive the next sync and are applied by `--force-feedback`; a Sheets API
//! answering 500 makes the cycle exit 3 with the DB untouched.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result, ensure};
use serde_json::Value;

use super::{cli, control, control_with_body, runs, write_config};
use crate::world::{WorldProcess, scratch};

const COMPANIES: usize = 10_000;
/// The bound on values API calls for each of: syncing a sheet that holds every company, appending them all.
const MAX_VALUES_CALLS: usize = 5;

const CONFIG: &str = "\n[directory]\nbuiltin = []\n\n[[directory.sources]]\nname = \"many\"\nkind = \"csv\"\npath = \"many.csv\"\n";

fn write_companies(path: &Path) -> Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(out, "name,website")?;
    for i in 0..COMPANIES {
        // Every tenth name looks like a formula: it must stay text in the sheet.
        if i % 10 == 0 {
            writeln!(
                out,
                "\"=HYPERLINK(\"\"x\"\";\"\"Co {i}\"\")\",https://co-{i}.example.com"
            )?;
        } else {
            writeln!(out, "Co {i},https://co-{i}.example.com")?;
        }
    }
    out.flush()?;
    Ok(())
}

/// Values API calls in the world's log since it was last cleared.
fn values_calls(world: &WorldProcess) -> Result<usize> {
    let log: Vec<Value> = serde_json::from_str(&control(world, "GET", "log?label=sheets")?)?;
    control(world, "DELETE", "log")?;
    Ok(log
        .iter()
        .filter(|e| e["path"].as_str().is_some_and(|p| p.contains("/values")))
        .count())
}

/// The duration the summary printed for `stage` (`  sheets  succeeded  1.2s  ...`).
fn stage_duration(summary: &str, stage: &str) -> Result<Duration> {
    let line = summary
        .lines()
        .find(|l| l.trim_start().starts_with(stage))
        .with_context(|| format!("no `{stage}` line in\n{summary}"))?;
    let seconds = line
        .split_whitespace()
        .find_map(|w| w.strip_suffix('s')?.parse::<f64>().ok())
        .with_context(|| format!("no duration in {line:?}"))?;
    Ok(Duration::from_secs_f64(seconds))
}

fn last_run(bin_dir: &Path, dir: &Path, stage: &str) -> Result<Value> {
    runs(bin_dir, dir)?
        .into_iter()
        .find(|r| r["stage"] == stage)
        .with_context(|| format!("no {stage} run"))
}

fn tab(world: &WorldProcess) -> Result<Vec<Vec<String>>> {
    Ok(serde_json::from_str(&control(world, "GET", "sheets/Companies")?)?)
}

pub(super) fn ten_thousand_companies_in_a_few_calls_then_feedback(bin_dir: &Path) -> Result<()> {
    let dir = scratch("e2e-sheets")?;
    let world = WorldProcess::start(bin_dir, 61, 4, &dir)?;
    write_config(&dir, CONFIG)?;
    write_companies(&dir.join("many.csv"))?;
    let (code, out, err) = cli(bin_dir, &dir, &["once", "--stage", "directory"])?;
    ensure!(code == 0, "directory exited {code}\n{out}\n{err}");
    control(&world, "DELETE", "log")?;

    // An empty tab: the header, then every company appended.
    let (code, out, err) = cli(bin_dir, &dir, &["once", "--stage", "sheets"])?;
    ensure!(code == 0, "sheets exited {code}\n{out}\n{err}");
    let appended = values_calls(&world)?;
    let first = stage_duration(&out, "sheets")?;
    let run = last_run(bin_dir, &dir, "sheets")?;
    ensure!(run["counters"]["rows_appended"] == COMPANIES, "{run}");
    let rows = tab(&world)?;
    ensure!(rows.len() == COMPANIES + 1, "{} rows in the tab", rows.len());
    ensure!(
        rows[1][1].starts_with("=HYPERLINK"),
        "a formula-looking name stays text: {:?}",
        rows[1]
    );
    ensure!(
        appended <= MAX_VALUES_CALLS + 1,
        "appending took {appended} values calls"
    );

    // In step: one read. Then people's edits: a resolution, model feedback, a sort, a stale score.
    let (code, out, err) = cli(bin_dir, &dir, &["once", "--stage", "sheets"])?;
    ensure!(code == 0, "sheets exited {code}\n{out}\n{err}");
    let unchanged = values_calls(&world)?;
    ensure!(unchanged == 1, "a sheet in step took {unchanged} values calls");
    let second = stage_duration(&out, "sheets")?;
    let mut rows = tab(&world)?;
    let target = rows[5][0].clone();
    rows[5].resize(15, String::new());
    rows[5][2] = "ACCEPTED".into();
    rows[5][10] = "OK".into();
    rows[5][11] = "signed".into();
    for row in rows.iter_mut().skip(1).step_by(2) {
        row.resize(15, String::new());
        row[3] = "9.9".into();
    }
    rows[1..].reverse();
    control_with_body(&world, "PUT", "sheets/Companies", &serde_json::to_string(&rows)?)?;
    control(&world, "DELETE", "log")?;
    let (code, out, err) = cli(bin_dir, &dir, &["once", "--stage", "sheets"])?;
    ensure!(code == 0, "sheets exited {code}\n{out}\n{err}");
    let updated = values_calls(&world)?;
    ensure!(
        updated <= MAX_VALUES_CALLS,
        "updating took {updated} values calls"
    );
    let third = stage_duration(&out, "sheets")?;
    let run = last_run(bin_dir, &dir, "sheets")?;
    ensure!(run["counters"]["rows_updated"] == COMPANIES / 2, "{run}");
    let rows = tab(&world)?;
    let row = rows.iter().find(|r| r[0] == target).context("the edited row")?;
    ensure!(
        row[2] == "ACCEPTED" && row[10] == "OK" && row[11] == "signed" && row[3] == "0",
        "people's columns kept, the score restored: {row:?}"
    );
    eprintln!(
        "  sheets of {COMPANIES} rows: append {appended} values calls {first:?}, in step {unchanged} call {second:?}, {} rows updated after a sort {updated} calls {third:?}",
        COMPANIES / 2
    );
    // Reported, not asserted: the time depends on the machine's load (speed is the benchmarks' business).
    for (what, took) in [("append", first), ("in step", second), ("update", third)] {
        eprintln!("e2e sheets: the {what} sync of {COMPANIES} companies took {took:.1?}");
    }

    let (code, out, err) = cli(
        bin_dir,
        &dir,
        &["once", "--stage", "feedback", "--force-feedback"],
    )?;
    ensure!(code == 0, "feedback exited {code}\n{out}\n{err}");
    let run = last_run(bin_dir, &dir, "feedback")?;
    ensure!(
        run["counters"]["resolutions_changed"] == 1 && run["counters"]["feedback_stored"] == 1,
        "{run}"
    );

    // The API failing: best-effort, exit 3, nothing in the DB changes.
    let (_, before, _) = cli(bin_dir, &dir, &["companies", "--json"])?;
    control(&world, "POST", "faults?fault=500&label=sheets&count=1000")?;
    let (code, out, err) = cli(
        bin_dir,
        &dir,
        &[
            "once",
            "--stage",
            "sheets",
            "--stage",
            "feedback",
            "--force-feedback",
        ],
    )?;
    ensure!(code == 3, "a failing Sheets API exited {code}\n{out}\n{err}");
    let (_, after, _) = cli(bin_dir, &dir, &["companies", "--json"])?;
    ensure!(before == after, "the DB changed while Sheets failed");
    Ok(())
}
