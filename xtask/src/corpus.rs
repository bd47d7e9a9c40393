//! The bad-input corpus: every input a probe of the binary found mishandled, replayed by `cargo xtask ci`.
//! One TOML file per case under `tests/bad-input/`: the files to create, the command line, and what must
//! hold — the exit code, exactly one stderr line carrying the message, a time bound, paths that must not
//! exist afterwards, and follow-up commands showing that nothing was lost.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use serde::Deserialize;

use crate::cmd;
use crate::world::scratch;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// What the case guards, shown when it fails.
    guards: String,
    args: Vec<String>,
    #[serde(default)]
    files: BTreeMap<String, String>,
    /// Directories to create.
    #[serde(default)]
    dirs: Vec<String>,
    /// Files filled with 8 KB of pseudo-random bytes.
    #[serde(default)]
    noise: Vec<String>,
    expect: Expect,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    exit: i32,
    /// Exactly one stderr line contains this.
    message: Option<String>,
    #[serde(default = "default_seconds")]
    within_seconds: u64,
    /// Paths (relative to the case's directory) that must not exist afterwards.
    #[serde(default)]
    absent: Vec<String>,
    /// Follow-up commands: nothing lost.
    #[serde(default)]
    then: Vec<Then>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Then {
    args: Vec<String>,
    exit: Option<i32>,
    /// stdout is a JSON array of this length.
    json_array_len: Option<usize>,
    /// stdout contains each of these.
    #[serde(default)]
    stdout_contains: Vec<String>,
}

fn default_seconds() -> u64 {
    20
}

/// `cargo xtask bad-input`: builds the binary and runs the corpus alone.
pub fn run_alone() -> Result<()> {
    let bin_dir = cmd::build_bins(&[("pipeline-cli", "pipeline-cli")], false)?;
    let (passed, failures) = run(&bin_dir)?;
    println!(
        "bad-input corpus: {passed} passed, {} failed {failures:?}",
        failures.len()
    );
    ensure!(failures.is_empty(), "{} bad-input case(s) failed", failures.len());
    Ok(())
}

/// Runs every case against the built `pipeline-cli` in `bin_dir`; returns (passed, failures).
pub fn run(bin_dir: &Path) -> Result<(usize, Vec<String>)> {
    let dir = cmd::root().join("tests/bad-input");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    let (mut passed, mut failures) = (0, Vec::new());
    for path in paths {
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let outcome = std::fs::read_to_string(&path)
            .context("reading the case")
            .and_then(|text| toml::from_str::<Case>(&text).context("parsing the case"))
            .and_then(|case| check(bin_dir, &name, &case).with_context(|| case.guards.clone()));
        match outcome {
            Ok(()) => {
                passed += 1;
                eprintln!("bad-input {name} ... ok");
            }
            Err(e) => {
                eprintln!("bad-input {name} ... FAILED: {e:#}");
                failures.push(name);
            }
        }
    }
    Ok((passed, failures))
}

fn cli(bin_dir: &Path, dir: &Path, args: &[String]) -> Command {
    let mut command = Command::new(bin_dir.join("pipeline-cli"));
    command
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .env_remove("DATABASE_URL");
    for (key, _) in std::env::vars().filter(|(k, _)| k.starts_with("PIPELINE_")) {
        command.env_remove(key);
    }
    command
}

fn check(bin_dir: &Path, name: &str, case: &Case) -> Result<()> {
    let dir = scratch(&format!("bad-input-{name}"))?;
    for d in &case.dirs {
        std::fs::create_dir_all(dir.join(d))?;
    }
    for (file, text) in &case.files {
        let path = dir.join(file);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, text)?;
    }
    for file in &case.noise {
        let bytes: Vec<u8> = (0..8192u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8)
            .collect();
        std::fs::write(dir.join(file), bytes)?;
    }
    let started = Instant::now();
    let output = cli(bin_dir, &dir, &case.args)
        .output()
        .context("running pipeline-cli")?;
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let expect = &case.expect;
    ensure!(
        output.status.code() == Some(expect.exit),
        "exit {:?}, expected {}; stderr:\n{stderr}",
        output.status.code(),
        expect.exit
    );
    if let Some(message) = &expect.message {
        let lines = stderr.lines().filter(|l| l.contains(message.as_str())).count();
        ensure!(
            lines == 1,
            "{lines} stderr lines carry `{message}`, expected one; stderr:\n{stderr}"
        );
    }
    ensure!(
        elapsed <= Duration::from_secs(expect.within_seconds),
        "took {elapsed:?}, more than {} s",
        expect.within_seconds
    );
    for path in &expect.absent {
        ensure!(!dir.join(path).exists(), "`{path}` exists afterwards");
    }
    for then in &expect.then {
        let out = cli(bin_dir, &dir, &then.args).output()?;
        let stdout = String::from_utf8_lossy(&out.stdout);
        if let Some(code) = then.exit {
            ensure!(
                out.status.code() == Some(code),
                "{:?}: exit {:?}, expected {code}",
                then.args,
                out.status.code()
            );
        }
        for needle in &then.stdout_contains {
            ensure!(
                stdout.contains(needle.as_str()),
                "{:?}: stdout lacks `{needle}`:\n{stdout}",
                then.args
            );
        }
        if let Some(len) = then.json_array_len {
            let value: serde_json::Value = serde_json::from_str(&stdout)
                .with_context(|| format!("{:?}: not JSON: {stdout}", then.args))?;
            let got = value.as_array().map(Vec::len);
            ensure!(
                got == Some(len),
                "{:?}: {got:?} elements, expected {len}",
                then.args
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
