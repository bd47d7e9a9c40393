//! The binary, run as a user runs it, in temporary directories, one test binary with a module per topic.
//! Nothing here reaches a real host: the built-in directories are pointed at a closed loopback port or disabled.

mod admin;
mod config;
mod directory;
mod processes;
mod scoring;
mod world;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use pipeline_db::Db;

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
