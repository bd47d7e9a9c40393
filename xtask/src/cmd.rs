//! Running cargo and the project's binaries as child processes.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Context, Result, bail};

/// The project root (xtask lives one level below it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Set by `ci`: every cargo run builds without incremental state and without debug info, which a one-off
/// build from a clean clone does not use: less to write, compile and link.
static ONE_OFF_BUILD: AtomicBool = AtomicBool::new(false);

/// Makes every later [`cargo`] a one-off build (see `ONE_OFF_BUILD`).
pub fn one_off_builds() {
    ONE_OFF_BUILD.store(true, Ordering::Relaxed);
}

/// `cargo` as cargo invoked us (`$CARGO`), in the project root.
pub fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(root());
    if ONE_OFF_BUILD.load(Ordering::Relaxed) {
        cmd.env("CARGO_INCREMENTAL", "0")
            .env("CARGO_PROFILE_DEV_DEBUG", "false");
    }
    cmd
}

/// Runs `cmd`, echoing it, and fails when it fails.
pub fn run(cmd: &mut Command) -> Result<()> {
    eprintln!("$ {}", shown(cmd));
    let status = cmd
        .status()
        .with_context(|| format!("cannot start {}", shown(cmd)))?;
    if !status.success() {
        bail!("`{}` failed ({status})", shown(cmd));
    }
    Ok(())
}

fn shown(cmd: &Command) -> String {
    let args: Vec<String> = cmd.get_args().map(|a| a.to_string_lossy().into_owned()).collect();
    format!("{} {}", cmd.get_program().to_string_lossy(), args.join(" "))
}

/// Builds the given binaries (debug or release) and returns the target directory holding them.
pub fn build_bins(bins: &[(&str, &str)], release: bool) -> Result<PathBuf> {
    let mut build = cargo();
    build.arg("build");
    if release {
        build.arg("--release");
    }
    for (package, bin) in bins {
        build.args(["-p", package, "--bin", bin]);
    }
    run(&mut build)?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    Ok(target.join(if release { "release" } else { "debug" }))
}
