//! `cargo xtask ci`: the one gate. fmt, clippy, every test (the tidy test included), e2e.

use anyhow::Result;

use crate::cmd::{self, cargo};

pub fn run() -> Result<()> {
    cmd::one_off_builds();
    cmd::run(cargo().args(["fmt", "--all", "--", "--check"]))?;
    cmd::run(cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--locked",
        "--",
        "-D",
        "warnings",
    ]))?;
    if has_nextest() {
        cmd::run(cargo().args(["nextest", "run", "--workspace", "--locked", "--no-fail-fast"]))?;
    } else {
        cmd::run(cargo().args(["test", "--workspace", "--locked", "--no-fail-fast"]))?;
    }
    crate::e2e::run(None)?;
    eprintln!("xtask ci: all checks passed");
    Ok(())
}

fn has_nextest() -> bool {
    cargo()
        .args(["nextest", "--version"])
        .output()
        .is_ok_and(|o| o.status.success())
}
