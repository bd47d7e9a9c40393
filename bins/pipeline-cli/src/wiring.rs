//! Wiring: configuration → database, the engine with the stages `pipeline_runners::stages` builds, and the
//! catalog.

use std::sync::Arc;

use pipeline_db::Db;
use pipeline_domain::SystemClock;
use pipeline_domain::config::Config;
use pipeline_engine::{Engine, EngineSettings, Owner, Progress};
use pipeline_runners::Services;
use pipeline_scoring::{Catalog, CompiledCatalog};

use crate::cli::Global;
use crate::config_load::{self, LoadedConfig};
use crate::exit::Failure;

/// Loads the configuration (exit 2 on any problem), applies `--database-url` and logs the warnings.
pub fn load_config(global: &Global) -> Result<LoadedConfig, Failure> {
    let cwd = std::env::current_dir().map_err(|e| Failure::fatal(format!("no working directory: {e}")))?;
    let env: Vec<(String, String)> = std::env::vars().collect();
    let mut loaded = config_load::load(global.config.as_deref(), &cwd, &env).map_err(Failure::usage)?;
    if let Some(url) = &global.database_url {
        let mut config = Config {
            database_url: url.clone(),
            ..Config::default()
        };
        config.resolve_paths(&cwd);
        loaded.config.database_url = config.database_url;
    }
    for warning in &loaded.warnings {
        tracing::warn!("{warning}");
    }
    Ok(loaded)
}

/// Opens the database (exit 1 when it cannot be opened or migrated).
pub fn open_db(config: &Config, migrate: bool) -> Result<Db, Failure> {
    let db = Db::open(&config.database_url)?;
    if migrate {
        let applied = db.migrate()?;
        if !applied.is_empty() {
            tracing::info!(versions = ?applied, "applied migrations");
        }
    }
    Ok(db)
}

/// The engine with every stage this build has, in canonical order.
pub fn engine(config: &Config, db: &Db, progress: Arc<dyn Progress>) -> Result<Engine, Failure> {
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
    )
    .with_progress(progress);
    let services = Services::from_config(config)?;
    for stage in pipeline_runners::stages(config, &services)? {
        engine.register(stage);
    }
    Ok(engine)
}

/// The configured catalog, compiled (the built-in one when `catalog` is empty), and how to name it.
/// A catalog that cannot be read or validated is a usage error (exit 2) naming file, line and reason.
pub fn catalog(config: &Config) -> Result<(CompiledCatalog, String), Failure> {
    if config.catalog.trim().is_empty() {
        return Ok((CompiledCatalog::builtin(), "built-in catalog".to_owned()));
    }
    let path = std::path::Path::new(&config.catalog);
    let shown =
        |e: pipeline_scoring::CatalogError| Failure::usage(format!("catalog {}: {e}", path.display()));
    let catalog = Catalog::load(path).map_err(shown)?;
    Ok((
        CompiledCatalog::new(&catalog).map_err(shown)?,
        path.display().to_string(),
    ))
}
