//! `cargo xtask`: everything beyond plain cargo — `ci`, `e2e`, `bench`, `world`, `demo`.
//! Dependency-light on purpose: it builds and runs the project's binaries as processes.

mod bench;
mod ci;
mod cmd;
mod corpus;
mod e2e;
mod postgres;
mod tidy;
mod world;

use anyhow::{Result, bail};

const USAGE: &str = "usage: cargo xtask <command>

commands:
  ci                          fmt --check, clippy -D warnings, all tests (nextest if present), tidy, e2e
  e2e [NAME]                  end-to-end scenarios (those whose name contains NAME): the real binary
                              against the simulated world, then the bad-input corpus (tests/bad-input/*.toml)
  bad-input                   only the bad-input corpus (tests/bad-input/*.toml)
  bench [directory|scoring|scan|discovery|discovery-jsonld|ingestion|cycle]
                              benchmarks: criterion, and the release binary's figures (directory: rows/s,
                              peak RSS, DB size; discovery: sites/s, RSS, politeness, JSON-LD's cost;
                              ingestion: see README)
  bench cycle [--companies N] [--latency MS] [--workers K] [--db sqlite|postgres] [--json]
                              whole cycles against the world at the default limits: a first, an unchanged
                              re-run, the next day (wall time against the politeness bound, RSS, ...)
  world [--seed S] [--companies N] [--port P]
                              serve the simulated world and print a ready pipeline.toml
  demo                        run the whole pipeline offline against a world of ~200 companies";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = dispatch(&args);
    postgres::stop_cluster();
    if let Err(e) = outcome {
        eprintln!("xtask: {e:#}");
        std::process::exit(1);
    }
}

fn dispatch(args: &[String]) -> Result<()> {
    let rest = args.get(1..).unwrap_or_default();
    match args.first().map(String::as_str) {
        Some("ci") => ci::run(),
        Some("e2e") => e2e::run(args.get(1).map(String::as_str)),
        Some("bad-input") => corpus::run_alone(),
        Some("bench") => bench::run(rest),
        Some("world") => world::serve(rest),
        Some("demo") => world::demo(),
        Some("help" | "-h" | "--help") | None => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => bail!("unknown command `{other}`\n\n{USAGE}"),
    }
}
