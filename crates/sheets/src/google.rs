//! [`GoogleSheets`]: the [`SheetsGateway`] over the real `google-sheets4` hub, authenticated by
//! `yup-oauth2`'s service-account flow. The API root comes from `sheets.base_url` and the token endpoint from
//! the key, so tests drive these same clients against the simulated Google. Every call is retried on 429,
//! 408, 5xx, network trouble and timeouts (Retry-After honoured, else capped exponential backoff), with a
//! timeout per attempt; values are always written RAW.

use std::future::Future;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use google_sheets4::api::{BatchUpdateSpreadsheetRequest, BatchUpdateValuesRequest, Scope, ValueRange};
use google_sheets4::common::{Delegate, Retry};
use google_sheets4::{Sheets, hyper_rustls, hyper_util};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};

use crate::KeySource;
use crate::gateway::{GatewayStats, Provisioning, SheetsError, SheetsGateway};
use crate::plan::RangeValues;
use crate::tls;

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

    fn record(&self, status: Option<u16>, values: bool) {
        if let Ok(mut stats) = self.stats.lock() {
            stats.requests += 1;
            stats.values_calls += u64::from(values);
            match status {
                Some(429) => stats.http_429 += 1,
                Some(s) if s >= 500 => stats.http_5xx += 1,
                _ => {}
            }
        }
    }

    /// Runs one API call with the retry policy; `attempt` sends it once, reporting what the server said.
    async fn call<T, F, Fut>(&self, what: &str, values: bool, attempt: F) -> Result<T, SheetsError>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = (google_sheets4::Result<T>, Observed)>,
    {
        let mut tries = 0_u32;
        loop {
            tries += 1;
            let result = match tokio::time::timeout(self.settings.timeout, attempt()).await {
                Ok((Ok(value), _)) => {
                    self.record(None, values);
                    return Ok(value);
                }
                Ok((Err(error), seen)) => {
                    let error = self.classify(error, seen);
                    let status = match &error {
                        SheetsError::Api { status, .. } => Some(*status),
                        _ => None,
                    };
                    if !matches!(error, SheetsError::Token { .. } | SheetsError::Credentials(_)) {
                        self.record(status, values);
                    }
                    error
                }
                Err(_) => {
                    self.record(None, values);
                    SheetsError::Timeout(self.settings.timeout)
                }
            };
            let wait = match &result {
                SheetsError::Api {
                    retry_after: Some(wait),
                    ..
                } => *wait,
                _ => (self.settings.backoff * 2_u32.saturating_pow(tries - 1)).min(MAX_BACKOFF),
            };
            if !result.retryable() || tries > self.settings.retries || wait > MAX_RETRY_AFTER {
                return Err(result);
            }
            tracing::warn!(call = what, attempt = tries, wait_ms = wait.as_millis() as u64, error = %result, "Sheets call failed; retrying");
            tokio::time::sleep(wait).await;
        }
    }

    fn classify(&self, error: google_sheets4::Error, seen: Observed) -> SheetsError {
        use google_sheets4::Error as E;
        match error {
            E::BadRequest(body) => SheetsError::Api {
                status: body["error"]["code"]
                    .as_u64()
                    .and_then(|c| u16::try_from(c).ok())
                    .or(seen.status)
                    .unwrap_or(400),
                message: body["error"]["message"]
                    .as_str()
                    .map_or_else(|| body.to_string(), str::to_owned),
                retry_after: seen.retry_after,
            },
            E::Failure(response) => SheetsError::Api {
                status: response.status().as_u16(),
                message: response.status().canonical_reason().unwrap_or("error").to_owned(),
                retry_after: seen.retry_after,
            },
            E::MissingToken(inner) => {
                let transient = inner.downcast_ref::<yup_oauth2::Error>().is_some_and(|e| {
                    matches!(
                        e,
                        yup_oauth2::Error::HttpError(_) | yup_oauth2::Error::LowLevelError(_)
                    )
                });
                SheetsError::Token {
                    token_uri: self.token_uri.clone(),
                    message: inner.to_string(),
                    transient,
                }
            }
            E::HttpError(e) => SheetsError::Transport(e.to_string()),
            E::Io(e) => SheetsError::Transport(e.to_string()),
            E::JsonDecodeError(_, e) => SheetsError::Decode(e.to_string()),
            other => SheetsError::Decode(other.to_string()),
        }
    }
}

/// What a failed attempt's response said beyond its body: the status and Retry-After.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Observed {
    status: Option<u16>,
    retry_after: Option<Duration>,
}

impl Delegate for Observed {
    fn http_failure(&mut self, response: &google_sheets4::common::Response, _: Option<&Value>) -> Retry {
        self.status = Some(response.status().as_u16());
        self.retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        Retry::Abort
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
