//! End-to-end directory scenarios: the world's three directories and its CSV, lists fetched by URL.

use std::path::Path;

use anyhow::{Result, bail, ensure};
use serde_json::Value;

use super::{cli, companies, port_of, write_config};
use crate::world::{WorldProcess, scratch};

/// The world's three directories and its companies.csv as a CSV source: every CSV company exists once, the
/// directory companies are among them with their sources recorded, and a second run changes nothing.
pub(super) fn reads_the_world(bin_dir: &Path) -> Result<()> {
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

/// Lists fetched by URL (a CSV and a JSON Lines file hosted by `lists.test`) are streamed and loaded.
pub(super) fn reads_lists_by_url(bin_dir: &Path) -> Result<()> {
    let dir = scratch("e2e-lists")?;
    let world = WorldProcess::start(bin_dir, 11, 40, &dir)?;
    let port = port_of(&world)?;
    write_config(
        &dir,
        &format!(
            "\n[directory]\nbuiltin = []\n\n[[directory.sources]]\nname = \"csv-url\"\nkind = \"csv\"\nurl = \"http://lists.test:{port}/companies.csv\"\n\n[[directory.sources]]\nname = \"jsonl-url\"\nkind = \"json\"\nurl = \"http://lists.test:{port}/companies.jsonl\"\n"
        ),
    )?;
    let (code, out, err) = cli(bin_dir, &dir, &["once"])?;
    ensure!(code == 0, "once exited {code}\n{out}\n{err}");
    let list = companies(bin_dir, &dir)?;
    ensure!(list.len() == 40, "{} companies from 40-row lists", list.len());
    for c in &list {
        ensure!(
            c["sources"] == serde_json::json!(["csv-url", "jsonl-url"]),
            "sources of {c}"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
    Ok(())
}
