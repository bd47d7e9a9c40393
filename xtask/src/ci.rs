//! `cargo xtask ci`: the one gate. fmt, clippy, every test (the tidy test included; the engine and stage
//! suites a second time on PostgreSQL), the library examples run on their sample inputs, e2e.

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
    let postgres = crate::postgres::server()?;
    let test = |args: &[&str], backend: &str| {
        let mut command = cargo();
        match has_nextest() {
            true => command.args(["nextest", "run", "--locked", "--no-fail-fast"]),
            false => command.args(["test", "--locked", "--no-fail-fast"]),
        };
        command.args(args).env("TEST_BACKEND", backend);
        if let Some(url) = &postgres {
            command
                .env("TEST_POSTGRES_URL", url)
                .env("TEST_POSTGRES_REQUIRED", "1");
        }
        cmd::run(&mut command)
    };
    // Everything, on SQLite (the db suite runs each of its tests on both backends).
    test(&["--workspace"], "sqlite")?;
    // The stages and the engine again, every test database on PostgreSQL.
    if postgres.is_some() {
        test(&["-p", "pipeline-engine", "-p", "pipeline-runners"], "postgres")?;
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
