//! `pipeline-cli`: the composition root. Parses arguments, loads the configuration, wires the database,
//! the HTTP client and the stages into the engine, and prints results. Glue only: no SQL, no HTTP, no
//! business rules.

mod cli;
mod commands;
mod config_load;
mod exit;
mod logging;
mod output;
mod progress;
mod wiring;

use clap::Parser;

fn main() {
    pipeline_http::install_crypto_provider();
    let cli = cli::Cli::parse();
    if !matches!(
        cli.command,
        cli::Command::Once { .. } | cli::Command::Forever { .. }
    ) {
        // `pipeline-cli companies | head`: a closed stdout ends a printing command quietly, as other Unix
        // tools do, instead of a panic on the next print. The stages' own commands keep Rust's default
        // (a summary that cannot be printed never kills a cycle mid-way).
        sigpipe::reset();
    }
    logging::init(&cli.global);
    let code = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime.block_on(commands::dispatch(cli)),
        Err(e) => Err(exit::Failure::fatal(format!(
            "cannot start the async runtime: {e}"
        ))),
    };
    let code = code.unwrap_or_else(|failure| {
        eprintln!("error: {}", failure.message);
        failure.exit
    });
    std::process::exit(code as i32);
}
