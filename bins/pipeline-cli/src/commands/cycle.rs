//! `once` and `forever`.

use pipeline_domain::config::Config;
use pipeline_engine::{CycleReport, Engine, EngineError, ForeverSettings, RunContext, run_forever, shutdown};
use tokio_util::sync::CancellationToken;

use super::summary;
use crate::cli::CycleArgs;
use crate::exit::{CmdResult, Exit, Failure};
use crate::progress::TerminalProgress;
use crate::wiring;

pub fn context(
    cycle: &CycleArgs,
    limit: Option<u32>,
    company: Option<String>,
    dry_run: bool,
    force_feedback: bool,
    shared: bool,
) -> RunContext {
    let stages = cycle.stages.iter().map(|s| s.key().to_owned()).collect();
    RunContext {
        stages,
        limit,
        company,
        dry_run,
        force_feedback,
        shared,
    }
}

/// The exit code of a finished cycle.
fn exit_of(report: &CycleReport, config: &Config) -> Exit {
    if report.interrupted {
        Exit::Interrupted
    } else if report.stages.iter().any(|s| s.config_error) {
        // A configuration error only the DB could tell (e.g. `[[boards]]` naming no known company).
        Exit::Usage
    } else if report.stages.iter().any(|s| s.fatal) {
        // A fatal error (the DB failing under a stage) stopped the cycle.
        Exit::Fatal
    } else if report.needs_attention(config.runner.alert_failure_ratio) {
        Exit::Attention
    } else {
        Exit::Ok
    }
}

/// Checks the catalog and the stage filter, opens and migrates the DB, builds the engine and installs the
/// signal handlers: everything `once` and `forever` do before their first cycle. Usage errors come
/// before the database is touched.
async fn start(config: &Config, ctx: &RunContext) -> Result<(Engine, CancellationToken), Failure> {
    // A bad catalog stops the run before any work (exit 2), like a bad configuration.
    wiring::catalog(config)?;
    let stages = wiring::stages(config)?;
    wiring::check_stages(&stages, ctx)?;
    let db = super::blocking({
        let config = config.clone();
        move || wiring::open_db(&config, true)
    })
    .await?;
    let engine = wiring::engine(config, &db, TerminalProgress::for_stderr(), stages)?;
    let cancel = CancellationToken::new();
    shutdown::install(cancel.clone());
    Ok((engine, cancel))
}

pub async fn once(config: &Config, ctx: RunContext) -> CmdResult {
    let (engine, cancel) = start(config, &ctx).await?;
    let report = engine.run_cycle(&ctx, &cancel).await?;
    summary::print(&report);
    Ok(exit_of(&report, config))
}

pub async fn forever(config: &Config, ctx: RunContext) -> CmdResult {
    let (engine, cancel) = start(config, &ctx).await?;
    let settings = ForeverSettings {
        sleep_min: config.runner.cycle_sleep_min,
        sleep_max: config.runner.cycle_sleep_max,
        failed_sleep: config.runner.failed_cycle_sleep,
    };
    let last = run_forever(&engine, &ctx, &settings, &cancel, |outcome| match outcome {
        Ok(report) => summary::print(report),
        Err(EngineError::LockHeld { .. }) => {}
        Err(e) => tracing::error!(error = %e, "cycle failed"),
    })
    .await;
    match last {
        Some(Err(e)) if !matches!(e, EngineError::LockHeld { .. }) && !cancel.is_cancelled() => {
            Err(Failure::from(e))
        }
        _ => Ok(Exit::Interrupted),
    }
}
