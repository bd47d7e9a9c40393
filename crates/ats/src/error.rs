//! ATS client errors and their class.

use pipeline_domain::{Classify, ErrorClass};

use pipeline_http::HttpError;

/// Why a board could not be read; [`Classify`] makes a gone, unreadable or unaddressable board permanent
/// and leaves HTTP failures their own class.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AtsError {
    /// The board does not exist (any more): 404 / 410.
    #[error("board {board} is gone: {source}")]
    Gone {
        /// The board reference (`greenhouse:acme`).
        board: String,
        /// The 404 / 410 response.
        source: HttpError,
    },
    /// A `jsonld` board's careers page now redirects to another site (often the ATS it moved to): the board
    /// is gone from the company's site.
    #[error("board {board} moved: its careers page now leads to {to}")]
    Moved {
        /// The board reference.
        board: String,
        /// Where the careers page leads now.
        to: String,
    },
    /// The answer could not be read as the provider's documented shape.
    #[error("board {board}: unexpected response from {url}: {reason}")]
    Parse {
        /// The board reference.
        board: String,
        /// The API URL whose answer did not parse.
        url: String,
        /// What was wrong with it (serde's message, a missing field).
        reason: String,
    },
    /// The board reference cannot be turned into an API URL (bad template, bad tenant).
    #[error("board {board}: {reason}")]
    Endpoint {
        /// The board reference.
        board: String,
        /// Why no URL could be made of it.
        reason: String,
    },
    /// Any other HTTP failure (timeout, 429, 5xx, ...), with its own class.
    #[error(transparent)]
    Http(HttpError),
}

impl AtsError {
    /// Wraps an HTTP error, turning 404/410 into [`AtsError::Gone`].
    pub fn from_http(board: &pipeline_domain::BoardRef, error: HttpError) -> Self {
        if error.is_gone() {
            AtsError::Gone {
                board: board.to_string(),
                source: error,
            }
        } else {
            AtsError::Http(error)
        }
    }

    /// Whether the board no longer exists where its reference says ([`AtsError::Gone`],
    /// [`AtsError::Moved`]): the board is `gone`, and its company's discovery due again.
    pub fn is_gone(&self) -> bool {
        matches!(self, AtsError::Gone { .. } | AtsError::Moved { .. })
    }

    /// An [`AtsError::Parse`] of `board`'s answer from `url`.
    pub fn parse(board: &pipeline_domain::BoardRef, url: &url::Url, reason: impl std::fmt::Display) -> Self {
        AtsError::Parse {
            board: board.to_string(),
            url: url.to_string(),
            reason: reason.to_string(),
        }
    }
}

impl Classify for AtsError {
    fn class(&self) -> ErrorClass {
        match self {
            AtsError::Gone { .. }
            | AtsError::Moved { .. }
            | AtsError::Parse { .. }
            | AtsError::Endpoint { .. } => ErrorClass::Permanent,
            AtsError::Http(e) => e.class(),
        }
    }
}
