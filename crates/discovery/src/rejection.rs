//! Why discovery did not confirm a candidate, or could not read a site, as types: the discovery stage
//! retries a candidate whose provider was unavailable, and forgets one the provider says does not exist.

use std::fmt;

use pipeline_ats::AtsError;
use pipeline_domain::{Classify, ErrorClass};
use pipeline_http::HttpError;

/// Why a candidate board was not confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    /// The provider is disabled in the configuration (`providers.X.enabled = false`).
    ProviderDisabled,
    /// The provider says the board does not exist (404/410).
    Gone(String),
    /// The provider answered, but not with a board (an unreadable body, a reference that makes no URL).
    Invalid(String),
    /// The provider could not be asked now (timeout, connection failure, 5xx, 429): ask again later.
    Unavailable {
        /// The failure's class (how soon to ask again).
        class: ErrorClass,
        /// The error, as text.
        message: String,
    },
    /// The provider is paused after repeated 429s: not asked; ask again when the pause ends.
    Paused,
    /// A `jsonld` board whose postings are all postings of another board of the site (an ATS's pages
    /// embed the same JSON-LD): not kept, so that nothing is ingested twice.
    Duplicate(String),
}

impl Rejection {
    /// From the error of a validation call, by its type.
    pub fn from_error(error: &AtsError) -> Rejection {
        let message = error.to_string();
        match (error, error.class()) {
            (e, _) if e.is_gone() => Rejection::Gone(message),
            (_, class) if class.is_retryable() => Rejection::Unavailable { class, message },
            _ => Rejection::Invalid(message),
        }
    }

    /// Whether asking again later can confirm the board.
    pub fn is_transient(&self) -> bool {
        matches!(self, Rejection::Unavailable { .. } | Rejection::Paused)
    }

    /// Stable name for JSON and logs.
    pub fn kind(&self) -> &'static str {
        match self {
            Rejection::ProviderDisabled => "provider_disabled",
            Rejection::Gone(_) => "gone",
            Rejection::Invalid(_) => "invalid",
            Rejection::Unavailable { .. } => "unavailable",
            Rejection::Paused => "paused",
            Rejection::Duplicate(_) => "duplicate",
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejection::ProviderDisabled => f.write_str("provider disabled"),
            Rejection::Gone(m) | Rejection::Invalid(m) | Rejection::Duplicate(m) => f.write_str(m),
            Rejection::Unavailable { message, .. } => write!(f, "provider unavailable: {message}"),
            Rejection::Paused => f.write_str("provider paused after repeated 429s: not asked"),
        }
    }
}

/// Why a site could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SiteFailure {
    /// The site could not be reached (refused by the SSRF guard, unresolvable, connection failed, timed
    /// out), with the class of the failure.
    Unreachable {
        /// The failure's class: a refusal is permanent, a timeout transient.
        class: ErrorClass,
        /// The error, as text.
        message: String,
    },
    /// The site answered, but none of its candidate pages could be read.
    NoPage(String),
}

impl SiteFailure {
    pub(crate) fn unreachable(error: &HttpError) -> SiteFailure {
        SiteFailure::Unreachable {
            class: error.class(),
            message: error.to_string(),
        }
    }

    /// Whether trying the site again later can succeed.
    pub fn is_transient(&self) -> bool {
        matches!(self, SiteFailure::Unreachable { class, .. } if class.is_retryable())
    }
}

impl Classify for SiteFailure {
    fn class(&self) -> ErrorClass {
        match self {
            SiteFailure::Unreachable { class, .. } => *class,
            SiteFailure::NoPage(_) => ErrorClass::Permanent,
        }
    }
}

impl fmt::Display for SiteFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SiteFailure::Unreachable { message, .. } | SiteFailure::NoPage(message) => f.write_str(message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pipeline_domain::{BoardRef, Provider};

    fn board() -> BoardRef {
        BoardRef {
            provider: Provider::Greenhouse,
            tenant: "acme".into(),
            variant: None,
        }
    }

    fn status(code: u16) -> HttpError {
        HttpError::Status {
            url: "http://x/".into(),
            status: code,
            retry_after: None,
            snippet: None,
        }
    }

    #[test]
    fn a_503_or_a_timeout_is_unavailable_and_worth_asking_again_but_a_404_is_gone() {
        let unavailable = Rejection::from_error(&AtsError::from_http(&board(), status(503)));
        assert!(unavailable.is_transient(), "{unavailable:?}");
        assert_eq!(unavailable.kind(), "unavailable");
        let limited = Rejection::from_error(&AtsError::from_http(&board(), status(429)));
        assert!(limited.is_transient());
        let gone = Rejection::from_error(&AtsError::from_http(&board(), status(404)));
        assert!(matches!(gone, Rejection::Gone(_)) && !gone.is_transient());
        let invalid = Rejection::from_error(&AtsError::parse(
            &board(),
            &"http://x/".parse().unwrap(),
            "not JSON",
        ));
        assert!(matches!(invalid, Rejection::Invalid(_)) && !invalid.is_transient());
        assert!(!Rejection::ProviderDisabled.is_transient());
        assert!(Rejection::Paused.is_transient());
        assert_eq!(Rejection::Paused.kind(), "paused");
    }
}
