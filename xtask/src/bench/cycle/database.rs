//! The bench's database: a SQLite file in the scratch directory, or a PostgreSQL database of its own on the
//! test server (`crate::postgres`, with `psql`), created empty for the bench and dropped after it.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail, ensure};

use crate::postgres;

/// `--db`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub(super) fn parse(text: &str) -> Result<Backend> {
        match text {
            "sqlite" => Ok(Backend::Sqlite),
            "postgres" => Ok(Backend::Postgres),
            other => bail!("--db {other}: sqlite or postgres"),
        }
    }

    pub(super) fn key(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// A database made for one bench run; a PostgreSQL one is dropped with it.
pub(super) enum Database {
    Sqlite(PathBuf),
    Postgres { server: String, name: String },
}

impl Database {
    /// A new empty database: `data/pipeline.db` under `dir` (created by the first run), or database
    /// `bench_cycle_PID` on the test server.
    pub(super) fn create(backend: Backend, dir: &Path) -> Result<Database> {
        if backend == Backend::Sqlite {
            return Ok(Database::Sqlite(dir.join("data/pipeline.db")));
        }
        let url =
            postgres::server()?.context("--db postgres: no PostgreSQL server (see TEST_POSTGRES_URL)")?;
        let name = format!("bench_cycle_{}", std::process::id());
        postgres::query(&url, &format!("DROP DATABASE IF EXISTS {name}"))?;
        postgres::query(&url, &format!("CREATE DATABASE {name}"))?;
        Ok(Database::Postgres { server: url, name })
    }

    /// What `database_url` says.
    pub(super) fn url(&self) -> Result<String> {
        match self {
            Database::Sqlite(path) => Ok(path.display().to_string()),
            Database::Postgres { server, name } => postgres::database_url(server, name),
        }
    }

    /// A day passes for the pipeline's ingestion schedule: every board fetched is due again, as 24 h
    /// (`ingestion.refresh_after`) after its last fetch. The pipeline reads no clock from outside, and a
    /// board's next fetch is stored when it is fetched, so its `next_due_at` is moved back to that fetch
    /// (the same column type on both backends: the value is copied, never written as text here).
    pub(super) fn make_boards_due(&self) -> Result<()> {
        let sql =
            "UPDATE board_ingestion SET next_due_at = last_fetched_at WHERE last_fetched_at IS NOT NULL";
        match self {
            Database::Sqlite(path) => {
                let status = Command::new("sqlite3")
                    .arg(path)
                    .arg(sql)
                    .status()
                    .context("the next day needs the sqlite3 command (Debian package sqlite3)")?;
                ensure!(status.success(), "sqlite3 {}: {status}", path.display());
                Ok(())
            }
            Database::Postgres { server, name } => {
                postgres::query(&postgres::database_url(server, name)?, sql).map(drop)
            }
        }
    }

    /// Bytes on disk: the SQLite file with its WAL and shared-memory files, or `pg_database_size`.
    pub(super) fn size(&self) -> Result<u64> {
        match self {
            Database::Sqlite(path) => Ok(["", "-wal", "-shm"]
                .iter()
                .filter_map(|suffix| std::fs::metadata(format!("{}{suffix}", path.display())).ok())
                .map(|m| m.len())
                .sum()),
            Database::Postgres { server, name } => {
                let rows = postgres::query(server, &format!("SELECT pg_database_size('{name}')"))?;
                let size = rows.first().context("pg_database_size: no row")?;
                size.parse().with_context(|| format!("pg_database_size: {size}"))
            }
        }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Database::Postgres { server, name } = self
            && let Err(e) = postgres::query(server, &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        {
            eprintln!("bench cycle: database {name} not dropped: {e:#}");
        }
    }
}
