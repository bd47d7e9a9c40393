//! The call policy of [`GoogleSheets`]: every API call retried on 429, 408, 5xx, network trouble and
//! timeouts (the server's Retry-After honoured, else capped exponential backoff), a timeout per attempt,
//! google-sheets4's errors turned into [`SheetsError`] with their class, and the calls counted.

use std::future::Future;
use std::time::Duration;

use google_sheets4::common::{Delegate, Retry};
use serde_json::Value;

use super::{GoogleSheets, MAX_BACKOFF, MAX_RETRY_AFTER};
use crate::gateway::SheetsError;

impl GoogleSheets {
    pub(super) fn record(&self, status: Option<u16>, values: bool) {
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
    pub(super) async fn call<T, F, Fut>(&self, what: &str, values: bool, attempt: F) -> Result<T, SheetsError>
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

    pub(super) fn classify(&self, error: google_sheets4::Error, seen: Observed) -> SheetsError {
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
