//! HTTP errors, classified by type.

use std::time::Duration;

use pipeline_domain::{Classify, ErrorClass};

/// Why a request failed, each kind with its URL; [`Classify`] tells the engine whether to retry, back off,
/// pause the provider or give up.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HttpError {
    /// The text given is not an absolute http(s) URL.
    #[error("invalid URL `{0}`")]
    InvalidUrl(String),
    /// No complete response within `http.timeout` (transient).
    #[error("{url}: timed out")]
    Timeout {
        /// The URL requested.
        url: String,
    },
    /// The TCP or TLS connection could not be made (transient).
    #[error("{url}: connection failed: {reason}")]
    Connect {
        /// The URL requested.
        url: String,
        /// The connector's error, as text.
        reason: String,
    },
    /// Shown as `URL: HTTP 429 (retry after 3600s): snippet`, the wait only when the server gave one.
    #[error(
        "{url}: HTTP {status}{}{}",
        retry_after.map(|w| format!(" (retry after {}s)", w.as_secs())).unwrap_or_default(),
        snippet.as_ref().map(|s| format!(": {s}")).unwrap_or_default()
    )]
    Status {
        /// The URL requested (the last hop when redirected).
        url: String,
        /// The HTTP status code.
        status: u16,
        /// The server's `Retry-After`, when it sent one.
        retry_after: Option<Duration>,
        /// The start of the response body, to show what the server said.
        snippet: Option<String>,
    },
    /// The SSRF guard refused the URL, a redirect hop or every address its host resolved to.
    #[error("{url}: {reason}")]
    Refused {
        /// The URL refused.
        url: String,
        /// Which address or hop the guard refused, and why.
        reason: String,
    },
    /// A redirect that cannot be followed: more hops than the client follows.
    #[error("{url}: {reason}")]
    Redirect {
        /// The URL whose redirect failed.
        url: String,
        /// What was wrong with the redirect.
        reason: String,
    },
    /// The body passed the client's cap (`max_body`): nothing of it is returned.
    #[error("{url}: body larger than {limit} bytes")]
    TooLarge {
        /// The URL requested.
        url: String,
        /// The cap, in bytes.
        limit: u64,
    },
    /// The body broke off or could not be decoded (transient).
    #[error("{url}: {reason}")]
    Body {
        /// The URL requested.
        url: String,
        /// The read error, as text.
        reason: String,
    },
    /// The client itself could not be built (bad TLS roots, ...): fatal, nothing can be fetched.
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
    /// The provider is paused (its throttle is closed): the request was not sent.
    #[error("{url}: not sent: the provider is paused")]
    Paused {
        /// The URL that was not requested.
        url: String,
    },
}

impl HttpError {
    /// The HTTP status of a [`HttpError::Status`]; `None` for failures without a response.
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
