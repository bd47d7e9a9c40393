//! `cargo xtask bench [directory]`: criterion benchmarks, plus the directory-load figures of the real
//! binary (rows/s, peak RSS, DB size) on a 100,000-row CSV with 1% bad rows and 10% duplicates.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Result, bail, ensure};

use crate::cmd::{self, cargo};
use crate::world::scratch;

const ROWS: usize = 100_000;

pub fn run(args: &[String]) -> Result<()> {
    match args.first().map(String::as_str) {
        None => {
            directory()?;
            scoring()
        }
        Some("directory") => directory(),
        Some("scoring") => scoring(),
        Some(other) => bail!("unknown benchmark `{other}` (known: directory, scoring)"),
    }
}

/// Match + score of 10,000 generated postings (~400 words, Spanish and English) against the built-in
/// catalog.
fn scoring() -> Result<()> {
    cmd::run(cargo().args(["bench", "-p", "pipeline-scoring", "--bench", "scoring"]))
}

fn directory() -> Result<()> {
    cmd::run(cargo().args(["bench", "-p", "pipeline-runners", "--bench", "directory"]))?;
    let bin_dir = cmd::build_bins(&[("pipeline-cli", "pipeline-cli")], true)?;
    let dir = scratch("bench-directory")?;
    write_csv(&dir.join("companies.csv"), ROWS)?;
    let config = "[directory]\nbuiltin = []\n\n[[directory.sources]]\nname = \"bench\"\nkind = \"csv\"\npath = \"companies.csv\"\n";
    std::fs::write(dir.join("pipeline.toml"), config)?;
    let (elapsed, peak_kb) = run_measured(&bin_dir.join("pipeline-cli"), &dir)?;
    let db_size = std::fs::metadata(dir.join("data/pipeline.db"))?.len()
        + std::fs::metadata(dir.join("data/pipeline.db-wal"))
            .map(|m| m.len())
            .unwrap_or(0);
    println!("directory load (release binary, `pipeline-cli once`, empty SQLite DB):");
    println!("  rows            {ROWS} (1% bad, 10% duplicates)");
    println!("  wall time       {:.2} s", elapsed.as_secs_f64());
    println!(
        "  throughput      {:.0} rows/s",
        ROWS as f64 / elapsed.as_secs_f64()
    );
    println!("  peak RSS        {:.1} MB", peak_kb as f64 / 1024.0);
    println!("  database size   {:.1} MB", db_size as f64 / 1_048_576.0);
    std::fs::remove_dir_all(&dir).ok();
    Ok(())
}

/// A deterministic list: every 100th row bad (no name, no website), every 10th a repeat of an earlier
/// company written differently (www., upper case, trailing slash).
pub fn write_csv(path: &Path, rows: usize) -> Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(out, "name,website,city")?;
    for i in 0..rows {
        if i % 100 == 99 {
            writeln!(out, ",,Nowhere")?;
        } else if i % 10 == 5 {
            let j = i - 5;
            writeln!(out, "Company {j} S.L.,HTTP://WWW.COMPANY-{j}.EXAMPLE.COM/,Madrid")?;
        } else {
            writeln!(out, "Company {i},https://company-{i}.example.com,Madrid")?;
        }
    }
    out.flush()?;
    Ok(())
}

/// Runs `once` in `dir`, sampling the child's peak resident set (VmHWM) until it exits.
fn run_measured(cli: &Path, dir: &Path) -> Result<(Duration, u64)> {
    let start = Instant::now();
    let mut child = Command::new(cli)
        .args(["once", "-qq"])
        .current_dir(dir)
        .stdout(Stdio::null())
        .spawn()?;
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0;
    let status = loop {
        if let Some(kb) = std::fs::read_to_string(&status_file)
            .ok()
            .as_deref()
            .and_then(vm_hwm_kb)
        {
            peak_kb = peak_kb.max(kb);
        }
        if let Some(status) = child.try_wait()? {
            break status;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    ensure!(status.success(), "pipeline-cli once failed: {status}");
    Ok((start.elapsed(), peak_kb))
}

fn vm_hwm_kb(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(test)]
mod tests {

    #[test]
    fn vm_hwm_is_read_from_proc_status() {
        assert_eq!(
            super::vm_hwm_kb("Name:\tx\nVmHWM:\t  51234 kB\nVmRSS:\t1 kB\n"),
            Some(51234)
        );
        let own = std::fs::read_to_string("/proc/self/status").unwrap();
        assert!(super::vm_hwm_kb(&own).unwrap() > 0);
    }

    #[test]
    fn the_bench_csv_has_its_bad_rows_and_duplicates() {
        let dir = std::env::temp_dir().join(format!("xtask-csv-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("c.csv");
        super::write_csv(&path, 1000).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 1001);
        assert_eq!(text.lines().filter(|l| l.starts_with(",,")).count(), 10);
        assert_eq!(text.lines().filter(|l| l.contains("WWW.")).count(), 100);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
