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

/// A path that exists but cannot be read, or cannot even be looked at, is its I/O error with the path, not
/// "does not exist" (nor, for `./pipeline.toml`, a silent fall-back to the defaults).
#[test]
fn an_unreadable_config_file_reports_the_io_error_not_missing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("plain"), "").unwrap();
    let error = load(Some(Path::new("plain/pipeline.toml")), dir.path(), &[]).unwrap_err();
    assert!(matches!(error, ConfigError::Read { .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.starts_with("cannot read config file plain/pipeline.toml: Not a directory"),
        "{message}"
    );
    std::fs::create_dir(dir.path().join(DEFAULT_FILE_NAME)).unwrap();
    let message = load(None, dir.path(), &[]).unwrap_err().to_string();
    assert!(
        message.starts_with("cannot read config file pipeline.toml: Is a directory"),
        "{message}"
    );
}

#[cfg(unix)]
#[test]
fn a_config_file_without_read_permission_reports_permission_denied() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::write(locked.join("p.toml"), "").unwrap();
    std::fs::set_permissions(locked.join("p.toml"), std::fs::Permissions::from_mode(0o000)).unwrap();
    // The file unreadable, then its directory closed too.
    for mode in [0o700, 0o000] {
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(mode)).unwrap();
        let result = load(Some(Path::new("locked/p.toml")), dir.path(), &[]);
        // root reads whatever the mode bits say: there is nothing to refuse then.
        if std::fs::read(locked.join("p.toml")).is_ok() {
            assert!(result.is_ok(), "{result:?}");
            continue;
        }
        let message = result.unwrap_err().to_string();
        assert!(
            message.starts_with("cannot read config file locked/p.toml: Permission denied"),
            "mode {mode:o}: {message}"
        );
    }
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o700)).unwrap();
}
