//! Validation issues located at their file line or variable, and the key tree checked against the structs.

use std::path::PathBuf;

use pipeline_domain::Provider;
use pipeline_domain::config::keys::{self, Key, KeyKind};
use pipeline_domain::config::{BoardDecl, Config, DirectorySourceConfig, SourceKind};

use super::*;

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
        at: None,
    });
    for provider in Provider::ALL {
        let settings = config.providers.get_mut(provider);
        settings.eu_base_url = Some("http://eu.test".into());
        settings.com_base_url = Some("http://com.test".into());
    }
    config
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

/// Values checked at load, before any work, each at its line: a header-breaking `user_agent`, an `[http]
/// resolve` entry (a host holding dots is one key), a time zone the IANA database does not have.
#[test]
fn user_agent_resolve_and_timezone_issues_are_located_at_their_line() {
    let message = load_error(
        "user_agent = \"bot/1\\nX-Injected: yes\"\n\n[http.resolve]\n\"*.test\" = \"127.0.0.1\"\n\
         \"api.test\" = \"localhost\"\n\n[feedback]\ntimezone = \"Mars/Olympus\"\n",
    );
    let lines: Vec<&str> = message.lines().collect();
    assert_eq!(lines.len(), 4, "{message}");
    assert!(
        lines[1].starts_with("  pipeline.toml:1: user_agent: must not contain control characters"),
        "{message}"
    );
    assert!(
        lines[2].starts_with("  pipeline.toml:5: http.resolve.api.test: `localhost` is not an IP address"),
        "{message}"
    );
    assert!(
        lines[3].starts_with("  pipeline.toml:8: feedback.timezone: `Mars/Olympus` is not a time zone"),
        "{message}"
    );
}
