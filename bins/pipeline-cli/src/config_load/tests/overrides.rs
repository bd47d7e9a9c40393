//! `PIPELINE_*` environment overrides: nested and map keys with their types, precedence over the file,
//! `DATABASE_URL`, and variables that name no key or hold a bad value.

use std::time::Duration;

use pipeline_domain::config::ByteSize;

use super::*;

#[test]
fn env_overrides_reach_nested_keys_with_their_types() {
    let loaded = load_env(&[
        ("PIPELINE_PROVIDERS__LEVER__BASE_URL", "http://127.0.0.1:9/lever"),
        ("PIPELINE_RUNNER__LOCK_TTL", "90s"),
        ("PIPELINE_HTTP__RETRIES", "5"),
        ("PIPELINE_HTTP__MAX_BODY", "1MiB"),
        ("PIPELINE_SHEETS__SPREADSHEET_ID", "123"),
        ("PIPELINE_DIRECTORY__BUILTIN", "[]"),
        ("PIPELINE_DISCOVERY__ALLOW_PRIVATE_NETWORKS", "true"),
        ("PIPELINE_RUNNER__ALERT_FAILURE_RATIO", "0.5"),
    ])
    .unwrap();
    let config = &loaded.config;
    assert_eq!(config.providers.lever.base_url, "http://127.0.0.1:9/lever");
    assert_eq!(
        config.providers.lever.eu_base_url.as_deref(),
        Some("https://api.eu.lever.co")
    );
    assert_eq!(config.runner.lock_ttl, Duration::from_secs(90));
    assert_eq!(config.http.retries, 5);
    assert_eq!(config.http.max_body, ByteSize(1 << 20));
    assert_eq!(config.sheets.spreadsheet_id, "123");
    assert!(config.directory.builtin.is_empty());
    assert!(config.discovery.allow_private_networks);
    assert_eq!(config.runner.alert_failure_ratio, 0.5);
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
}

#[test]
fn env_overrides_win_over_the_file() {
    let dir = dir_with_config("[http]\ntimeout = \"15s\"\nretries = 1\n");
    let vars = env(&[("PIPELINE_HTTP__TIMEOUT", "2s")]);
    let config = load(None, dir.path(), &vars).unwrap().config;
    assert_eq!(
        (config.http.timeout, config.http.retries),
        (Duration::from_secs(2), 1)
    );
}

#[test]
fn env_overrides_set_map_keys() {
    let config = load_env(&[
        (
            "PIPELINE_DIRECTORY__BUILTIN_URLS__CATALONIA",
            "http://catalonia.test:8080/list",
        ),
        ("PIPELINE_HTTP__RESOLVE__*.TEST", "127.0.0.1"),
    ])
    .unwrap()
    .config;
    assert_eq!(
        config.directory.builtin_urls["catalonia"],
        "http://catalonia.test:8080/list"
    );
    assert_eq!(config.http.resolve["*.test"], "127.0.0.1");
}

#[test]
fn database_url_comes_from_either_variable_and_the_prefixed_one_wins() {
    let config = load_env(&[("DATABASE_URL", "postgres://u:p@db/x")])
        .unwrap()
        .config;
    assert_eq!(config.database_url, "postgres://u:p@db/x");
    let both = [
        ("PIPELINE_DATABASE_URL", "postgres://u:p@db/mine"),
        ("DATABASE_URL", "postgres://u:p@db/x"),
    ];
    assert_eq!(
        load_env(&both).unwrap().config.database_url,
        "postgres://u:p@db/mine"
    );
}

#[test]
fn a_variable_naming_no_key_is_a_warning() {
    let loaded = load_env(&[
        ("PIPELINE_RUNNER__LOK_TTL", "60s"),
        ("PIPELINE_LOG", "debug"),
        ("PIPELINE_HTTP__TIMEOUT__X", "1s"),
        ("OTHER_VAR", "x"),
    ])
    .unwrap();
    assert_eq!(loaded.warnings.len(), 3, "{:?}", loaded.warnings);
    assert!(
        loaded
            .warnings
            .iter()
            .any(|w| w.contains("PIPELINE_RUNNER__LOK_TTL"))
    );
    assert!(loaded.warnings.iter().any(|w| w.contains("PIPELINE_LOG")));
    assert_eq!(loaded.config.runner.lock_ttl, Duration::from_secs(60));
}

#[test]
fn a_bad_variable_value_names_the_variable_and_the_reason() {
    let error = load_env(&[("PIPELINE_HTTP__TIMEOUT", "soon")])
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("environment variable PIPELINE_HTTP__TIMEOUT: "),
        "{error}"
    );
    let error = load_env(&[
        ("PIPELINE_HTTP__RETRIES", "many"),
        ("PIPELINE_HTTP__TIMEOUT", "1s"),
    ])
    .unwrap_err()
    .to_string();
    assert!(
        error.starts_with("environment variable PIPELINE_HTTP__RETRIES: "),
        "{error}"
    );
}
