//! Wiring: configuration → database, HTTP client and the engine with its stages.

use std::collections::HashMap;
use std::sync::Arc;

use pipeline_db::Db;
use pipeline_domain::config::Config;
use pipeline_domain::{Provider, SystemClock};
use pipeline_engine::{Engine, EngineSettings, Owner, Progress};
use pipeline_ats::{AtsClient, DetailBudget, Endpoints, client_for};
use pipeline_http::{HostOverride, HttpClient, HttpSettings, NetworkPolicy, OverrideResolver};
use pipeline_runners::DirectoryStage;
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

/// The client for configured URLs (directory lists, provider APIs): `[http]` as configured.
pub fn http_client(config: &Config) -> Result<HttpClient, Failure> {
    HttpClient::new(http_settings(config)?).map_err(Failure::fatal)
}

/// `[http]` and `user_agent` as client settings.
pub fn http_settings(config: &Config) -> Result<HttpSettings, Failure> {
    let overrides = config
        .http
        .resolve
        .iter()
        .map(|(host, addr)| {
            HostOverride::new(host, addr).map_err(|e| Failure::usage(format!("http.resolve.{host}: {e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let user_agent = if config.user_agent.trim().is_empty() {
        pipeline_http::default_user_agent()
    } else {
        config.user_agent.clone()
    };
    Ok(HttpSettings {
        user_agent,
        timeout: config.http.timeout,
        connect_timeout: config.http.connect_timeout,
        retries: config.http.retries,
        max_body: config.http.max_body.as_u64(),
        resolver: OverrideResolver::new(overrides),
        ..HttpSettings::default()
    })
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
    let http = http_client(config)?;
    let sources =
        pipeline_runners::directory::sources_from_config(&config.directory, &http).map_err(Failure::usage)?;
    let directory = DirectoryStage::new(sources, config.directory.exclude_domains.clone());
    engine.register(Arc::new(directory.with_http_stats(http.stats().clone())));
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

/// The endpoints of `provider` from `[providers.X]`.
pub fn endpoints(config: &Config, provider: Provider) -> Endpoints {
    let p = config.providers.get(provider);
    Endpoints {
        base_url: p.base_url.clone(),
        eu_base_url: p.eu_base_url.clone(),
        com_base_url: p.com_base_url.clone(),
    }
}

/// A client per enabled provider, sharing the API HTTP client and one detail-call budget (validation uses
/// a budget of 0: whether a board answers does not need its postings' details).
pub fn ats_clients(
    config: &Config,
    budget: DetailBudget,
) -> Result<HashMap<Provider, Arc<dyn AtsClient>>, Failure> {
    let http = http_client(config)?;
    Ok(config
        .providers
        .iter()
        .filter(|(_, p)| p.enabled)
        .map(|(provider, _)| {
            (
                provider,
                client_for(
                    provider,
                    endpoints(config, provider),
                    http.clone(),
                    budget.clone(),
                ),
            )
        })
        .collect())
}

/// The client discovery reads company websites with: 10 s per page, 2 MB per body, and the SSRF guard
/// unless `discovery.allow_private_networks` (SPEC §3).
pub fn page_client(config: &Config) -> Result<HttpClient, Failure> {
    let mut settings = http_settings(config)?;
    settings.timeout = settings.timeout.min(std::time::Duration::from_secs(10));
    settings.max_body = settings.max_body.min(2_000_000);
    settings.retries = settings.retries.min(1);
    settings.policy = if config.discovery.allow_private_networks {
        NetworkPolicy::Any
    } else {
        NetworkPolicy::PublicOnly
    };
    HttpClient::new(settings).map_err(Failure::fatal)
}
