//! Tests of the configuration as a whole: the contract's defaults and deserialization of partial tables.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Deserialize;
use serde::de::IntoDeserializer;
use serde::de::value::Error as ValueError;

use super::*;
use crate::board::Provider;

const MINUTE: u64 = 60;
const HOUR: u64 = 3600;
const DAY: u64 = 86_400;

#[test]
fn top_level_http_runner_and_retention_defaults_are_the_contracts() {
    let config = Config::default();
    assert_eq!(config.database_url, "data/pipeline.db");
    assert_eq!(config.catalog, "");
    assert_eq!(config.user_agent, "");
    assert_eq!(config.http.timeout, Duration::from_secs(15));
    assert_eq!(config.http.connect_timeout, Duration::from_secs(5));
    assert_eq!(config.http.retries, 2);
    assert_eq!(config.http.max_body, ByteSize(8_000_000));
    assert!(config.http.resolve.is_empty());
    assert_eq!(config.runner.cycle_sleep_min, Duration::from_secs(5 * MINUTE));
    assert_eq!(config.runner.cycle_sleep_max, Duration::from_secs(15 * MINUTE));
    assert_eq!(config.runner.lock_ttl, Duration::from_secs(60));
    assert_eq!(config.runner.alert_failure_ratio, 0.10);
    assert_eq!(config.runner.failed_cycle_sleep, Duration::from_secs(120));
    assert_eq!(config.retention.runs, Duration::from_secs(180 * DAY));
    assert!(config.boards.is_empty());
}

#[test]
fn directory_discovery_and_ingestion_defaults_are_the_contracts() {
    let config = Config::default();
    assert_eq!(config.directory.builtin, ["catalonia", "madrimasd", "lanzadera"]);
    assert!(config.directory.exclude_domains.is_empty());
    assert!(config.directory.sources.is_empty());
    assert!(config.directory.builtin_urls.is_empty());
    assert_eq!(
        (
            config.directory.max_detail_pages,
            config.directory.max_companies_per_source
        ),
        (50, 50)
    );
    assert!(!config.discovery.allow_private_networks);
    assert_eq!(config.discovery.max_links_to_follow, 5);
    assert_eq!(config.discovery.recheck_after, Duration::from_secs(30 * DAY));
    assert_eq!(
        config.discovery.recheck_boards_after,
        Duration::from_secs(90 * DAY)
    );
    assert_eq!(config.discovery.concurrency, 8);
    assert_eq!(config.ingestion.refresh_after, Duration::from_secs(24 * HOUR));
    assert_eq!(config.ingestion.max_retry_after, Duration::from_secs(10 * MINUTE));
    assert_eq!(config.ingestion.pause_after_429, 3);
    assert_eq!(config.ingestion.pause_for, Duration::from_secs(6 * HOUR));
    assert_eq!(config.ingestion.detail_calls_per_cycle, 2000);
    assert_eq!(
        config.ingestion.details_refresh_after,
        Duration::from_secs(20 * 3600)
    );
}

#[test]
fn directory_lists_are_capped_at_1mb_a_record_and_1gb_a_source_by_default() {
    let config = Config::default();
    assert_eq!(config.directory.max_record_size, ByteSize(1_000_000));
    assert_eq!(config.directory.max_source_size, ByteSize(1_000_000_000));
    let source: DirectorySourceConfig = toml_like([("name", "a"), ("kind", "csv")]);
    assert!(
        !source.multiline_fields,
        "line breaks in fields are off unless a source sets them"
    );
}

fn toml_like<const N: usize>(pairs: [(&str, &str); N]) -> DirectorySourceConfig {
    let table = IntoDeserializer::<ValueError>::into_deserializer(BTreeMap::from(pairs));
    DirectorySourceConfig::deserialize(table).expect("a source with its defaults")
}

#[test]
fn sheets_and_feedback_defaults_are_the_contracts() {
    let config = Config::default();
    assert_eq!(config.sheets.spreadsheet_id, "");
    assert_eq!(config.sheets.credentials, "");
    assert_eq!(config.sheets.token_uri, "https://oauth2.googleapis.com/token");
    assert_eq!(config.sheets.base_url, "https://sheets.googleapis.com/");
    assert_eq!(config.sheets.tab, "Companies");
    assert_eq!(config.sheets.min_score, 0.0);
    assert_eq!(config.feedback.timezone, "Europe/Madrid");
    assert_eq!(config.feedback.window, "03:00-06:00");
    assert_eq!(
        config.feedback.parsed_window().unwrap(),
        FeedbackWindow::Between {
            start: chrono::NaiveTime::from_hms_opt(3, 0, 0).unwrap(),
            end: chrono::NaiveTime::from_hms_opt(6, 0, 0).unwrap(),
        }
    );
}

#[test]
fn provider_defaults_are_the_contracts() {
    let providers = ProvidersConfig::default();
    let expected = [
        (
            Provider::Lever,
            "https://api.lever.co",
            Some("https://api.eu.lever.co"),
            None,
        ),
        (
            Provider::Greenhouse,
            "https://boards-api.greenhouse.io",
            Some("https://boards-api.eu.greenhouse.io"),
            None,
        ),
        (Provider::Ashby, "https://api.ashbyhq.com", None, None),
        (Provider::Workable, "https://apply.workable.com", None, None),
        (
            Provider::SmartRecruiters,
            "https://api.smartrecruiters.com",
            None,
            None,
        ),
        (Provider::Recruitee, "https://{tenant}.recruitee.com", None, None),
        (
            Provider::Personio,
            "https://{tenant}.jobs.personio.de",
            None,
            Some("https://{tenant}.jobs.personio.com"),
        ),
        (
            Provider::Teamtailor,
            "https://{tenant}.teamtailor.com",
            None,
            None,
        ),
        (
            Provider::Workday,
            "https://{tenant}.{pod}.myworkdayjobs.com",
            None,
            None,
        ),
    ];
    for (provider, base, eu, com) in expected {
        let settings = providers.get(provider);
        assert!(settings.enabled, "{provider}");
        assert_eq!(settings.base_url, base);
        assert_eq!(settings.eu_base_url.as_deref(), eu, "{provider}");
        assert_eq!(settings.com_base_url.as_deref(), com, "{provider}");
        assert_eq!(
            (settings.requests_per_second, settings.max_concurrency),
            (2.0, 2),
            "{provider}"
        );
    }
    let jsonld = providers.get(Provider::JsonLd);
    assert!(jsonld.enabled && jsonld.base_url.is_empty());
    assert_eq!(
        (jsonld.requests_per_second, jsonld.max_concurrency),
        (2.0, 4),
        "jsonld: 2 requests a second per site, 4 in flight"
    );
    assert_eq!(providers.iter().count(), 10);
    assert_eq!(IngestionConfig::default().jsonld_max_pages, 200);
}

fn providers_from(tables: BTreeMap<&str, BTreeMap<&str, &str>>) -> Result<ProvidersConfig, ValueError> {
    ProvidersConfig::deserialize(tables.into_deserializer())
}

#[test]
fn unknown_providers_and_provider_keys_are_errors() {
    let table = BTreeMap::from([("base_url", "http://x.test")]);
    let error = providers_from(BTreeMap::from([("jobvite", table)])).unwrap_err();
    assert!(error.to_string().contains("jobvite"), "{error}");
    let typo = BTreeMap::from([("base_uri", "http://x.test")]);
    let error = providers_from(BTreeMap::from([("lever", typo)])).unwrap_err();
    assert!(error.to_string().contains("base_uri"), "{error}");
}

#[test]
fn duration_fields_refuse_bare_numbers_with_a_hint() {
    let error = duration_text::deserialize::<serde::de::value::U64Deserializer<ValueError>>(
        90u64.into_deserializer(),
    )
    .unwrap_err();
    assert!(error.to_string().contains("write a unit"), "{error}");
    let parsed = duration_text::deserialize::<serde::de::value::StrDeserializer<'_, ValueError>>(
        "1h30m".into_deserializer(),
    );
    assert_eq!(parsed.unwrap(), Duration::from_secs(90 * MINUTE));
}

#[test]
fn issues_display_key_and_reason() {
    let issue = ConfigIssue::new("delimiter", "not one byte").under("directory.sources[0]");
    assert_eq!(issue.to_string(), "directory.sources[0].delimiter: not one byte");
}

#[test]
fn the_feedback_window_follows_madrid_local_time_across_dst_changes() {
    let config = Config::default().feedback;
    let at = |s: &str| {
        config
            .is_open_at(chrono::DateTime::parse_from_rfc3339(s).unwrap().to_utc())
            .unwrap()
    };
    // Winter (CET = UTC+1), the original's instants.
    assert!(at("2026-02-05T02:00:00Z") && at("2026-02-05T04:59:59Z"));
    assert!(!at("2026-02-05T01:59:59Z") && !at("2026-02-05T05:00:00Z"));
    // Summer (CEST = UTC+2).
    assert!(at("2026-07-01T01:00:00Z") && !at("2026-07-01T04:00:00Z") && !at("2026-07-01T00:59:59Z"));
    // 29 March 2026: at 01:00Z clocks jump from 02:00 CET to 03:00 CEST: the window opens at once.
    assert!(!at("2026-03-29T00:59:59Z") && at("2026-03-29T01:00:00Z") && !at("2026-03-29T04:00:00Z"));
    // 25 October 2026: at 01:00Z clocks fall back from 03:00 CEST to 02:00 CET: 03:00 local comes at 02:00Z.
    assert!(!at("2026-10-25T00:59:59Z") && !at("2026-10-25T01:59:59Z") && at("2026-10-25T02:00:00Z"));
    assert!(at("2026-10-25T04:59:59Z") && !at("2026-10-25T05:00:00Z"));
    let always = FeedbackConfig {
        window: "always".into(),
        ..FeedbackConfig::default()
    };
    assert_eq!(always.is_open_at(chrono::Utc::now()), Ok(true));
    let wrapped = FeedbackConfig {
        window: "22:00-02:00".into(),
        timezone: "UTC".into(),
    };
    let open = |s: &str| {
        wrapped
            .is_open_at(chrono::DateTime::parse_from_rfc3339(s).unwrap().to_utc())
            .unwrap()
    };
    assert!(open("2026-01-01T23:00:00Z") && open("2026-01-01T01:59:00Z") && !open("2026-01-01T02:00:00Z"));
}

#[test]
fn a_jsonld_board_can_be_declared_and_a_bad_one_is_named() {
    let declared = |board: &str| Config {
        boards: vec![BoardDecl {
            company: "acme.com".into(),
            board: board.into(),
            at: None,
        }],
        ..Config::default()
    };
    assert_eq!(
        declared("jsonld:https://acme.com/careers?utm_source=x").validate(),
        Ok(())
    );
    let issues = declared("jsonld:careers").validate().unwrap_err();
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].key, "boards[0].board");
    assert!(issues[0].reason.contains("careers page's URL"), "{}", issues[0]);
}
