//! HTTP errors, classified by type.

use std::time::Duration;

use pipeline_domain::{Classify, ErrorClass};

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HttpError {
    #[error("invalid URL `{0}`")]
    InvalidUrl(String),
    #[error("{url}: timed out")]
    Timeout { url: String },
    #[error("{url}: connection failed: {reason}")]
    Connect { url: String, reason: String },
    /// Shown as `URL: HTTP 429 (retry after 3600s): snippet`, the wait only when the server gave one.
    #[error(
        "{url}: HTTP {status}{}{}",
        retry_after.map(|w| format!(" (retry after {}s)", w.as_secs())).unwrap_or_default(),
        snippet.as_ref().map(|s| format!(": {s}")).unwrap_or_default()
    )]
    Status {
        url: String,
        status: u16,
        retry_after: Option<Duration>,
        snippet: Option<String>,
    },
    /// The SSRF guard refused the URL, a redirect hop or every address its host resolved to.
    #[error("{url}: {reason}")]
    Refused { url: String, reason: String },
    #[error("{url}: {reason}")]
    Redirect { url: String, reason: String },
    #[error("{url}: body larger than {limit} bytes")]
    TooLarge { url: String, limit: u64 },
    #[error("{url}: {reason}")]
    Body { url: String, reason: String },
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
    /// The provider is paused (its throttle is closed): the request was not sent.
    #[error("{url}: not sent: the provider is paused")]
    Paused { url: String },
}

impl HttpError {
    pub fn status(&self) -> Option<u16> {
        match self {
            HttpError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// 404 / 410: the resource is gone.
    pub fn is_gone(&self) -> bool {
        matches!(self.status(), Some(404 | 410))
    }
}

impl Classify for HttpError {
    fn class(&self) -> ErrorClass {
        match self {
            HttpError::Timeout { .. } | HttpError::Connect { .. } => ErrorClass::Transient,
            HttpError::Body { .. } => ErrorClass::Transient,
            HttpError::Status {
                status: 429,
                retry_after,
                ..
            } => ErrorClass::RateLimited { wait: *retry_after },
            HttpError::Paused { .. } => ErrorClass::RateLimited { wait: None },
            HttpError::Status {
                status: 408 | 500..=599,
                ..
            } => ErrorClass::Transient,
            HttpError::Status { .. }
            | HttpError::TooLarge { .. }
            | HttpError::InvalidUrl(_)
            | HttpError::Refused { .. }
            | HttpError::Redirect { .. } => ErrorClass::Permanent,
            HttpError::Client(_) => ErrorClass::Fatal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_error_shows_the_retry_after_it_was_given() {
        let error = |retry_after| HttpError::Status {
            url: "http://api.test/x".into(),
            status: 429,
            retry_after,
            snippet: Some("slow down".into()),
        };
        let long = error(Some(Duration::from_secs(3600)));
        assert_eq!(
            long.to_string(),
            "http://api.test/x: HTTP 429 (retry after 3600s): slow down"
        );
        assert_eq!(error(None).to_string(), "http://api.test/x: HTTP 429: slow down");
    }
}
