//! Database errors and their class.

use pipeline_domain::{Classify, ErrorClass};

/// What went wrong talking to the database.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DbError {
    /// The database cannot be opened or created (a missing folder, no permission, not a database).
    #[error("cannot open database {url}: {reason}")]
    Open {
        /// The URL, its password redacted.
        url: String,
        /// The driver's error, as text.
        reason: String,
    },
    /// An operation one backend has and the other does not (`db backup` on PostgreSQL).
    #[error("{what} is not available on this database: {hint}")]
    NotOnBackend {
        /// The operation.
        what: &'static str,
        /// What to do instead.
        hint: &'static str,
    },
    /// A `scheme://` URL that names no backend (a usage error: nothing was created).
    #[error(
        "database URL `{url}`: unknown scheme `{scheme}` (use a file path, sqlite://PATH or postgres://...)"
    )]
    UnknownScheme {
        /// The URL, its password redacted.
        url: String,
        /// The scheme found.
        scheme: String,
    },
    /// The database has migrations this binary does not know: an older binary must not write into it.
    #[error(
        "the database schema (version {database}) is newer than this binary ({binary}); use a newer pipeline-cli"
    )]
    SchemaTooNew {
        /// The newest migration applied to the database.
        database: String,
        /// The newest migration this binary embeds.
        binary: String,
    },
    /// `db copy` found data in its target: it only fills a new database.
    #[error("the target database is not empty ({table} has {rows} rows): db copy only fills a new database")]
    TargetNotEmpty {
        /// The first table found with rows.
        table: String,
        /// How many.
        rows: i64,
    },
    /// A migration could not be applied (it rolled back whole).
    #[error("migration failed: {0}")]
    Migration(String),
    /// No connection could be had from the pool in time.
    #[error("database connection pool: {0}")]
    Pool(#[from] r2d2::Error),
    /// A statement failed (a busy database past its timeout, a constraint, a missing row).
    #[error("database query: {0}")]
    Query(#[from] diesel::result::Error),
    /// A stored value this build cannot read (an unknown run status, counters that are not JSON).
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    /// The blocking task running the database work panicked or was cancelled.
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
