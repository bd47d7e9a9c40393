//! `cargo xtask ci`: the one gate. fmt, clippy, every test (the tidy test included), the library examples run
//! on their sample inputs, e2e.

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
    examples()?;
    crate::e2e::run(None)?;
    eprintln!("xtask ci: all checks passed");
    Ok(())
}

/// The programs that use the crates as libraries (README, "Using the crates as a library"): (package,
/// example, arguments from the project root). Clippy builds them; each must also run and exit 0.
const EXAMPLES: &[(&str, &str, &[&str])] = &[
    (
        "pipeline-scoring",
        "score_posting",
        &[
            "crates/scoring/examples/score_posting/catalog.toml",
            "crates/scoring/examples/score_posting/posting.txt",
        ],
    ),
    (
        "pipeline-runners",
        "directory_stage",
        &["crates/runners/examples/directory_stage/companies.csv"],
    ),
];

fn examples() -> Result<()> {
    for (package, example, args) in EXAMPLES {
        let run = [
            "run",
            "--locked",
            "--quiet",
            "-p",
            package,
            "--example",
            example,
            "--",
        ];
        cmd::run(cargo().args(run).args(*args))?;
    }
    Ok(())
}

fn has_nextest() -> bool {
    cargo()
        .args(["nextest", "--version"])
        .output()
        .is_ok_and(|o| o.status.success())
}
