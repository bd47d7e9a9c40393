//! Embedded, append-only migrations: applied in one exclusive transaction (concurrent starters
//! serialize), and a database that has migrations this binary does not know is refused before any write.

use std::collections::BTreeSet;

use diesel::migration::MigrationSource;
use diesel::sqlite::Sqlite;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::{Db, DbError};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");

impl Db {
    /// Applies pending migrations inside one exclusive transaction, so two processes starting on a fresh
    /// database serialize instead of failing. Returns the versions applied. Refuses a database from a
    /// newer binary.
    pub fn migrate(&self) -> Result<Vec<String>, DbError> {
        let mut conn = self.conn()?;
        conn.exclusive_transaction(|c| {
            check_not_newer(c)?;
            let applied = c
                .run_pending_migrations(SQLITE_MIGRATIONS)
                .map_err(migration_err)?;
            Ok(applied.into_iter().map(|v| v.to_string()).collect())
        })
    }

    /// Versions embedded in this binary that the database has not applied yet (all of them on a fresh
    /// file).
    pub fn pending_migrations(&self) -> Result<Vec<String>, DbError> {
        let mut conn = self.conn()?;
        if !has_migrations_table(&mut conn)? {
            return Ok(known_versions()?.into_iter().collect());
        }
        check_not_newer(&mut conn)?;
        let pending = conn
            .pending_migrations(SQLITE_MIGRATIONS)
            .map_err(migration_err)?;
        Ok(pending.iter().map(|m| m.name().version().to_string()).collect())
    }

    /// Fails with [`DbError::SchemaTooNew`] when the database has a migration this binary lacks.
    pub fn check_schema(&self) -> Result<(), DbError> {
        self.read(check_not_newer)
    }
}

/// The versions this binary embeds.
fn known_versions() -> Result<BTreeSet<String>, DbError> {
    let migrations = MigrationSource::<Sqlite>::migrations(&SQLITE_MIGRATIONS).map_err(migration_err)?;
    Ok(migrations
        .iter()
        .map(|m| m.name().version().to_string())
        .collect())
}

fn check_not_newer(conn: &mut crate::Conn) -> Result<(), DbError> {
    if !has_migrations_table(conn)? {
        return Ok(());
    }
    let applied: BTreeSet<String> = conn
        .applied_migrations()
        .map_err(migration_err)?
        .into_iter()
        .map(|v| v.to_string())
        .collect();
    let known = known_versions()?;
    match applied.difference(&known).last() {
        Some(unknown) => Err(DbError::SchemaTooNew {
            database: unknown.clone(),
            binary: known.last().cloned().unwrap_or_default(),
        }),
        None => Ok(()),
    }
}

/// Reading `applied_migrations` would create diesel's table on a read-only or fresh file.
fn has_migrations_table(conn: &mut crate::Conn) -> Result<bool, DbError> {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let row: Count = diesel::sql_query(
        "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = '__diesel_schema_migrations'",
    )
    .get_result(conn)?;
    Ok(row.n > 0)
}

fn migration_err(e: Box<dyn std::error::Error + Send + Sync>) -> DbError {
    DbError::Migration(e.to_string())
}
