//! Tests of loading: file errors located at FILE:LINE with the dotted key, environment overrides, paths.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use pipeline_domain::Provider;
use pipeline_domain::config::keys::{self, Key, KeyKind};
use pipeline_domain::config::{
    BoardDecl, ByteSize, Config, DirectorySourceConfig, ProviderConfig, SourceKind,
};

use super::*;

/// A temporary working directory holding `pipeline.toml` with `text`.
fn dir_with_config(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(DEFAULT_FILE_NAME), text).unwrap();
    dir
}

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect()
}

fn load_text(text: &str) -> Result<LoadedConfig, ConfigError> {
    let dir = dir_with_config(text);
    load(None, dir.path(), &[])
}

fn load_error(text: &str) -> String {
    load_text(text)
        .expect_err("the file should be refused")
        .to_string()
}

fn load_env(pairs: &[(&str, &str)]) -> Result<LoadedConfig, ConfigError> {
    let dir = tempfile::tempdir().unwrap();
    load(None, dir.path(), &env(pairs))
}

#[test]
fn an_unknown_key_names_file_line_and_dotted_key() {
    let message = load_error("# pipeline\n[runner]\nlok_ttl = \"60s\"\n");
    assert_eq!(
        message,
        "pipeline.toml:3: unknown key `runner.lok_ttl` (did you mean `lock_ttl`?)"
    );
    let message = load_error("database_url = \"x.db\"\ncatalogue = \"c.toml\"\n");
    assert!(
        message.starts_with("pipeline.toml:2: unknown key `catalogue`"),
        "{message}"
    );
    let message = load_error("runner.lock_ttl = \"60s\"\nhttp.timeot = \"1s\"\n");
    assert!(
        message.starts_with("pipeline.toml:2: unknown key `http.timeot`"),
        "{message}"
    );
}

#[test]
fn unknown_keys_in_provider_tables_and_unknown_providers_are_located() {
    let message = load_error("[providers.lever]\nenabled = true\nbase_uri = \"http://x.test\"\n");
    assert!(
        message.starts_with("pipeline.toml:3: unknown key `providers.lever.base_uri`"),
        "{message}"
    );
    let message = load_error("[http]\nretries = 1\n\n[providers.jobvite]\nenabled = false\n");
    assert_eq!(message, "pipeline.toml:4: unknown key `providers.jobvite`");
}

#[test]
fn unknown_keys_in_arrays_of_tables_are_located() {
    let text = "[[directory.sources]]\nname = \"a\"\nkind = \"csv\"\npath = \"a.csv\"\n\n\
                [[directory.sources]]\nnmae = \"b\"\nkind = \"csv\"\n";
    let message = load_error(text);
    assert!(
        message.starts_with("pipeline.toml:7: unknown key `directory.sources.nmae`"),
        "{message}"
    );
    let message = load_error("[[boards]]\ncompany = \"acme.com\"\nboard = \"lever:acme\"\nnote = \"x\"\n");
    assert_eq!(message, "pipeline.toml:4: unknown key `boards.note`");
}

#[test]
fn every_unknown_key_is_listed_in_file_order() {
    let message = load_error("zeta = 1\n[runner]\nalpha = 2\n");
    assert_eq!(
        message,
        "pipeline.toml:1: unknown key `zeta`\npipeline.toml:3: unknown key `runner.alpha`"
    );
}

#[test]
fn a_bad_value_names_file_line_key_and_reason() {
    let message = load_error("[http]\nretries = 1\ntimeout = 15\n");
    assert!(
        message.starts_with("pipeline.toml:3: `http.timeout`: "),
        "{message}"
    );
    assert!(message.contains("write a unit"), "{message}");
    let message = load_error("[ingestion]\npause_for = \"6x\"\n");
    assert!(
        message.starts_with("pipeline.toml:2: `ingestion.pause_for`: "),
        "{message}"
    );
    assert!(message.contains("unknown unit"), "{message}");
    let message = load_error("[http]\nmax_body = \"8 parsecs\"\n");
    assert!(
        message.starts_with("pipeline.toml:2: `http.max_body`: "),
        "{message}"
    );
    let message = load_error("[providers.greenhouse]\nmax_concurrency = \"two\"\n");
    assert!(
        message.starts_with("pipeline.toml:2: `providers.greenhouse.max_concurrency`: "),
        "{message}"
    );
    let message = load_error("[[directory.sources]]\nname = \"a\"\nkind = \"xml\"\n");
    assert!(
        message.starts_with("pipeline.toml:3: `directory.sources.kind`: "),
        "{message}"
    );
}

#[test]
fn a_syntax_error_names_file_and_line() {
    let message = load_error("[http]\ntimeout = \"15s\"\nretries = = 2\n");
    assert!(message.starts_with("pipeline.toml:3: "), "{message}");
}

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

#[test]
fn validation_issues_are_listed_with_their_file_line_or_variable() {
    let dir = dir_with_config(
        "[runner]\nalert_failure_ratio = 1.5\n\n[[boards]]\ncompany = \"a.com\"\nboard = \"x\"\n",
    );
    let vars = env(&[("PIPELINE_FEEDBACK__WINDOW", "sometimes")]);
    let error = load(None, dir.path(), &vars).unwrap_err();
    let message = error.to_string();
    let lines: Vec<&str> = message.lines().collect();
    assert_eq!(lines[0], "invalid configuration:");
    assert!(
        lines[1].starts_with("  pipeline.toml:2: runner.alert_failure_ratio: "),
        "{message}"
    );
    assert!(
        lines[2].starts_with("  pipeline.toml:6: boards[0].board: "),
        "{message}"
    );
    assert!(lines[3].starts_with("  feedback.window: "), "{message}");
    assert!(
        lines[3].ends_with("(set by PIPELINE_FEEDBACK__WINDOW)"),
        "{message}"
    );
}

/// Every key the structs serialize is in the key tree with a matching kind, and every key of the tree is
/// serialized: the tree used for unknown keys and environment overrides cannot drift from the structs.
#[test]
fn the_key_tree_matches_the_structs() {
    let table = toml::Table::try_from(fully_populated()).unwrap();
    assert_same_keys(&table, keys::ROOT, "");
}

fn fully_populated() -> Config {
    let mut config = Config::default();
    config.http.resolve.insert("*.test".into(), "127.0.0.1".into());
    config.directory.exclude_domains.push("x.com".into());
    config
        .directory
        .builtin_urls
        .insert("catalonia".into(), "http://c.test/".into());
    let mut source = DirectorySourceConfig::new("mine", SourceKind::Csv);
    source.path = Some(PathBuf::from("a.csv"));
    source.url = Some("http://a.test/a.csv".into());
    config.directory.sources.push(source);
    config.boards.push(BoardDecl {
        company: "acme.com".into(),
        board: "lever:acme".into(),
    });
    for provider in Provider::ALL {
        let settings = provider_mut(&mut config, provider);
        settings.eu_base_url = Some("http://eu.test".into());
        settings.com_base_url = Some("http://com.test".into());
    }
    config
}

fn provider_mut(config: &mut Config, provider: Provider) -> &mut ProviderConfig {
    let providers = &mut config.providers;
    match provider {
        Provider::Lever => &mut providers.lever,
        Provider::Greenhouse => &mut providers.greenhouse,
        Provider::Ashby => &mut providers.ashby,
        Provider::Workable => &mut providers.workable,
        Provider::SmartRecruiters => &mut providers.smartrecruiters,
        Provider::Recruitee => &mut providers.recruitee,
        Provider::Personio => &mut providers.personio,
        Provider::Teamtailor => &mut providers.teamtailor,
        Provider::Workday => &mut providers.workday,
    }
}

fn assert_same_keys(table: &toml::Table, known: &'static [Key], prefix: &str) {
    let names: Vec<&str> = known.iter().map(|key| key.name).collect();
    let written: Vec<&str> = table.keys().map(String::as_str).collect();
    let (mut names_sorted, mut written_sorted) = (names.clone(), written.clone());
    names_sorted.sort_unstable();
    written_sorted.sort_unstable();
    assert_eq!(names_sorted, written_sorted, "keys of `{prefix}`");
    for key in known {
        let path = format!("{prefix}.{}", key.name);
        assert_kind(&table[key.name], key.kind, &path);
    }
}

fn assert_kind(value: &toml::Value, kind: KeyKind, path: &str) {
    match (kind, value) {
        (KeyKind::Text, toml::Value::String(_)) => {}
        (KeyKind::Scalar, v) => assert!(!v.is_table() && !v.is_array(), "{path} is a scalar"),
        (KeyKind::List, toml::Value::Array(items)) => {
            assert!(items.iter().all(toml::Value::is_str), "{path}")
        }
        (KeyKind::Map, toml::Value::Table(map)) => assert!(map.values().all(toml::Value::is_str), "{path}"),
        (KeyKind::Table(children), toml::Value::Table(inner)) => assert_same_keys(inner, children, path),
        (KeyKind::TableList(children), toml::Value::Array(items)) => {
            assert!(!items.is_empty(), "{path} has an example");
            for item in items {
                assert_same_keys(item.as_table().expect("a table"), children, path);
            }
        }
        (kind, value) => panic!("{path}: {kind:?} does not match {value:?}"),
    }
}
