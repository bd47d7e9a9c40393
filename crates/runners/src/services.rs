//! [`Services`]: what the stages share that is built once from the configuration, and [`BuildError`], why
//! services or stages cannot be built.

use pipeline_ats::AtsClients;
use pipeline_domain::config::Config;
use std::sync::Arc;

use pipeline_db::Db;
use pipeline_domain::{Clock, SystemClock};
use pipeline_http::{HttpClient, HttpConfigError, HttpError, HttpSettings, RateLedger, Throttles};
use pipeline_sheets::KeySource;

use crate::DbRateLedger;
use crate::sheets::SheetsAccess;

/// Why services or stages cannot be built from a configuration.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// A configuration value that cannot be used; the message names its key (a usage error: the
    /// configuration must be fixed).
    #[error("{0}")]
    Config(String),
    /// An HTTP client that cannot be built (the environment, not the configuration).
    #[error(transparent)]
    Client(#[from] HttpError),
}

impl From<HttpConfigError> for BuildError {
    fn from(e: HttpConfigError) -> Self {
        BuildError::Config(e.to_string())
    }
}

/// The clients every stage shares, built once per process.
#[derive(Debug, Clone)]
pub struct Services {
    /// The client for configured URLs (directory lists and pages, provider APIs): `[http]` as configured.
    /// Its [`stats`](HttpClient::stats) are the run counters of the stages that use it.
    pub http: HttpClient,
    /// The client discovery reads company websites with: page caps and the SSRF guard
    /// ([`HttpSettings::for_company_sites`]), one request at a time per site.
    pub pages: HttpClient,
    /// Every provider's politeness limits, one set for the whole process: every client of a provider
    /// passes through its throttle (docs/stages.md#politeness).
    pub throttles: Throttles,
    /// A client per enabled provider, on [`http`](Self::http) (`jsonld` on [`pages`](Self::pages)), each
    /// with a budget of `ingestion.detail_calls_per_cycle` detail calls per cycle.
    pub ats: AtsClients,
    /// The engine's clock (Workday's relative dates are read against it).
    pub clock: Arc<dyn Clock>,
    /// The configured spreadsheet (`[sheets]`), for the `sheets` and `feedback` stages and `doctor`.
    pub sheets: Arc<SheetsAccess>,
}

impl Services {
    /// Builds the shared clients on the system clock: a bad `[http]` value is [`BuildError::Config`].
    pub fn from_config(config: &Config) -> Result<Self, BuildError> {
        Self::with_clock(config, Arc::new(SystemClock))
    }

    /// [`from_config`](Self::from_config) on the engine's `clock`.
    pub fn with_clock(config: &Config, clock: Arc<dyn Clock>) -> Result<Self, BuildError> {
        let http = HttpClient::new(HttpSettings::from_config(config)?)?;
        let pages = HttpClient::new(HttpSettings::for_company_sites(config)?)?.one_request_per_host();
        let throttles = Throttles::from_config(config);
        let detail_calls = u64::from(config.ingestion.detail_calls_per_cycle);
        let ats = AtsClients::from_config(config, &http, &pages, detail_calls, &throttles, &clock);
        Ok(Self {
            http,
            pages,
            throttles,
            ats,
            clock,
            sheets: Arc::new(SheetsAccess::from_config(config, None)),
        })
    }

    /// The client `provider`'s requests go through, throttled by its limits: [`pages`](Self::pages) for a
    /// provider whose boards are company sites (`jsonld`), else [`http`](Self::http).
    pub fn client_http(&self, provider: pipeline_domain::Provider) -> HttpClient {
        let base = if provider.reads_company_sites() {
            &self.pages
        } else {
            &self.http
        };
        base.throttled(self.throttles.get(provider))
    }

    /// Takes every provider's request turns from `db`'s rate ledger from now on ([`DbRateLedger`]), so that
    /// its `requests_per_second` holds for every process working on `db` together, and a provider paused by
    /// any of them is paused here within one window (docs/ARCHITECTURE.md#politeness-across-workers).
    pub fn share_rates(self, db: &Db) -> Self {
        let ledger: Arc<dyn RateLedger> = Arc::new(DbRateLedger::new(db.clone(), self.clock.clone()));
        self.throttles.share_rates(&ledger);
        self
    }

    /// Uses `key` for the spreadsheet when `sheets.credentials` names no key file (the CLI passes the key it
    /// read from `GOOGLE_SERVICE_ACCOUNT_EMAIL`/`GOOGLE_SERVICE_ACCOUNT_PRIVATE_KEY`).
    pub fn with_sheets_key(mut self, config: &Config, key: Option<KeySource>) -> Self {
        self.sheets = Arc::new(SheetsAccess::from_config(config, key));
        self
    }
}
