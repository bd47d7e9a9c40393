//! Database errors and their class.

use pipeline_domain::{Classify, ErrorClass};

/// What went wrong talking to the database.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DbError {
    #[error("cannot open database {url}: {reason}")]
    Open { url: String, reason: String },
    #[error("database URL `{0}` selects a backend this build does not support yet")]
    UnsupportedBackend(String),
    /// A `scheme://` URL that names no backend (a usage error: nothing was created).
    #[error(
        "database URL `{url}`: unknown scheme `{scheme}` (use a file path, sqlite://PATH or postgres://...)"
    )]
    UnknownScheme { url: String, scheme: String },
    /// The database has migrations this binary does not know: an older binary must not write into it.
    #[error(
        "the database schema (version {database}) is newer than this binary ({binary}); use a newer pipeline-cli"
    )]
    SchemaTooNew { database: String, binary: String },
    #[error("migration failed: {0}")]
    Migration(String),
    #[error("database connection pool: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("database query: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    #[error("database worker thread failed: {0}")]
    Worker(String),
}

impl Classify for DbError {
    fn class(&self) -> ErrorClass {
        use diesel::result::{DatabaseErrorKind, Error};
        match self {
            DbError::Query(Error::NotFound) => ErrorClass::Permanent,
            DbError::Query(Error::DatabaseError(DatabaseErrorKind::SerializationFailure, _)) => {
                ErrorClass::Transient
            }
            _ => ErrorClass::Fatal,
        }
    }
}
