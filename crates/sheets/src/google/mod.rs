//! [`GoogleSheets`]: the [`SheetsGateway`] over the real `google-sheets4` hub, authenticated by
//! `yup-oauth2`'s service-account flow. The API root comes from `sheets.base_url` and the token endpoint from
//! the key, so tests drive these same clients against the simulated Google. Every call is retried on 429,
//! 408, 5xx, network trouble and timeouts (Retry-After honoured, else capped exponential backoff), with a
//! timeout per attempt; values are always written RAW.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use google_sheets4::api::{BatchUpdateSpreadsheetRequest, BatchUpdateValuesRequest, Scope, ValueRange};
use google_sheets4::{Sheets, hyper_rustls, hyper_util};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};

use crate::KeySource;

mod call;

use crate::gateway::{GatewayStats, Provisioning, SheetsError, SheetsGateway};
use crate::plan::RangeValues;
use crate::tls;
use call::Observed;

type Connector = hyper_rustls::HttpsConnector<HttpConnector>;

/// How to reach one spreadsheet.
#[derive(Debug, Clone)]
pub struct GoogleSettings {
    /// The spreadsheet id.
    pub spreadsheet_id: String,
    /// API root, with a trailing slash (`https://sheets.googleapis.com/`).
    pub base_url: String,
    /// The service-account key.
    pub key: KeySource,
    /// User-Agent of every request.
    pub user_agent: String,
    /// Per attempt.
    pub timeout: Duration,
    /// TCP connect timeout.
    pub connect_timeout: Duration,
    /// Retries after the first attempt.
    pub retries: u32,
    /// First backoff (doubled per retry, capped at 10 s) when the server gives no Retry-After.
    pub backoff: Duration,
    /// Extra trusted root certificates (PEM), besides the system's.
    pub ca_file: Option<PathBuf>,
}

/// The real gateway.
pub struct GoogleSheets {
    hub: Sheets<Connector>,
    settings: GoogleSettings,
    token_uri: String,
    stats: Mutex<GatewayStats>,
}

/// The longest Retry-After waited for inside a call; a longer one fails the call (the stage retries next cycle).
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
const MAX_BACKOFF: Duration = Duration::from_secs(10);

impl GoogleSheets {
    /// Reads the key and builds the clients; no request is sent yet.
    pub async fn connect(settings: GoogleSettings) -> Result<Self, SheetsError> {
        let key = settings.key.load().await?;
        let token_uri = key.token_uri.clone();
        let tls = tls::client_config(settings.ca_file.as_deref())?;
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_connect_timeout(Some(settings.connect_timeout));
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        let executor = hyper_util::rt::TokioExecutor::new();
        let auth_client =
            hyper_util::client::legacy::Client::builder(executor.clone()).build(connector.clone());
        let auth = yup_oauth2::ServiceAccountAuthenticator::with_client(
            key,
            yup_oauth2::CustomHyperClientBuilder::from(auth_client),
        )
        .build()
        .await
        .map_err(|e| SheetsError::Credentials(format!("{}: {e}", settings.key.describe())))?;
        let client = hyper_util::client::legacy::Client::builder(executor).build(connector);
        let mut hub = Sheets::new(client, auth);
        hub.base_url(settings.base_url.clone());
        hub.root_url(settings.base_url.clone());
        hub.user_agent(settings.user_agent.clone());
        Ok(GoogleSheets {
            hub,
            settings,
            token_uri,
            stats: Mutex::new(GatewayStats::default()),
        })
    }

    fn id(&self) -> &str {
        &self.settings.spreadsheet_id
    }

    fn scope() -> &'static str {
        Scope::Spreadsheet.as_ref()
    }
}

#[async_trait]
impl SheetsGateway for GoogleSheets {
    async fn authenticate(&self) -> Result<(), SheetsError> {
        match self.hub.auth.get_token(&[Self::scope()]).await {
            Ok(Some(_)) => Ok(()),
            Ok(None) => Err(SheetsError::Token {
                token_uri: self.token_uri.clone(),
                message: "the token endpoint gave no access token".to_owned(),
                transient: false,
            }),
            Err(e) => Err(SheetsError::Token {
                token_uri: self.token_uri.clone(),
                message: e.to_string(),
                transient: false,
            }),
        }
    }

    async fn tab_id(&self, title: &str) -> Result<Option<i32>, SheetsError> {
        let sheet = self
            .call("spreadsheets.get", false, || async move {
                let mut seen = Observed::default();
                let result = self
                    .hub
                    .spreadsheets()
                    .get(self.id())
                    .add_scope(Self::scope())
                    .delegate(&mut seen)
                    .doit()
                    .await
                    .map(|(_, s)| s);
                (result, seen)
            })
            .await?;
        Ok(sheet
            .sheets
            .unwrap_or_default()
            .into_iter()
            .filter_map(|s| s.properties)
            .find(|p| p.title.as_deref() == Some(title))
            .and_then(|p| p.sheet_id.or(Some(0))))
    }

    async fn add_tab(&self, title: &str) -> Result<i32, SheetsError> {
        let request = batch(json!([{ "addSheet": { "properties": { "title": title } } }]))?;
        let request = &request;
        let reply = self
            .call("spreadsheets.batchUpdate", false, || async move {
                let mut seen = Observed::default();
                let result = self
                    .hub
                    .spreadsheets()
                    .batch_update(request.clone(), self.id())
                    .add_scope(Self::scope())
                    .delegate(&mut seen)
                    .doit()
                    .await
                    .map(|(_, r)| r);
                (result, seen)
            })
            .await?;
        reply
            .replies
            .unwrap_or_default()
            .into_iter()
            .find_map(|r| r.add_sheet?.properties?.sheet_id)
            .ok_or_else(|| SheetsError::Decode(format!("addSheet of `{title}` returned no sheet id")))
    }

    async fn read(&self, range: &str) -> Result<Vec<Vec<Value>>, SheetsError> {
        let values = self
            .call("values.get", true, || async move {
                let mut seen = Observed::default();
                let result = self
                    .hub
                    .spreadsheets()
                    .values_get(self.id(), range)
                    .value_render_option("UNFORMATTED_VALUE")
                    .date_time_render_option("FORMATTED_STRING")
                    .add_scope(Self::scope())
                    .delegate(&mut seen)
                    .doit()
                    .await
                    .map(|(_, v)| v);
                (result, seen)
            })
            .await?;
        Ok(values.values.unwrap_or_default())
    }

    async fn write(&self, ranges: Vec<RangeValues>) -> Result<(), SheetsError> {
        if ranges.is_empty() {
            return Ok(());
        }
        let request = BatchUpdateValuesRequest {
            value_input_option: Some("RAW".to_owned()),
            data: Some(
                ranges
                    .into_iter()
                    .map(|r| value_range(Some(r.range), r.rows))
                    .collect(),
            ),
            ..BatchUpdateValuesRequest::default()
        };
        let request = &request;
        self.call("values.batchUpdate", true, || async move {
            let mut seen = Observed::default();
            let result = self
                .hub
                .spreadsheets()
                .values_batch_update(request.clone(), self.id())
                .add_scope(Self::scope())
                .delegate(&mut seen)
                .doit()
                .await
                .map(|_| ());
            (result, seen)
        })
        .await
    }

    async fn append(&self, range: &str, rows: Vec<Vec<Value>>) -> Result<(), SheetsError> {
        let request = value_range(None, rows);
        let request = &request;
        self.call("values.append", true, || async move {
            let mut seen = Observed::default();
            let result = self
                .hub
                .spreadsheets()
                .values_append(request.clone(), self.id(), range)
                .value_input_option("RAW")
                .insert_data_option("INSERT_ROWS")
                .add_scope(Self::scope())
                .delegate(&mut seen)
                .doit()
                .await
                .map(|_| ());
            (result, seen)
        })
        .await
    }

    async fn provision(&self, provisioning: Provisioning) -> Result<(), SheetsError> {
        let request = batch(crate::provision::requests(&provisioning))?;
        let request = &request;
        self.call("spreadsheets.batchUpdate", false, || async move {
            let mut seen = Observed::default();
            let result = self
                .hub
                .spreadsheets()
                .batch_update(request.clone(), self.id())
                .add_scope(Self::scope())
                .delegate(&mut seen)
                .doit()
                .await
                .map(|_| ());
            (result, seen)
        })
        .await
    }

    fn stats(&self) -> GatewayStats {
        self.stats.lock().map(|s| *s).unwrap_or_default()
    }
}

/// Rows as a ValueRange: empty cells must be `""`, never null (the client drops nulls, shifting cells left).
fn value_range(range: Option<String>, rows: Vec<Vec<Value>>) -> ValueRange {
    let rows = rows
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|c| if c.is_null() { Value::from("") } else { c })
                .collect()
        })
        .collect();
    ValueRange {
        range,
        major_dimension: Some("ROWS".to_owned()),
        values: Some(rows),
    }
}

fn batch(requests: Value) -> Result<BatchUpdateSpreadsheetRequest, SheetsError> {
    // From text, not from a Value: the field masks inside deserialize only from borrowed strings.
    serde_json::from_str(&json!({ "requests": requests }).to_string())
        .map_err(|e| SheetsError::Decode(format!("building a batchUpdate request: {e}")))
}
