//! Which file is read (explicit, in the working directory, none) and how its relative paths resolve.

use std::path::Path;

use pipeline_domain::Provider;
use pipeline_domain::config::{Config, ProviderConfig};

use super::*;

#[test]
fn an_explicit_file_is_read_relative_to_cwd_and_named_as_given() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("conf")).unwrap();
    std::fs::write(dir.path().join("conf/p.toml"), "[runner]\nlock_tt = \"9s\"\n").unwrap();
    let error = load(Some(Path::new("conf/p.toml")), dir.path(), &[])
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("conf/p.toml:2: unknown key `runner.lock_tt`"),
        "{error}"
    );
    let missing = load(Some(Path::new("nope.toml")), dir.path(), &[]).unwrap_err();
    assert!(matches!(missing, ConfigError::Missing { .. }));
    assert_eq!(missing.to_string(), "config file nope.toml does not exist");
}

#[test]
fn no_file_gives_the_defaults_with_the_database_under_cwd() {
    let dir = tempfile::tempdir().unwrap();
    let loaded = load(None, dir.path(), &[]).unwrap();
    assert_eq!(loaded.source, None);
    assert!(loaded.warnings.is_empty());
    let mut expected = Config::default();
    expected.resolve_paths(dir.path());
    assert_eq!(loaded.config, expected);
    assert_eq!(
        Path::new(&loaded.config.database_url),
        dir.path().join("data/pipeline.db")
    );
}

#[test]
fn the_file_in_cwd_is_used_and_partial_provider_tables_keep_defaults() {
    let dir = dir_with_config("[providers.lever]\nbase_url = \"http://127.0.0.1:8080/lever\"\n");
    let loaded = load(None, dir.path(), &[]).unwrap();
    assert_eq!(loaded.source, Some(dir.path().join(DEFAULT_FILE_NAME)));
    let lever = &loaded.config.providers.lever;
    assert_eq!(lever.base_url, "http://127.0.0.1:8080/lever");
    assert_eq!(lever.eu_base_url.as_deref(), Some("https://api.eu.lever.co"));
    assert_eq!(lever.requests_per_second, 2.0);
    assert_eq!(
        loaded.config.providers.personio,
        ProviderConfig::defaults_for(Provider::Personio)
    );
}

#[test]
fn relative_paths_resolve_against_the_config_files_directory() {
    let dir = tempfile::tempdir().unwrap();
    let conf = dir.path().join("etc");
    std::fs::create_dir(&conf).unwrap();
    let text = "database_url = \"sqlite://db/p.db\"\ncatalog = \"catalog.toml\"\n\
                [sheets]\ncredentials = \"sa.json\"\n\
                [[directory.sources]]\nname = \"mine\"\nkind = \"csv\"\npath = \"lists/mine.csv\"\n";
    std::fs::write(conf.join("pipeline.toml"), text).unwrap();
    let vars = env(&[("PIPELINE_CATALOG", "other.toml")]);
    let loaded = load(Some(Path::new("etc/pipeline.toml")), dir.path(), &vars).unwrap();
    let config = &loaded.config;
    assert_eq!(
        config.database_url,
        format!("sqlite://{}", conf.join("db/p.db").display())
    );
    assert_eq!(Path::new(&config.catalog), conf.join("other.toml"));
    assert_eq!(Path::new(&config.sheets.credentials), conf.join("sa.json"));
    assert_eq!(
        config.directory.sources[0].path,
        Some(conf.join("lists/mine.csv"))
    );
}
