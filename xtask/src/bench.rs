//! `cargo xtask bench [directory|scoring|scan|discovery|discovery-jsonld|ingestion|cycle]`: criterion benchmarks,
//! plus the directory-load figures of the real binary (rows/s, peak RSS, DB size) on a 100,000-row CSV with 1% bad
//! rows and 10% duplicates, and its peak RSS on endless list bodies served from loopback until
//! `directory.max_source_size` cuts them; `discovery`: the discovery stage's figures against the simulated
//! world (`bench/discovery.rs`), what reading JSON-LD adds to it (`discovery-jsonld`, also part of
//! `discovery`); `ingestion [--boards N] [--latency-ms MS] [--tls] [--only CASE]`: the ingestion stage's
//! (`bench/ingestion/`); `cycle [--companies N] [--latency MS] [--workers K] [--db sqlite|postgres] [--json]`:
//! whole cycles, directory to sheets, against the world at the default provider limits (`bench/cycle/`; not
//! part of a bare `cargo xtask bench`: at 10,000 companies the limits make it take about an hour).

/// A line of conditions under a figure ([`common::figure`]).
macro_rules! note {
    ($($arg:tt)*) => { println!("{:15}{}", "", format!($($arg)*)) };
}

mod common;
mod cycle;
mod discovery;
mod discovery_jsonld;
mod ingestion;
mod watch;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::time::Duration;

use anyhow::{Result, bail, ensure};

use crate::cmd::{self, cargo};
use crate::world::scratch;

const ROWS: usize = 100_000;

pub fn run(args: &[String]) -> Result<()> {
    match args.first().map(String::as_str) {
        None => {
            directory()?;
            scoring()?;
            scan()?;
            discovery::run()?;
            ingestion::run(&[])
        }
        Some("directory") => directory(),
        Some("scoring") => scoring(),
        Some("scan") => scan(),
        Some("discovery") => discovery::run(),
        Some("discovery-jsonld") => discovery_jsonld::run(),
        Some("ingestion") => ingestion::run(&args[1..]),
        Some("cycle") => cycle::run(&args[1..]),
        Some(other) => {
            bail!(
                "unknown benchmark `{other}` (known: directory, scoring, scan, discovery, discovery-jsonld, ingestion, cycle)"
            )
        }
    }
}

/// `scan_page` on a 2 MB page, ≈1.9 MB of it inline script, its board link in the footer
/// (docs/stages.md#discovery-scanning).
fn scan() -> Result<()> {
    cmd::run(cargo().args(["bench", "-p", "pipeline-discovery", "--bench", "scan"]))
}

/// The matcher's MB/s per core (built-in catalog, and 5,000 generated aliases more) and match + score of
/// 10,000 generated postings; then the scoring stage on 150,000 stored postings of 10,000 companies (score
/// and persist, re-aggregate, an idle cycle).
fn scoring() -> Result<()> {
    cmd::run(cargo().args(["bench", "-p", "pipeline-scoring", "--bench", "scoring"]))?;
    cmd::run(cargo().args(["bench", "-p", "pipeline-runners", "--bench", "scoring_stage"]))
}

fn directory() -> Result<()> {
    cmd::run(cargo().args(["bench", "-p", "pipeline-runners", "--bench", "directory"]))?;
    let bin_dir = cmd::build_bins(&[("pipeline-cli", "pipeline-cli")], true)?;
    let dir = scratch("bench-directory")?;
    write_csv(&dir.join("companies.csv"), ROWS)?;
    let config = "[directory]\nbuiltin = []\n\n[[directory.sources]]\nname = \"bench\"\nkind = \"csv\"\npath = \"companies.csv\"\n";
    std::fs::write(dir.join("pipeline.toml"), config)?;
    let (elapsed, peak_kb, _) = run_measured(&bin_dir.join("pipeline-cli"), &dir, 0)?;
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
    endless_sources(&bin_dir.join("pipeline-cli"))
}

/// The most a directory load may hold in memory, whatever the list: lists are streamed.
const FLAT_RSS_MB: f64 = 100.0;

/// One endless list body: what the source declares, the path it is served on, its start and the chunk
/// repeated after it for as long as the client reads.
struct Endless {
    label: &'static str,
    kind: &'static str,
    path: &'static str,
    head: &'static str,
    chunk: fn() -> String,
}

const ENDLESS: [Endless; 3] = [
    Endless {
        label: "JSON array, 10 KB elements",
        kind: "json",
        path: "/array.json",
        head: "[",
        chunk: || {
            let pad = "x".repeat(10_000);
            format!(r#"{{"name":"Endless","website":"endless.example","pad":"{pad}"}},"#).repeat(8)
        },
    },
    Endless {
        label: "JSON Lines, one endless line",
        kind: "json",
        path: "/line.jsonl",
        head: r#"{"name":"Endless","pad":""#,
        chunk: || "x".repeat(64 * 1024),
    },
    Endless {
        label: "CSV, one endless line",
        kind: "csv",
        path: "/line.csv",
        head: "name,website\nEndless,endless.example\n",
        chunk: || "x".repeat(64 * 1024),
    },
];

/// Each endless body read by `pipeline-cli once` until the default 1 GB source cap: the source fails (exit
/// 3) and the peak RSS must stay under [`FLAT_RSS_MB`].
fn endless_sources(cli: &Path) -> Result<()> {
    let port = serve_endless()?;
    println!("endless list bodies on loopback (release binary, cut at directory.max_source_size = 1GB):");
    for case in &ENDLESS {
        let dir = scratch("bench-endless")?;
        let config = format!(
            "[http]\ntimeout = \"1h\"\n\n[directory]\nbuiltin = []\n\n[[directory.sources]]\nname = \"endless\"\n\
             kind = \"{}\"\nurl = \"http://127.0.0.1:{port}{}\"\n",
            case.kind, case.path
        );
        std::fs::write(dir.join("pipeline.toml"), config)?;
        let (elapsed, peak_kb, out) = run_measured(cli, &dir, 3)?;
        let reason = out
            .lines()
            .find(|l| l.contains(" cap "))
            .map(str::trim)
            .unwrap_or("(no cap reason in the summary)")
            .to_owned();
        let peak_mb = peak_kb as f64 / 1024.0;
        println!(
            "  {:<30} {elapsed:>6.1?}  peak RSS {peak_mb:>5.1} MB  {reason}",
            case.label
        );
        std::fs::remove_dir_all(&dir).ok();
        ensure!(
            reason.contains("cap after"),
            "{}: not cut at its cap: {out}",
            case.label
        );
        ensure!(peak_mb < FLAT_RSS_MB, "{}: peak RSS {peak_mb:.1} MB", case.label);
    }
    Ok(())
}

/// A loopback server answering each request for an [`ENDLESS`] path with that body, forever (until the
/// client hangs up); its port.
fn serve_endless() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || answer_endlessly(stream));
        }
    });
    Ok(port)
}

fn answer_endlessly(mut stream: TcpStream) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut header = String::new();
    while reader.read_line(&mut header)? > 2 {
        header.clear();
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("/");
    let Some(case) = ENDLESS.iter().find(|c| c.path == path) else {
        return stream.write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
    };
    stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n")?;
    stream.write_all(case.head.as_bytes())?;
    let chunk = (case.chunk)();
    loop {
        stream.write_all(chunk.as_bytes())?;
    }
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

/// Runs `once` in `dir`, sampling the child's peak resident set (VmHWM) until it exits with `code`; its
/// time, peak RSS in KB and standard output (the summary).
fn run_measured(cli: &Path, dir: &Path, code: i32) -> Result<(Duration, u64, String)> {
    let (elapsed, peak_kb, _, out) = run_stage_measured(cli, dir, "directory", &[code])?;
    Ok((elapsed, peak_kb, out))
}

/// Runs `once --stage STAGE -qq` in `dir`, watched until it exits with one of `codes`; its time, peak RSS
/// in KB, exit code and standard output (the summary).
fn run_stage_measured(
    cli: &Path,
    dir: &Path,
    stage: &str,
    codes: &[i32],
) -> Result<(Duration, u64, i32, String)> {
    let (done, out) = watch::run_cli(cli, dir, &["once", "--stage", stage, "-qq"], codes)?;
    Ok((done.elapsed, done.peak_kb, done.exit(), out))
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_endless_server_sends_its_head_then_repeats_its_chunk() {
        use std::io::{Read, Write};
        let port = super::serve_endless().unwrap();
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream
            .write_all(b"GET /line.csv HTTP/1.1\r\nhost: x\r\n\r\n")
            .unwrap();
        let mut received = vec![0; 300_000];
        stream.read_exact(&mut received).unwrap();
        let text = String::from_utf8(received).unwrap();
        let body = text.split_once("\r\n\r\n").unwrap().1;
        assert!(body.starts_with("name,website\nEndless,endless.example\nxxxx"));
        assert!(
            body.trim_start_matches(super::ENDLESS[2].head)
                .bytes()
                .all(|b| b == b'x')
        );
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
