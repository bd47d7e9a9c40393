//! Embedded, append-only migrations, one directory per backend with the same versions: applied in one
//! transaction that excludes every other migrator (SQLite: an exclusive transaction; PostgreSQL: an
//! advisory lock held until the transaction ends), so concurrent starters serialize; a database that has
//! migrations this binary does not know is refused before any write.

use std::collections::BTreeSet;

use diesel::RunQueryDsl;
use diesel::migration::MigrationSource;
use diesel::sqlite::Sqlite;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::{Conn, Db, DbError, with_conn};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

/// The key of the PostgreSQL advisory lock migrators take (any constant the application owns).
const MIGRATION_LOCK: i64 = 0x7069_7065_6c69_6e65; // "pipeline"

fn source(conn: &Conn) -> EmbeddedMigrations {
    match conn {
        Conn::Sqlite(_) => SQLITE_MIGRATIONS,
        Conn::Postgres(_) => POSTGRES_MIGRATIONS,
    }
}

impl Db {
    /// Applies pending migrations inside one exclusive transaction, so two processes starting on a fresh
    /// database serialize instead of failing. Returns the versions applied. Refuses a database from a
    /// newer binary.
    pub fn migrate(&self) -> Result<Vec<String>, DbError> {
        let mut conn = self.conn()?;
        conn.exclusive(|c| {
            if let Conn::Postgres(pg) = c {
                diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
                    .bind::<diesel::sql_types::BigInt, _>(MIGRATION_LOCK)
                    .execute(&mut **pg)?;
            }
            check_not_newer(c)?;
            let migrations = source(c);
            let applied = with_conn!(c, |c| c.run_pending_migrations(migrations)).map_err(migration_err)?;
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
        let applied = applied_versions(&mut conn)?;
        Ok(known_versions()?.difference(&applied).cloned().collect())
    }

    /// Whether any migration was ever applied (a fresh PostgreSQL schema, or an empty SQLite file, has none:
    /// there is nothing to read yet).
    pub fn has_schema(&self) -> Result<bool, DbError> {
        has_migrations_table(&mut self.conn()?)
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
    let applied = applied_versions(conn)?;
    let known = known_versions()?;
    match applied.difference(&known).last() {
        Some(unknown) => Err(DbError::SchemaTooNew {
            database: unknown.clone(),
            binary: known.last().cloned().unwrap_or_default(),
        }),
        None => Ok(()),
    }
}

/// The versions the database has applied, read without diesel's harness: its `applied_migrations` first
/// creates its table, which a read-only PostgreSQL session refuses even when the table exists.
fn applied_versions(conn: &mut Conn) -> Result<BTreeSet<String>, DbError> {
    #[derive(diesel::QueryableByName)]
    struct Version {
        #[diesel(sql_type = diesel::sql_types::Text)]
        version: String,
    }
    let rows: Vec<Version> = with_conn!(conn, |c| diesel::sql_query(
        "SELECT version FROM __diesel_schema_migrations"
    )
    .load(c))?;
    Ok(rows.into_iter().map(|r| r.version).collect())
}

/// Reading `applied_migrations` would create diesel's table on a read-only or fresh file.
fn has_migrations_table(conn: &mut crate::Conn) -> Result<bool, DbError> {
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let row: Count = match conn {
        Conn::Sqlite(c) => diesel::sql_query(
            "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = '__diesel_schema_migrations'",
        )
        .get_result(&mut **c)?,
        Conn::Postgres(c) => diesel::sql_query(
            "SELECT COUNT(*) AS n FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_name = '__diesel_schema_migrations'",
        )
        .get_result(&mut **c)?,
    };
    Ok(row.n > 0)
}

fn migration_err(e: Box<dyn std::error::Error + Send + Sync>) -> DbError {
    DbError::Migration(e.to_string())
}
