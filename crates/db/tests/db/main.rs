//! The database's behaviour suite, each test on a freshly migrated temporary database (`TestDb`).

mod discovery;
mod feedback;
mod ingestion;
mod leases;
mod opening;
mod repos;
