//! Running one stage from code, without the CLI: a fresh SQLite database (opened, migrated), a
//! configuration built in code, the engine with this build's stages, and one cycle of the `directory` stage
//! over a CSV list; then the run's counters and what the database holds.
//!
//! ```sh
//! cargo run -p pipeline-runners --example directory_stage -- crates/runners/examples/directory_stage/companies.csv
//! ```
//!
//! A second argument names the database file to create (default: one in a temporary directory).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use pipeline_db::Db;
use pipeline_db::repo::companies::{self, CompanyFilter};
use pipeline_domain::SystemClock;
use pipeline_domain::config::{Config, DirectorySourceConfig, SourceKind};
use pipeline_engine::{Engine, EngineSettings, Owner, RunContext};
use pipeline_runners::{Services, stages};
use tokio_util::sync::CancellationToken;

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let Some(csv) = args.first() else {
        eprintln!("usage: directory_stage COMPANIES.csv [DATABASE]");
        return ExitCode::from(2);
    };
    let scratch = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(e) => {
            eprintln!("error: temporary directory: {e}");
            return ExitCode::FAILURE;
        }
    };
    let database = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| scratch.path().join("pipeline.db"));
    match run(csv, &database).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(csv: &Path, database: &Path) -> Result<(), Box<dyn std::error::Error>> {
    if database.exists() {
        return Err(format!(
            "{} exists: this example wants a fresh database",
            database.display()
        )
        .into());
    }
    // The configuration, as `pipeline.toml` would give it: no built-in directory, the CSV as the one source.
    let mut config = Config::default();
    config.directory.builtin.clear();
    config.directory.sources.push(DirectorySourceConfig {
        name: "example".into(),
        kind: SourceKind::Csv,
        path: Some(std::path::absolute(csv)?),
        url: None,
        name_field: "empresa".into(),
        website_field: "web".into(),
        delimiter: ";".into(),
        encoding: "utf-8".into(),
        multiline_fields: false,
    });

    // The database: the pool on a new file, every migration applied.
    let db = Db::open(&database.display().to_string())?;
    db.migrate()?;

    // The engine, with every stage of this build (the cycle below runs only `directory`).
    pipeline_http::install_crypto_provider();
    let settings = EngineSettings {
        lock_ttl: config.runner.lock_ttl,
        retention: config.retention.runs,
        alert_failure_ratio: config.runner.alert_failure_ratio,
    };
    let mut engine = Engine::new(
        db.clone(),
        Arc::new(SystemClock),
        Owner::this_process().to_string(),
        settings,
    );
    let services = Services::from_config(&config)?;
    for stage in stages(&config, &services)? {
        engine.register(stage);
    }
    let ctx = RunContext {
        stages: vec!["directory".into()],
        ..RunContext::default()
    };
    let report = engine.run_cycle(&ctx, &CancellationToken::new()).await?;

    for stage in &report.stages {
        println!(
            "{} {} in {:.2}s",
            stage.stage,
            stage.status,
            stage.duration.as_secs_f64()
        );
        let counters: Vec<String> = stage
            .counters
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(name, n)| format!("{name}={n}"))
            .collect();
        println!("  {}", counters.join(" "));
    }
    let listed = db.read(|c| companies::list_ranked(c, &CompanyFilter::default()))?;
    println!("{} companies in {}:", listed.len(), database.display());
    for company in &listed {
        println!(
            "  {:>3}  {:<20} {}",
            company.id,
            company.display_name(),
            company.website_domain.as_deref().unwrap_or("-")
        );
    }
    Ok(())
}
