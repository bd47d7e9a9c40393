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
