//! The binary, run as a user runs it, in temporary directories, one test binary with a module per topic.
//! Nothing here reaches a real host: the built-in directories are pointed at a closed loopback port or disabled.
//!
//! Human text output is checked whole, against `expect![[...]]` snapshots of it after [`normalize`] (which
//! replaces what changes from run to run with placeholders). After a deliberate change of the output,
//! `UPDATE_EXPECT=1 cargo test -p pipeline-cli` rewrites the snapshots in place: review them in the diff.
//! The read commands' output (`read_commands.rs`) is snapshotted with insta instead, in `snapshots/`.

mod admin;
mod config;
mod directory;
mod discovery;
mod hardening;
mod ingestion;
mod inputs;
mod processes;
mod read_commands;
mod scoring;
mod world;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use pipeline_db::Db;
use regex::{Captures, Regex};

const BIN: &str = env!("CARGO_BIN_EXE_pipeline-cli");

/// A port nothing listens on.
fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free loopback port")
        .port()
}

/// The binary in `dir`, with no `PIPELINE_*` or `DATABASE_URL` from the environment.
fn cli(dir: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(dir)
        .env_remove("DATABASE_URL")
        .stdin(Stdio::null());
    for (key, _) in std::env::vars().filter(|(k, _)| k.starts_with("PIPELINE_")) {
        cmd.env_remove(key);
    }
    cmd
}

/// Runs to the end: (exit code, stdout, stderr).
fn run(cmd: &mut Command) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().expect("the binary runs");
    (
        status.code().unwrap_or(-1),
        String::from_utf8_lossy(&stdout).into(),
        String::from_utf8_lossy(&stderr).into(),
    )
}

/// `pipeline.toml` reading only `companies.csv` holding `csv`.
fn csv_config(dir: &Path, csv: &str) -> PathBuf {
    std::fs::write(dir.join("companies.csv"), csv).expect("companies.csv written");
    let config = "[directory]\nbuiltin = []\n\n[[directory.sources]]\nname = \"list\"\nkind = \"csv\"\npath = \"companies.csv\"\n";
    std::fs::write(dir.join("pipeline.toml"), config).expect("pipeline.toml written");
    dir.join("pipeline.toml")
}

/// The database of a run in `dir`.
fn db(dir: &Path) -> Db {
    let path = dir.join("data/pipeline.db");
    Db::open(path.to_str().expect("a UTF-8 path")).expect("the database opens")
}

/// `text` with what changes from run to run replaced by placeholders: the test's directory `dir` by `<dir>`,
/// cycle ids by `<cycle>`, timestamps by `<time>`, durations by `<dur>` (right-aligned in the width they had,
/// so columns stay put), loopback ports by `<port>`, lock owners (`host:pid:hex`) by `<owner>`, OS error
/// numbers by `<n>`; trailing spaces are dropped.
fn normalize(text: &str, dir: &Path) -> String {
    let mut text = text.to_owned();
    let canonical = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    for path in [canonical.as_path(), dir] {
        text = text.replace(&path.display().to_string(), "<dir>");
    }
    let replacements = [
        (r"\b\d{8}T\d{6}Z-[0-9a-f]+\b", "<cycle>"),
        (r"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z", "<time>"),
        (r"\b127\.0\.0\.1:\d+", "127.0.0.1:<port>"),
        (r"[^\s:(]+:\d+:[0-9a-f]{8}\b", "<owner>"),
        (r"os error \d+", "os error <n>"),
    ];
    for (pattern, placeholder) in replacements {
        text = regex(pattern).replace_all(&text, placeholder).into_owned();
    }
    let durations = regex(r" *\b(\d+\.\ds|\d+m\d\ds)\b");
    let text = durations.replace_all(&text, |found: &Captures<'_>| {
        format!("{:>width$}", "<dur>", width = found[0].len())
    });
    text.lines()
        .map(|line| line.trim_end().to_owned() + "\n")
        .collect()
}

fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).expect("a valid pattern")
}

#[test]
fn normalize_replaces_what_changes_between_runs() {
    let dir = Path::new("/tmp/.tmpX1");
    let text = "cycle 20261125T182637Z-6379 at 2026-11-25T18:26:37Z  \n  dir     12.5s  /tmp/.tmpX1/a.csv\n\
                http://127.0.0.1:40123/ refused (os error 111) by web-1:4242:0a1b2c3d, 1m05s\n";
    expect_test::expect![[r#"
        cycle <cycle> at <time>
          dir     <dur>  <dir>/a.csv
        http://127.0.0.1:<port>/ refused (os error <n>) by <owner>, <dur>
    "#]]
    .assert_eq(&normalize(text, dir));
}

/// Waits up to 30 s for `ready`.
fn wait_for(mut ready: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ready() {
        assert!(start.elapsed() < Duration::from_secs(30), "timed out waiting");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Sends `sig` (`-TERM`, ...) to `child`.
fn signal(child: &Child, sig: &str) {
    Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .expect("kill runs");
}
