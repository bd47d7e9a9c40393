//! Wiring: configuration → database, the engine with the stages `pipeline_runners::stages` builds, and the
//! catalog.

use std::sync::Arc;

use pipeline_db::Db;
use pipeline_domain::SystemClock;
use pipeline_domain::config::Config;
use pipeline_engine::{Engine, EngineSettings, Owner, Progress, RunContext, Task};
use pipeline_runners::Services;
use pipeline_scoring::{Catalog, CompiledCatalog};
use pipeline_sheets::KeySource;

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

/// Opens the database (exit 1 when it cannot be opened or migrated, or its schema is newer than this
/// binary; exit 2 for a URL that names no backend).
pub fn open_db(config: &Config, migrate: bool) -> Result<Db, Failure> {
    let db = Db::open(&config.database_url)?;
    if migrate {
        let applied = db.migrate()?;
        if !applied.is_empty() {
            tracing::info!(versions = ?applied, "applied migrations");
        }
    } else {
        db.check_schema()?;
    }
    Ok(db)
}

/// Opens the database for a read-only command (`status`, `companies`): nothing is created, migrated or
/// written. `None` when there is no database yet. Pending migrations are mentioned, not applied.
pub fn open_db_read_only(config: &Config) -> Result<Option<Db>, Failure> {
    let db = match Db::open_existing(&config.database_url)? {
        Some(db) if db.has_schema()? => db,
        // No file, or a database (a PostgreSQL schema) nothing was ever migrated into.
        _ => {
            tracing::info!(database = %config.redacted_database_url(), "no database yet: nothing to show");
            return Ok(None);
        }
    };
    let pending = db.pending_migrations()?;
    if !pending.is_empty() {
        tracing::warn!(
            pending = pending.len(),
            "the database schema is behind this binary; `once` or `db migrate` applies the migrations"
        );
    }
    Ok(Some(db))
}

/// The shared clients, with the spreadsheet's key from the environment when `sheets.credentials` names no
/// key file (`GOOGLE_SERVICE_ACCOUNT_EMAIL` + `GOOGLE_SERVICE_ACCOUNT_PRIVATE_KEY`, token endpoint
/// `sheets.token_uri`, as in the original).
pub fn services(config: &Config) -> Result<Services, Failure> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let key = match (
        var("GOOGLE_SERVICE_ACCOUNT_EMAIL"),
        var("GOOGLE_SERVICE_ACCOUNT_PRIVATE_KEY"),
    ) {
        (Some(email), Some(private_key)) => Some(KeySource::Inline {
            email,
            private_key,
            token_uri: config.sheets.token_uri.clone(),
        }),
        (Some(_), None) if config.sheets.credentials.trim().is_empty() => {
            return Err(Failure::usage(
                "GOOGLE_SERVICE_ACCOUNT_EMAIL is set but GOOGLE_SERVICE_ACCOUNT_PRIVATE_KEY is not"
                    .to_owned(),
            ));
        }
        (None, Some(_)) if config.sheets.credentials.trim().is_empty() => {
            return Err(Failure::usage(
                "GOOGLE_SERVICE_ACCOUNT_PRIVATE_KEY is set but GOOGLE_SERVICE_ACCOUNT_EMAIL is not"
                    .to_owned(),
            ));
        }
        _ => None,
    };
    Ok(Services::from_config(config)?.with_sheets_key(config, key))
}

/// Every stage this build has, with the services they share, built once per process before the database
/// is opened: a configuration or catalog a stage cannot use is a usage error (exit 2) before any work.
/// Building them twice (once to check, once to run) cost a `once` ~25 ms of start-up: each HTTP client
/// reads the system's root certificates.
pub struct Stages {
    services: Services,
    stages: Vec<Arc<dyn Task>>,
}

/// Builds [`Stages`] from the configuration.
pub fn stages(config: &Config) -> Result<Stages, Failure> {
    let services = services(config)?;
    let stages = pipeline_runners::stages(config, &services)?;
    Ok(Stages { services, stages })
}

/// Refuses a `--stage` this build does not have (exit 2), before the database is opened.
pub fn check_stages(built: &Stages, ctx: &RunContext) -> Result<(), Failure> {
    let keys: Vec<&'static str> = built.stages.iter().map(|s| s.key()).collect();
    match ctx.stages.iter().find(|s| !keys.contains(&s.as_str())) {
        Some(missing) => Err(Failure::usage(format!(
            "stage `{missing}` is not available in this build"
        ))),
        None => Ok(()),
    }
}

/// The engine with every stage this build has (`built`), in canonical order.
pub fn engine(
    config: &Config,
    db: &Db,
    progress: Arc<dyn Progress>,
    built: Stages,
) -> Result<Engine, Failure> {
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
    // Every process on the database shares each provider's rate (several `forever --shared` workers, or a
    // `once` beside them).
    let Stages { services, stages } = built;
    let _shared = services.share_rates(db);
    for stage in stages {
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
