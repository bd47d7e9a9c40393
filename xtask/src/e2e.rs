//! `cargo xtask e2e`: the real `pipeline-cli` against the simulated world (`pipeline-world`), each scenario
//! in its own directory.

use std::path::Path;
use std::process::{Command, Output};

use anyhow::{Context, Result, bail, ensure};
use serde_json::Value;

use crate::cmd;
use crate::world::{WorldProcess, scratch};

type Scenario = fn(&Path) -> Result<()>;

const SCENARIOS: &[(&str, Scenario)] = &[(
    "directory_reads_the_world_directories_and_csv",
    directory_reads_the_world,
)];

pub fn run() -> Result<()> {
    let bin_dir = cmd::build_bins(
        &[
            ("pipeline-cli", "pipeline-cli"),
            ("pipeline-testkit", "pipeline-world"),
        ],
        false,
    )?;
    let (mut passed, mut failed) = (0, 0);
    for (name, scenario) in SCENARIOS {
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
    println!("e2e: {passed} passed, {failed} failed");
    ensure!(failed == 0, "{failed} end-to-end scenario(s) failed");
    Ok(())
}

fn cli(bin_dir: &Path, dir: &Path, args: &[&str]) -> Result<(i32, String, String)> {
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

fn companies(bin_dir: &Path, dir: &Path) -> Result<Vec<Value>> {
    let (code, out, err) = cli(bin_dir, dir, &["companies", "--json"])?;
    ensure!(code == 0, "companies --json exited {code}: {err}");
    let value: Value = serde_json::from_str(&out)?;
    Ok(value.as_array().cloned().unwrap_or_default())
}

/// The world's three directories and its companies.csv as a CSV source: every CSV company exists once, the
/// directory companies are among them with their sources recorded, and a second run changes nothing.
fn directory_reads_the_world(bin_dir: &Path) -> Result<()> {
    let dir = scratch("e2e-directory")?;
    let _world = WorldProcess::start(bin_dir, 7, 80, &dir)?;
    let source = "\n[[directory.sources]]\nname = \"world-csv\"\nkind = \"csv\"\npath = \"companies.csv\"\n";
    let config = std::fs::read_to_string(dir.join("pipeline.toml"))? + source;
    std::fs::write(dir.join("pipeline.toml"), config)?;
    let csv_rows = std::fs::read_to_string(dir.join("companies.csv"))?
        .lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .count();

    let (code, out, err) = cli(bin_dir, &dir, &["once", "--stage", "directory"])?;
    ensure!(code == 0, "once exited {code}\n{out}\n{err}");
    let list = companies(bin_dir, &dir)?;
    let sources_of = |c: &Value| -> Vec<String> {
        let names = c["sources"].as_array().into_iter().flatten();
        names.filter_map(|v| v.as_str().map(str::to_owned)).collect()
    };
    // Directories also list a few companies without a website (name-only); every company with a website
    // is one of the CSV's, exactly once.
    let (listed, name_only): (Vec<&Value>, Vec<&Value>) = list.iter().partition(|c| c["domain"].is_string());
    ensure!(
        listed.len() == csv_rows,
        "{} companies with a website for {csv_rows} CSV rows",
        listed.len()
    );
    let csv = "world-csv".to_owned();
    ensure!(
        listed.iter().all(|c| sources_of(c).contains(&csv)),
        "a company lacks its CSV source"
    );
    ensure!(
        name_only.iter().all(|c| !sources_of(c).contains(&csv)),
        "a CSV row lost its website"
    );
    for builtin in ["catalonia", "madrimasd", "lanzadera"] {
        let from_builtin = |c: &&Value| sources_of(c).iter().any(|s| s == builtin);
        ensure!(list.iter().any(|c| from_builtin(&c)), "no company from {builtin}");
    }
    if let Some(c) = listed
        .iter()
        .find(|c| !c["domain"].as_str().unwrap_or("").ends_with(".test"))
    {
        bail!("a company outside the world: {c}");
    }

    let (code, out, err) = cli(bin_dir, &dir, &["once", "--stage", "directory"])?;
    ensure!(
        code == 0 && !out.contains("companies_new"),
        "second run changed companies: {out}\n{err}"
    );
    ensure!(
        companies(bin_dir, &dir)?.len() == list.len(),
        "second run changed the count"
    );
    std::fs::remove_dir_all(&dir).ok();
    Ok(())
}
