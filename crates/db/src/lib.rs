//! The database: diesel schema, embedded append-only migrations, the connection pool and the repositories.
//! Architecture invariant: the only crate that uses diesel; no HTTP. Every timestamp is a
//! `DateTime<Utc>` passed in by the caller (the engine's clock), never SQL-side `now()`.
#![warn(missing_docs)]

mod error;
mod migrations;
mod pool;
pub mod repo;
pub mod schema;
#[cfg(feature = "testing")]
pub mod testing;

pub use error::DbError;
pub use pool::{Access, Conn, Db, DbKind, redact};
