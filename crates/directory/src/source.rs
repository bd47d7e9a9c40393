//! The directory-source contract: a source streams [`SourceItem`]s into a channel.

use async_trait::async_trait;
use pipeline_domain::{Classify, CompanyInput, ErrorClass};
use tokio::sync::mpsc;

use pipeline_http::HttpError;

/// One row of a source: a company, or a bad row reported with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceItem {
    /// A company the row names.
    Company {
        /// The company's identity as listed.
        input: CompanyInput,
        /// Where in the source the row is (`line 12`, `[3]`, a detail page URL), for logs.
        location: String,
    },
    /// A row that names no usable company: logged, counted in `rows_bad` and skipped.
    Bad {
        /// Where in the source the row is.
        location: String,
        /// What is wrong with it.
        reason: String,
    },
}

/// Why a whole source could not be read (a bad row is not an error: it is a [`SourceItem::Bad`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SourceError {
    /// The file cannot be opened (missing, no permission): permanent until the config is fixed.
    #[error("cannot open {location}: {reason}")]
    Open {
        /// The file or URL.
        location: String,
        /// The I/O error, as text.
        reason: String,
    },
    /// The list's URL could not be fetched.
    #[error(transparent)]
    Http(#[from] HttpError),
    /// The list cannot be read on (a missing column, a broken JSON array, over its size cap).
    #[error("{location}: {reason}")]
    Format {
        /// The file or URL.
        location: String,
        /// What is wrong with the list.
        reason: String,
    },
    /// Reading broke off (transient: the next run reads the list again).
    #[error("reading {location}: {reason}")]
    Read {
        /// The file or URL.
        location: String,
        /// The I/O error, as text.
        reason: String,
    },
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
