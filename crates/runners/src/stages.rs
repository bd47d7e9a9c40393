//! [`stages`]: every stage this build has, built from the configuration and the shared services, in
//! canonical order: what an engine registers.

use std::sync::Arc;

use pipeline_domain::config::Config;
use pipeline_engine::Task;
use pipeline_scoring::Catalog;

use crate::directory::{DirectoryStage, sources_from_config};
use crate::discovery::{DiscoveryStage, DiscoveryWork};
use crate::ingestion::IngestionStage;
use crate::scoring::ScoringStage;
use crate::sheets::{FeedbackStage, SheetsStage};
use crate::{BuildError, Services};

/// Every stage, in canonical order: `directory`, `discovery`, `ingestion`, `scoring`, `sheets`, `feedback`. A
/// configuration value a stage cannot use is [`BuildError::Config`], and so is a spreadsheet configured
/// without a key to reach it.
pub fn stages(config: &Config, services: &Services) -> Result<Vec<Arc<dyn Task>>, BuildError> {
    if services.sheets.missing_key() {
        return Err(BuildError::Config(
            "sheets.spreadsheet_id is set but no service-account key: set sheets.credentials to a key file, or GOOGLE_SERVICE_ACCOUNT_EMAIL and GOOGLE_SERVICE_ACCOUNT_PRIVATE_KEY".to_owned(),
        ));
    }
    let sources = sources_from_config(&config.directory, &services.http).map_err(BuildError::Config)?;
    let directory = DirectoryStage::new(sources, config.directory.exclude_domains.clone())
        .with_http_stats(services.http.stats().clone());
    let work = DiscoveryWork::from_config(config, services);
    // Read once, for the three stages that use it.
    let catalog = configured_catalog(config)?;
    Ok(vec![
        Arc::new(directory),
        Arc::new(DiscoveryStage::new(work, config)),
        Arc::new(IngestionStage::new(config, services)),
        Arc::new(ScoringStage::with_catalog(config, &catalog)?),
        Arc::new(SheetsStage::with_catalog(
            config,
            services.sheets.clone(),
            &catalog,
        )),
        Arc::new(FeedbackStage::with_catalog(
            config,
            services.sheets.clone(),
            &catalog,
        )),
    ])
}

/// The configured catalog: the file `catalog` names, else the built-in one; a catalog that does not load
/// is a configuration error naming the file.
pub fn configured_catalog(config: &Config) -> Result<Catalog, BuildError> {
    if config.catalog.trim().is_empty() {
        return Ok(Catalog::builtin());
    }
    Catalog::load(std::path::Path::new(&config.catalog))
        .map_err(|e| BuildError::Config(format!("catalog {}: {e}", config.catalog)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_configuration_builds_every_stage_in_canonical_order() {
        pipeline_http::install_crypto_provider();
        let config = Config::default();
        let services = Services::from_config(&config).unwrap();
        let keys: Vec<&str> = match stages(&config, &services) {
            Ok(stages) => stages.iter().map(|s| s.key()).collect(),
            Err(e) => panic!("{e}"),
        };
        assert_eq!(
            keys,
            [
                "directory",
                "discovery",
                "ingestion",
                "scoring",
                "sheets",
                "feedback"
            ]
        );
    }

    #[test]
    fn unusable_values_are_configuration_errors_naming_their_key() {
        pipeline_http::install_crypto_provider();
        let mut config = Config::default();
        config.http.resolve.insert("api.test".into(), "nope".into());
        let error = Services::from_config(&config).unwrap_err();
        assert!(
            matches!(&error, BuildError::Config(m) if m == "http.resolve.api.test: `nope` is not an IP address"),
            "{error}"
        );
        let mut config = Config::default();
        config.directory.builtin = vec!["atlantis".into()];
        let services = Services::from_config(&config).unwrap();
        match stages(&config, &services) {
            Err(BuildError::Config(m)) => assert_eq!(m, "directory.builtin: unknown `atlantis`"),
            Err(e) => panic!("{e}"),
            Ok(_) => panic!("an unknown built-in directory was accepted"),
        }
    }
}
