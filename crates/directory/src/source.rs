//! The directory-source contract: a source streams [`SourceItem`]s into a channel.

use async_trait::async_trait;
use pipeline_domain::{Classify, CompanyInput, ErrorClass};
use tokio::sync::mpsc;

use pipeline_http::HttpError;

/// One row of a source: a company, or a bad row reported with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceItem {
    Company { input: CompanyInput, location: String },
    Bad { location: String, reason: String },
}

/// Why a whole source could not be read (a bad row is not an error: it is a [`SourceItem::Bad`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SourceError {
    #[error("cannot open {location}: {reason}")]
    Open { location: String, reason: String },
    #[error(transparent)]
    Http(#[from] HttpError),
    #[error("{location}: {reason}")]
    Format { location: String, reason: String },
    #[error("reading {location}: {reason}")]
    Read { location: String, reason: String },
    /// The consumer stopped listening (the run was interrupted).
    #[error("the reader was stopped")]
    Stopped,
}

impl Classify for SourceError {
    fn class(&self) -> ErrorClass {
        match self {
            SourceError::Http(e) => e.class(),
            SourceError::Read { .. } => ErrorClass::Transient,
            _ => ErrorClass::Permanent,
        }
    }
}

/// A list of companies.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait DirectorySource: Send + Sync {
    /// The source's name, recorded on every company it lists.
    fn name(&self) -> &str;

    /// Streams every row into `sink`; returns when the source is exhausted.
    async fn read(&self, sink: mpsc::Sender<SourceItem>) -> Result<(), SourceError>;
}
