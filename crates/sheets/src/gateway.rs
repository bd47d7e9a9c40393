//! [`SheetsGateway`]: the handful of Sheets operations the stages use, as a trait (the real implementation
//! is [`crate::GoogleSheets`]; unit tests use the mockall mock), and [`SheetsError`] with its class.

use std::time::Duration;

use async_trait::async_trait;
use pipeline_domain::{Classify, ErrorClass};
use serde_json::Value;

use crate::plan::RangeValues;

/// What the Sheets API calls of one gateway amounted to (retries included).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GatewayStats {
    /// HTTP requests sent to the Sheets API (token requests not included).
    pub requests: u64,
    /// Of which answered 429.
    pub http_429: u64,
    /// Of which answered 5xx.
    pub http_5xx: u64,
    /// Values API calls (get, batchUpdate, append): the quota that matters.
    pub values_calls: u64,
}

/// Formatting and validation the sheet should carry (one `spreadsheets.batchUpdate`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provisioning {
    /// The tab's numeric id.
    pub tab_id: i32,
    /// Strict dropdowns: (0-based column, allowed values), from row 2 down.
    pub dropdowns: Vec<(usize, Vec<String>)>,
    /// Columns shown with one decimal (0-based), from row 2 down.
    pub one_decimal: Vec<usize>,
}

/// The Sheets operations the `sheets` and `feedback` stages need, on one configured spreadsheet.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait SheetsGateway: Send + Sync {
    /// Obtains an access token (`doctor` uses it to check the credentials).
    async fn authenticate(&self) -> Result<(), SheetsError>;
    /// The numeric id of the tab titled `title`, or None when the spreadsheet has no such tab.
    async fn tab_id(&self, title: &str) -> Result<Option<i32>, SheetsError>;
    /// Adds a tab; returns its id.
    async fn add_tab(&self, title: &str) -> Result<i32, SheetsError>;
    /// Cells of an A1 range, unformatted (numbers as numbers); trailing empty cells and rows may be missing.
    async fn read(&self, range: &str) -> Result<Vec<Vec<Value>>, SheetsError>;
    /// Writes several ranges in one call, values RAW (never parsed as formulas).
    async fn write(&self, ranges: Vec<RangeValues>) -> Result<(), SheetsError>;
    /// Appends rows after the table in `range`, inserting rows, values RAW.
    async fn append(&self, range: &str, rows: Vec<Vec<Value>>) -> Result<(), SheetsError>;
    /// Applies dropdown validation and number formats.
    async fn provision(&self, provisioning: Provisioning) -> Result<(), SheetsError>;
    /// What the calls so far amounted to.
    fn stats(&self) -> GatewayStats;
}

/// A Sheets failure, with its class (`Classify`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SheetsError {
    /// The key file or the environment's key cannot be used (a configuration problem).
    #[error("Google credentials: {0}")]
    Credentials(String),
    /// The token endpoint refused or could not be reached.
    #[error("no Google access token from {token_uri}: {message}")]
    Token {
        /// Where the token was asked for.
        token_uri: String,
        /// What went wrong (never the key or the assertion).
        message: String,
        /// Whether trying again later may help (network trouble rather than a refusal).
        transient: bool,
    },
    /// The API answered with an error status (after the retries, for 429, 408 and 5xx).
    #[error("Sheets API answered {status}: {message}")]
    Api {
        /// HTTP status.
        status: u16,
        /// Google's error message.
        message: String,
        /// The server's Retry-After, when it sent one.
        retry_after: Option<Duration>,
    },
    /// The API could not be reached (after the retries).
    #[error("Sheets API unreachable: {0}")]
    Transport(String),
    /// No answer within the request timeout (after the retries).
    #[error("Sheets API did not answer within {0:?}")]
    Timeout(Duration),
    /// The answer was not what the API documents.
    #[error("unexpected Sheets API response: {0}")]
    Decode(String),
}

impl SheetsError {
    /// Whether another attempt may succeed (429, 408, 5xx, network trouble, timeouts).
    pub fn retryable(&self) -> bool {
        match self {
            SheetsError::Api { status, .. } => *status == 429 || *status == 408 || *status >= 500,
            SheetsError::Transport(_) | SheetsError::Timeout(_) => true,
            SheetsError::Token { transient, .. } => *transient,
            SheetsError::Credentials(_) | SheetsError::Decode(_) => false,
        }
    }
}

impl Classify for SheetsError {
    fn class(&self) -> ErrorClass {
        match self {
            SheetsError::Api {
                status: 429,
                retry_after,
                ..
            } => ErrorClass::RateLimited { wait: *retry_after },
            SheetsError::Credentials(_) => ErrorClass::Fatal,
            e if e.retryable() => ErrorClass::Transient,
            _ => ErrorClass::Permanent,
        }
    }
}
