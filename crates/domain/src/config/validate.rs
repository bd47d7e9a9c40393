//! The checks a configuration must pass before any work is done; each issue names its dotted key.

use std::net::IpAddr;
use std::time::Duration;

use crate::board::BoardRef;
use crate::text::echo;

use super::{Config, ConfigIssue};

impl Config {
    /// Checks values the types alone cannot: ranges, orderings, URL and board shapes, source settings.
    pub fn validate(&self) -> Result<(), Vec<ConfigIssue>> {
        let mut issues = Vec::new();
        issues.extend(self.top_level_issues());
        issues.extend(self.http_issues());
        issues.extend(self.runner_issues());
        issues.extend(self.directory.validate());
        issues.extend(self.discovery_issues());
        issues.extend(self.board_issues());
        issues.extend(self.provider_issues());
        issues.extend(self.sheets_issues());
        if let Err(reason) = self.feedback.parsed_window() {
            issues.push(ConfigIssue::new("feedback.window", reason));
        }
        if let Err(reason) = time_zone(&self.feedback.timezone) {
            issues.push(ConfigIssue::new("feedback.timezone", reason));
        }
        if issues.is_empty() { Ok(()) } else { Err(issues) }
    }

    fn top_level_issues(&self) -> Vec<ConfigIssue> {
        let mut issues = Vec::new();
        if self.database_url.trim().is_empty() {
            issues.push(ConfigIssue::new("database_url", "must not be empty"));
        }
        // Sent as a header on every request: a control character (a newline above all) would only fail
        // when the first client is built, after work has started.
        if let Some((index, c)) = self.user_agent.chars().enumerate().find(|(_, c)| c.is_control()) {
            let reason = format!(
                "must not contain control characters (an HTTP header value): found U+{:04X} at character {}",
                u32::from(c),
                index + 1
            );
            issues.push(ConfigIssue::new("user_agent", reason));
        }
        issues
    }

    fn http_issues(&self) -> Vec<ConfigIssue> {
        let mut issues = Vec::new();
        positive(&mut issues, "http.timeout", self.http.timeout);
        positive(&mut issues, "http.connect_timeout", self.http.connect_timeout);
        if self.http.max_body.as_u64() == 0 {
            issues.push(ConfigIssue::new("http.max_body", "must be more than 0 bytes"));
        }
        for (host, address) in &self.http.resolve {
            let reasons = [host_pattern(host), ip_address(address)];
            for reason in reasons.into_iter().filter_map(Result::err) {
                issues.push(ConfigIssue::new(format!("http.resolve.{}", echo(host)), reason));
            }
        }
        issues
    }

    fn runner_issues(&self) -> Vec<ConfigIssue> {
        let runner = &self.runner;
        let mut issues = Vec::new();
        if !(0.0..=1.0).contains(&runner.alert_failure_ratio) {
            let reason = format!("must be between 0 and 1, got {}", runner.alert_failure_ratio);
            issues.push(ConfigIssue::new("runner.alert_failure_ratio", reason));
        }
        if runner.cycle_sleep_min > runner.cycle_sleep_max {
            let reason = "must not be longer than runner.cycle_sleep_max";
            issues.push(ConfigIssue::new("runner.cycle_sleep_min", reason));
        }
        if runner.lock_ttl < Duration::from_secs(3) {
            let reason = "must be at least 3s (heartbeats run every lock_ttl/3)";
            issues.push(ConfigIssue::new("runner.lock_ttl", reason));
        }
        issues
    }

    fn discovery_issues(&self) -> Vec<ConfigIssue> {
        let mut issues = Vec::new();
        if self.discovery.concurrency < 1 {
            issues.push(ConfigIssue::new("discovery.concurrency", "must be at least 1"));
        }
        if self.ingestion.jsonld_max_pages < 1 {
            let reason = "must be at least 1 (the careers page itself)";
            issues.push(ConfigIssue::new("ingestion.jsonld_max_pages", reason));
        }
        issues
    }

    fn board_issues(&self) -> Vec<ConfigIssue> {
        let mut issues = Vec::new();
        for (index, decl) in self.boards.iter().enumerate() {
            if decl.company.trim().is_empty() {
                issues.push(ConfigIssue::new(
                    format!("boards[{index}].company"),
                    "must name the company's domain",
                ));
            }
            if let Err(error) = decl.board.parse::<BoardRef>() {
                issues.push(ConfigIssue::new(
                    format!("boards[{index}].board"),
                    error.to_string(),
                ));
            }
        }
        issues
    }

    fn provider_issues(&self) -> Vec<ConfigIssue> {
        self.providers
            .iter()
            .flat_map(|(provider, settings)| settings.issues(provider))
            .collect()
    }

    fn sheets_issues(&self) -> Vec<ConfigIssue> {
        let mut issues = Vec::new();
        for (key, url) in [
            ("sheets.token_uri", &self.sheets.token_uri),
            ("sheets.base_url", &self.sheets.base_url),
        ] {
            if let Err(reason) = http_url(url) {
                issues.push(ConfigIssue::new(key, reason));
            }
        }
        if !(0.0..=10.0).contains(&self.sheets.min_score) {
            let reason = format!(
                "must be between 0 and 10 (scores are 0-10), got {}",
                self.sheets.min_score
            );
            issues.push(ConfigIssue::new("sheets.min_score", reason));
        }
        if self.sheets.tab.trim().is_empty() {
            issues.push(ConfigIssue::new("sheets.tab", "must not be empty"));
        }
        issues
    }
}

fn positive(issues: &mut Vec<ConfigIssue>, key: &str, duration: Duration) {
    if duration.is_zero() {
        issues.push(ConfigIssue::new(key, "must be longer than 0s"));
    }
}

/// An `[http] resolve` host: an exact host name, or `*.` and a domain for any of its subdomains (the
/// patterns `pipeline_http::HostOverride` matches); a trailing dot and case do not matter.
fn host_pattern(pattern: &str) -> Result<(), String> {
    let name = pattern.trim().trim_end_matches('.');
    let name = name.strip_prefix("*.").unwrap_or(name);
    let label_ok = |label: &str| {
        (1..=63).contains(&label.len())
            && label
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    if !name.is_empty() && name.len() <= 253 && name.split('.').all(label_ok) {
        Ok(())
    } else {
        Err(format!(
            "`{}` is not a host name or `*.domain` pattern (e.g. \"api.test\", \"*.test\")",
            echo(pattern)
        ))
    }
}

/// An `[http] resolve` address: an IPv4 or IPv6 address, no port.
fn ip_address(text: &str) -> Result<(), String> {
    text.trim().parse::<IpAddr>().map(drop).map_err(|_| {
        format!(
            "`{}` is not an IP address (e.g. \"127.0.0.1\" or \"::1\")",
            echo(text)
        )
    })
}

/// `feedback.timezone`: a name of the IANA time zone database (`Europe/Madrid`, `UTC`), as chrono-tz knows it.
fn time_zone(name: &str) -> Result<(), String> {
    if name.trim().is_empty() {
        return Err("must name a time zone, e.g. \"Europe/Madrid\"".to_owned());
    }
    name.parse::<chrono_tz::Tz>().map(drop).map_err(|_| {
        format!(
            "`{}` is not a time zone of the IANA database (e.g. \"Europe/Madrid\", \"UTC\")",
            echo(name)
        )
    })
}

/// A base URL that may hold `{tenant}` / `{pod}` placeholders: checked with sample values put in.
pub(super) fn template_url(text: &str) -> Result<(), String> {
    http_url(&text.replace("{tenant}", "tenant").replace("{pod}", "pod"))
        .map_err(|_| format!("`{text}` is not an http(s) URL (placeholders {{tenant}}, {{pod}} allowed)"))
}

/// Checks that `text` is an absolute `http://` or `https://` URL with a host.
pub(super) fn http_url(text: &str) -> Result<(), String> {
    match url::Url::parse(text.trim()) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => Ok(()),
        Ok(url) => Err(format!(
            "`{text}` is not an http(s) URL (scheme `{}`)",
            url.scheme()
        )),
        Err(error) => Err(format!("`{text}` is not a URL: {error}")),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{BoardDecl, DirectorySourceConfig, SourceKind};
    use super::*;

    fn keys(config: &Config) -> Vec<String> {
        config
            .validate()
            .unwrap_err()
            .into_iter()
            .map(|issue| issue.key)
            .collect()
    }

    #[test]
    fn the_defaults_are_valid() {
        assert_eq!(Config::default().validate(), Ok(()));
    }

    #[test]
    fn runner_and_discovery_issues_name_the_key() {
        let mut config = Config::default();
        config.runner.alert_failure_ratio = 1.5;
        config.runner.cycle_sleep_min = Duration::from_secs(3600);
        config.runner.lock_ttl = Duration::from_secs(2);
        config.discovery.concurrency = 0;
        assert_eq!(
            keys(&config),
            [
                "runner.alert_failure_ratio",
                "runner.cycle_sleep_min",
                "runner.lock_ttl",
                "discovery.concurrency"
            ]
        );
    }

    #[test]
    fn provider_issues_name_the_provider() {
        let mut config = Config::default();
        config.providers.greenhouse.requests_per_second = 0.0;
        config.providers.workday.max_concurrency = 0;
        config.providers.lever.eu_base_url = Some("api.eu.lever.co".to_owned());
        config.providers.recruitee.base_url = "http://127.0.0.1:8080/recruitee/{tenant}".to_owned();
        assert_eq!(
            keys(&config),
            [
                "providers.lever.eu_base_url",
                "providers.greenhouse.requests_per_second",
                "providers.workday.max_concurrency"
            ]
        );
        let mut config = Config::default();
        config.providers.jsonld.base_url = "https://acme.com".to_owned();
        config.ingestion.jsonld_max_pages = 0;
        assert_eq!(
            keys(&config),
            ["ingestion.jsonld_max_pages", "providers.jsonld.base_url"]
        );
    }

    #[test]
    fn boards_sources_window_and_urls_are_checked() {
        let boards = vec![
            BoardDecl {
                company: "acme.com".into(),
                board: "greenhouse:acme".into(),
                at: None,
            },
            BoardDecl {
                company: "acme.com".into(),
                board: "jobvite:acme".into(),
                at: None,
            },
            BoardDecl {
                company: "".into(),
                board: "lever:acme@eu".into(),
                at: None,
            },
        ];
        let mut config = Config {
            boards,
            ..Config::default()
        };
        let mut source = DirectorySourceConfig::new("mine", SourceKind::Csv);
        source.url = Some("https://lists.test/x.csv".into());
        source.delimiter = ";;".into();
        config.directory.sources = vec![source];
        config.feedback.window = "3-6".into();
        config.sheets.base_url = "sheets".into();
        assert_eq!(
            keys(&config),
            [
                "directory.sources[0].delimiter",
                "boards[1].board",
                "boards[2].company",
                "sheets.base_url",
                "feedback.window"
            ]
        );
    }

    #[test]
    fn feedback_windows() {
        let mut config = Config::default();
        for window in ["always", "22:00-02:00", "00:00-23:59"] {
            config.feedback.window = window.into();
            assert_eq!(config.validate(), Ok(()), "{window}");
        }
        for window in ["3:00-6:00", "03:00-03:00", "24:00-01:00", "03:00", "never"] {
            config.feedback.window = window.into();
            assert_eq!(keys(&config), ["feedback.window"], "{window}");
        }
    }

    fn with(config: &mut Config, set: impl Fn(&mut Config, &str), value: &str) -> Vec<String> {
        set(config, value);
        let keys = |issues: Vec<ConfigIssue>| issues.into_iter().map(|issue| issue.key).collect();
        config.validate().map_or_else(keys, |()| Vec::new())
    }

    #[test]
    fn a_user_agent_with_a_control_character_is_refused_naming_the_key() {
        let set = |config: &mut Config, value: &str| config.user_agent = value.into();
        let config = &mut Config::default();
        for agent in ["acme-bot/1\nX-Injected: 1", "tab\there", "nul\0", "c1\u{85}"] {
            assert_eq!(with(config, set, agent), ["user_agent"], "{agent:?}");
        }
        assert!(with(config, set, "acme-bot/1 (+https://acme.test; ñ)").is_empty());
    }

    #[test]
    fn http_resolve_entries_need_a_host_pattern_and_an_ip_address() {
        let set = |config: &mut Config, entry: &str| {
            let (host, address) = entry.split_once(" = ").expect("host = address");
            config.http.resolve = [(host.to_owned(), address.to_owned())].into();
        };
        let config = &mut Config::default();
        for good in ["*.test = 127.0.0.1", "API.test. = ::1", "a_b.test = 10.0.0.1"] {
            assert!(with(config, set, good).is_empty(), "{good}");
        }
        for entry in [
            "api.test = no-ip",
            "api.test = 1.2.3.4:80",
            "api.test = localhost",
            "api.test = ",
        ] {
            assert_eq!(with(config, set, entry), ["http.resolve.api.test"], "{entry}");
        }
        for host in ["", "*.", "http://api.test", "a b.test", "a.*.test"] {
            let (entry, key) = (format!("{host} = 127.0.0.1"), format!("http.resolve.{host}"));
            assert_eq!(with(config, set, &entry), [key], "{entry}");
        }
        set(config, &format!("api.test = {}", "x".repeat(10_000)));
        let reason = &config.validate().unwrap_err()[0].reason;
        assert!(reason.starts_with("`xxx") && reason.len() < 400, "{reason}");
    }

    #[test]
    fn feedback_timezone_must_be_an_iana_zone() {
        let set = |config: &mut Config, value: &str| config.feedback.timezone = value.into();
        let config = &mut Config::default();
        for zone in ["Europe/Madrid", "UTC", "America/Argentina/Buenos_Aires"] {
            assert!(with(config, set, zone).is_empty(), "{zone}");
        }
        for zone in ["Mars/Olympus", "", " ", "+01:00", "Europe/Madrid\n"] {
            assert_eq!(with(config, set, zone), ["feedback.timezone"], "{zone:?}");
        }
    }
}
