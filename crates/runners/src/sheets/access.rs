//! [`SheetsAccess`]: how the `sheets` and `feedback` stages (and `doctor`) reach the configured spreadsheet —
//! the real Google gateway built on first use from `[sheets]`, `[http]` and the service-account key, or a
//! gateway given by the caller (tests, library users).

use std::path::PathBuf;
use std::sync::Arc;

use pipeline_domain::config::Config;
use pipeline_sheets::{GoogleSettings, GoogleSheets, KeySource, SheetsError, SheetsGateway};
use tokio::sync::OnceCell;

/// The configured spreadsheet, reached lazily.
pub struct SheetsAccess {
    spreadsheet_id: String,
    settings: Option<GoogleSettings>,
    gateway: OnceCell<Arc<dyn SheetsGateway>>,
}

impl std::fmt::Debug for SheetsAccess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SheetsAccess")
            .field("spreadsheet_id", &self.spreadsheet_id)
            .field("key", &self.settings.as_ref().map(|s| s.key.describe()))
            .finish_non_exhaustive()
    }
}

impl SheetsAccess {
    /// From the configuration: `key` is the service-account key (`sheets.credentials`, else what the caller
    /// read from the environment); None leaves the spreadsheet unreachable (stages say so).
    pub fn from_config(config: &Config, key: Option<KeySource>) -> Self {
        let key = if config.sheets.credentials.trim().is_empty() {
            key
        } else {
            Some(KeySource::File(PathBuf::from(&config.sheets.credentials)))
        };
        let mut base_url = config.sheets.base_url.trim().to_owned();
        if !base_url.ends_with('/') {
            base_url.push('/');
        }
        let user_agent = if config.user_agent.trim().is_empty() {
            pipeline_http::default_user_agent()
        } else {
            config.user_agent.clone()
        };
        let settings = key.map(|key| GoogleSettings {
            spreadsheet_id: config.sheets.spreadsheet_id.clone(),
            base_url,
            key,
            user_agent,
            timeout: config.http.timeout,
            connect_timeout: config.http.connect_timeout,
            retries: config.http.retries,
            backoff: std::time::Duration::from_secs(1),
            ca_file: (!config.http.ca_file.trim().is_empty()).then(|| PathBuf::from(&config.http.ca_file)),
        });
        SheetsAccess {
            spreadsheet_id: config.sheets.spreadsheet_id.trim().to_owned(),
            settings,
            gateway: OnceCell::new(),
        }
    }

    /// A spreadsheet reached through `gateway`.
    pub fn with_gateway(spreadsheet_id: &str, gateway: Arc<dyn SheetsGateway>) -> Self {
        SheetsAccess {
            spreadsheet_id: spreadsheet_id.to_owned(),
            settings: None,
            gateway: OnceCell::new_with(Some(gateway)),
        }
    }

    /// Whether a spreadsheet is configured (else the stages are skipped).
    pub fn configured(&self) -> bool {
        !self.spreadsheet_id.is_empty()
    }

    /// Whether a spreadsheet is configured but no key to reach it.
    pub fn missing_key(&self) -> bool {
        self.configured() && self.settings.is_none() && !self.gateway.initialized()
    }

    /// The spreadsheet id.
    pub fn spreadsheet_id(&self) -> &str {
        &self.spreadsheet_id
    }

    /// The gateway, built on first use.
    pub async fn gateway(&self) -> Result<Arc<dyn SheetsGateway>, SheetsError> {
        self.gateway
            .get_or_try_init(|| async {
                let settings = self.settings.clone().ok_or_else(|| {
                    SheetsError::Credentials(
                        "no service-account key: set sheets.credentials, or GOOGLE_SERVICE_ACCOUNT_EMAIL and GOOGLE_SERVICE_ACCOUNT_PRIVATE_KEY"
                            .to_owned(),
                    )
                })?;
                let gateway: Arc<dyn SheetsGateway> = Arc::new(GoogleSheets::connect(settings).await?);
                Ok(gateway)
            })
            .await
            .cloned()
    }
}
