//! The database: diesel schema, embedded append-only migrations, the connection pool and the repositories,
//! on SQLite or PostgreSQL (one schema, one set of repositories, the backend chosen by the URL).
//! Architecture invariant: the only crate that uses diesel; no HTTP. Every timestamp is a
//! `DateTime<Utc>` passed in by the caller (the engine's clock), never SQL-side `now()`.
#![warn(missing_docs)]

mod backend;
mod copy;
mod error;
mod fixed;
mod migrations;
mod pool;
pub mod repo;
pub mod schema;
pub mod sql;
#[cfg(feature = "testing")]
pub mod testing;

pub use backend::{Backend, Conn, RunOn};
pub use copy::Copied;
pub use error::DbError;
pub(crate) use fixed::Fixed;
pub use pool::{Access, Db, DbKind, Location, redact};
