//! One module per command; `dispatch` routes the parsed command line.

mod board;
mod catalog;
mod companies;
mod cycle;
mod db;
mod detect;
mod doctor;
mod export;
mod offers;
mod pause;
mod status;
mod summary;

use crate::cli::{CatalogCommand, Cli, Command, DbCommand};
use crate::exit::CmdResult;
use crate::wiring;

pub async fn dispatch(cli: Cli) -> CmdResult {
    let loaded = wiring::load_config(&cli.global)?;
    let config = &loaded.config;
    match cli.command {
        Command::Once {
            cycle,
            limit,
            company,
            dry_run,
            force_feedback,
        } => {
            let ctx = cycle::context(&cycle, limit, company, dry_run, force_feedback, false);
            cycle::once(config, ctx).await
        }
        Command::Forever { cycle, shared } => {
            cycle::forever(config, cycle::context(&cycle, None, None, false, false, shared)).await
        }
        Command::Status { json } => status::run(config, json).await,
        Command::Companies {
            json,
            csv,
            limit,
            min_score,
        } => companies::run(config, json, csv, limit, min_score).await,
        Command::Offers { company, json } => offers::run(config, &company, json).await,
        Command::Export { format, output } => export::run(config, &format, output.as_deref()).await,
        Command::Doctor => doctor::run(&loaded).await,
        Command::Db {
            command: DbCommand::Migrate,
        } => db::migrate(config).await,
        Command::Db {
            command: DbCommand::Backup { file },
        } => db::backup(config, &file).await,
        Command::Db {
            command: DbCommand::Copy { to },
        } => db::copy(config, &to).await,
        Command::Pause {
            provider,
            duration,
            reason,
        } => pause::pause(config, &provider, duration.as_deref(), reason).await,
        Command::Resume { provider } => pause::resume(config, &provider).await,
        Command::Catalog {
            command: CatalogCommand::Check { file },
        } => catalog::check(config, file.as_deref()),
        Command::Detect { url, json } => until_signal(detect::run(config, &url, json)).await,
        Command::Board { board, json } => until_signal(board::run(config, &board, json)).await,
        Command::Score { title, file, json } => catalog::score(config, &title, file.as_deref(), json),
    }
}

/// Runs a command that writes nothing under the process's one signal path (`shutdown::install`, as
/// `once`/`forever` do): the first SIGINT/SIGTERM ends it with exit 130 however long it waits on the
/// network; a second exits at once.
async fn until_signal(work: impl std::future::Future<Output = CmdResult>) -> CmdResult {
    let cancel = tokio_util::sync::CancellationToken::new();
    pipeline_engine::shutdown::install(cancel.clone());
    tokio::select! {
        result = work => result,
        () = cancel.cancelled() => Ok(crate::exit::Exit::Interrupted),
    }
}

/// Runs blocking database work off the runtime's workers.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, crate::exit::Failure> + Send + 'static,
) -> Result<T, crate::exit::Failure> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| crate::exit::Failure::fatal(format!("worker failed: {e}")))?
}
