//! Client settings, and how the configuration makes them: `[http]`, `user_agent` and the `[http] resolve`
//! overrides for the API client; the same with discovery's page caps and the SSRF guard for the client that
//! reads company websites.

use std::time::Duration;

use pipeline_domain::Backoff;
use pipeline_domain::config::Config;

use super::{HostOverride, NetworkPolicy, OverrideResolver};

/// Settings from `[http]` and `user_agent`.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    /// The `User-Agent` of every request: who is asking, and where to read about it.
    pub user_agent: String,
    /// The most a whole request (connect, send, read the body) may take.
    pub timeout: Duration,
    /// The most the TCP and TLS connection may take.
    pub connect_timeout: Duration,
    /// Retries of transient failures per request.
    pub retries: u32,
    /// The largest body read, in bytes; a larger one fails as [`crate::HttpError::TooLarge`].
    pub max_body: u64,
    /// The waits between retries of transient failures.
    pub backoff: Backoff,
    /// The longest `Retry-After` of a 429 the client waits out before sending the request again
    /// (`ingestion.max_retry_after`, 10 min). A 429 asking for longer, or saying nothing, comes back at once
    /// as rate-limited, so that the caller can pause the provider (docs/stages.md#pauses).
    pub max_retry_after: Duration,
    /// How many 429s one request waits out (each at most `max_retry_after`) before the last one comes back
    /// as rate-limited. Counted apart from `retries`.
    pub rate_limit_retries: u32,
    /// DNS, with the `[http] resolve` overrides.
    pub resolver: OverrideResolver,
    /// `PublicOnly` for clients that fetch URLs from public lists (the SSRF guard).
    pub policy: NetworkPolicy,
    /// How long an idle keep-alive connection is kept, and how many per host. The API client keeps as many
    /// as the stages have requests in flight (up to 64: providers may share a host, a proxy or a test world,
    /// and a connection closed for want of an idle slot is a new connection for the next request) and for
    /// long (one host serves every board of a provider); the company-site client keeps one briefly (a site
    /// is read once, page after page), else a run over 10,000 sites holds 10,000 idle sockets.
    pub pool_idle_timeout: Duration,
    /// See `pool_idle_timeout`.
    pub pool_max_idle_per_host: usize,
    /// CA certificates trusted in addition to the system's (`http.ca_file`).
    pub extra_roots: Vec<reqwest::Certificate>,
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            user_agent: default_user_agent(),
            timeout: Duration::from_secs(15),
            connect_timeout: Duration::from_secs(5),
            retries: 2,
            max_body: 8_000_000,
            backoff: Backoff::HTTP,
            max_retry_after: DEFAULT_MAX_RETRY_AFTER,
            rate_limit_retries: RATE_LIMIT_RETRIES,
            resolver: OverrideResolver::default(),
            policy: NetworkPolicy::Any,
            pool_idle_timeout: Duration::from_secs(90),
            pool_max_idle_per_host: 64,
            extra_roots: Vec::new(),
        }
    }
}

/// `ingestion.max_retry_after`'s default.
const DEFAULT_MAX_RETRY_AFTER: Duration = Duration::from_secs(10 * 60);
/// 429s waited out per request.
const RATE_LIMIT_RETRIES: u32 = 3;

/// `pipeline/<version> (+<repository url>)`.
pub fn default_user_agent() -> String {
    format!(
        "pipeline/{} (+{})",
        env!("CARGO_PKG_VERSION"),
        env!("CARGO_PKG_REPOSITORY")
    )
}

/// A configuration value the settings cannot be made from: the configuration must be fixed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HttpConfigError {
    /// An `[http] resolve` entry whose host pattern or address is not usable.
    #[error("http.resolve.{host}: {reason}")]
    Resolve {
        /// The host pattern, as written.
        host: String,
        /// What is wrong with it or its address.
        reason: String,
    },
    /// `http.ca_file` cannot be read or holds no PEM certificate.
    #[error("http.ca_file: {path}: {reason}")]
    CaFile {
        /// The file, as configured (resolved against the config file's folder).
        path: String,
        /// The I/O or PEM error.
        reason: String,
    },
}

/// The certificates of `http.ca_file` (none when it is empty).
fn extra_roots(path: &str) -> Result<Vec<reqwest::Certificate>, HttpConfigError> {
    if path.is_empty() {
        return Ok(Vec::new());
    }
    let bad = |reason: String| HttpConfigError::CaFile {
        path: path.to_owned(),
        reason,
    };
    let pem = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
    let certificates = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| bad(e.to_string()))?;
    if certificates.is_empty() {
        return Err(bad("no PEM certificate in it".to_owned()));
    }
    Ok(certificates)
}

/// Discovery's caps on a company's pages (docs/stages.md#discovery-fetching): 10 s per page, 2 MB per body,
/// at most one retry, and a 429 waited out only when it asks for no more than a page's time.
const PAGE_TIMEOUT: Duration = Duration::from_secs(10);
const PAGE_MAX_BODY: u64 = 2_000_000;
const PAGE_RETRIES: u32 = 1;
/// A company site's idle connection is dropped this soon after its last page.
const PAGE_POOL_IDLE: Duration = Duration::from_secs(2);

impl HttpSettings {
    /// The settings of the client for configured URLs (provider APIs, directory lists): `[http]` as
    /// configured, `user_agent` (empty: [`default_user_agent`]), the `[http] resolve` overrides and
    /// `ingestion.max_retry_after` (so that `board`, `detect` and the stages wait out the same 429s).
    pub fn from_config(config: &Config) -> Result<Self, HttpConfigError> {
        let overrides = config
            .http
            .resolve
            .iter()
            .map(|(host, addr)| {
                HostOverride::new(host, addr).map_err(|reason| HttpConfigError::Resolve {
                    host: host.clone(),
                    reason,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let user_agent = if config.user_agent.trim().is_empty() {
            default_user_agent()
        } else {
            config.user_agent.clone()
        };
        Ok(Self {
            extra_roots: extra_roots(&config.http.ca_file)?,
            user_agent,
            timeout: config.http.timeout,
            connect_timeout: config.http.connect_timeout,
            retries: config.http.retries,
            max_body: config.http.max_body.as_u64(),
            max_retry_after: config.ingestion.max_retry_after,
            resolver: OverrideResolver::new(overrides),
            ..Self::default()
        })
    }

    /// The settings of the client discovery reads company websites with: [`from_config`](Self::from_config)
    /// capped at 10 s per page, 2 MB per body, one retry and 429 waits of at most 10 s, behind the SSRF guard unless
    /// `discovery.allow_private_networks` (docs/stages.md#ssrf-guard).
    pub fn for_company_sites(config: &Config) -> Result<Self, HttpConfigError> {
        let mut settings = Self::from_config(config)?;
        settings.timeout = settings.timeout.min(PAGE_TIMEOUT);
        settings.max_body = settings.max_body.min(PAGE_MAX_BODY);
        settings.retries = settings.retries.min(PAGE_RETRIES);
        settings.max_retry_after = settings.max_retry_after.min(PAGE_TIMEOUT);
        settings.rate_limit_retries = settings.rate_limit_retries.min(PAGE_RETRIES);
        settings.pool_idle_timeout = PAGE_POOL_IDLE;
        settings.pool_max_idle_per_host = 1;
        settings.policy = if config.discovery.allow_private_networks {
            NetworkPolicy::Any
        } else {
            NetworkPolicy::PublicOnly
        };
        Ok(settings)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn config() -> Config {
        let mut config = Config::default();
        config.http.timeout = Duration::from_secs(30);
        config.http.retries = 4;
        config.http.resolve = BTreeMap::from([("*.test".to_owned(), "127.0.0.1".to_owned())]);
        config
    }

    #[test]
    fn the_api_settings_are_the_http_section_as_configured() {
        let mut config = config();
        let settings = HttpSettings::from_config(&config).unwrap();
        assert_eq!(settings.user_agent, default_user_agent());
        assert_eq!((settings.timeout, settings.retries), (Duration::from_secs(30), 4));
        assert_eq!(settings.max_body, config.http.max_body.as_u64());
        assert_eq!(settings.max_retry_after, Duration::from_secs(10 * 60));
        assert_eq!(settings.policy, NetworkPolicy::Any);
        assert!(settings.resolver.lookup_override("acme.test").is_some());
        config.user_agent = "acme-bot/1".into();
        assert_eq!(
            HttpSettings::from_config(&config).unwrap().user_agent,
            "acme-bot/1"
        );
    }

    #[test]
    fn the_longest_retry_after_waited_out_is_ingestion_max_retry_after() {
        let mut config = config();
        config.ingestion.max_retry_after = Duration::from_secs(90);
        let settings = HttpSettings::from_config(&config).unwrap();
        assert_eq!(settings.max_retry_after, Duration::from_secs(90));
        assert_eq!(settings.rate_limit_retries, RATE_LIMIT_RETRIES);
        let pages = HttpSettings::for_company_sites(&config).unwrap();
        assert_eq!(pages.max_retry_after, PAGE_TIMEOUT);
    }

    #[test]
    fn a_bad_resolve_entry_names_its_key() {
        let mut config = config();
        config.http.resolve.insert("api.test".into(), "not-an-ip".into());
        let error = HttpSettings::from_config(&config).unwrap_err();
        assert_eq!(
            error.to_string(),
            "http.resolve.api.test: `not-an-ip` is not an IP address"
        );
    }

    #[test]
    fn company_sites_get_the_page_caps_and_the_guard() {
        let mut config = config();
        let pages = HttpSettings::for_company_sites(&config).unwrap();
        assert_eq!(pages.timeout, PAGE_TIMEOUT);
        assert_eq!(pages.max_body, PAGE_MAX_BODY.min(config.http.max_body.as_u64()));
        assert_eq!(pages.retries, PAGE_RETRIES);
        assert_eq!(pages.policy, NetworkPolicy::PublicOnly);
        assert_eq!(
            (pages.pool_idle_timeout, pages.pool_max_idle_per_host),
            (PAGE_POOL_IDLE, 1)
        );
        config.http.timeout = Duration::from_secs(3);
        config.http.retries = 0;
        config.discovery.allow_private_networks = true;
        let pages = HttpSettings::for_company_sites(&config).unwrap();
        assert_eq!((pages.timeout, pages.retries), (Duration::from_secs(3), 0));
        assert_eq!(pages.policy, NetworkPolicy::Any);
    }
}
