//! Test databases (feature `testing`): each test gets its own freshly migrated database that disappears
//! with it, so no test crate copies the setup: a SQLite file in a temporary directory, or a schema of its
//! own on a PostgreSQL server (`TEST_POSTGRES_URL`, else `postgres://127.0.0.1:5432/test`), so that one
//! behaviour suite runs on both backends.
//!
//! When no PostgreSQL server answers, [`TestDb::postgres`] returns `None` and says so on stderr, unless
//! `TEST_POSTGRES_REQUIRED=1` (set by `cargo xtask ci` when it found a server, and by `.ci/run`), where it
//! panics: CI never skips the PostgreSQL suite silently.

use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};

use diesel::{Connection, RunQueryDsl};

use crate::{Backend, Db};

/// The server the PostgreSQL tests use when `TEST_POSTGRES_URL` is not set.
pub const DEFAULT_POSTGRES_URL: &str = "postgres://127.0.0.1:5432/test";

/// A fresh database that disappears with the value. Panics on failure: it is for tests only.
#[derive(Debug)]
pub struct TestDb {
    dir: tempfile::TempDir,
    url: String,
    /// The PostgreSQL server and schema, dropped with the value.
    schema: Option<(String, String)>,
    db: Db,
}

impl TestDb {
    /// A new database with every migration applied: SQLite, or PostgreSQL when `TEST_BACKEND=postgres`
    /// (how `cargo xtask ci` runs the stage suites a second time on PostgreSQL).
    pub fn new() -> TestDb {
        if std::env::var("TEST_BACKEND").is_ok_and(|b| b == "postgres") {
            return TestDb::postgres().unwrap_or_else(|| panic!("TEST_BACKEND=postgres but no server"));
        }
        TestDb::sqlite()
    }

    /// A new SQLite database with every migration applied, whatever `TEST_BACKEND` says.
    pub fn sqlite() -> TestDb {
        migrated(TestDb::unmigrated())
    }

    /// A new, empty SQLite database file (no migration applied).
    pub fn unmigrated() -> TestDb {
        let dir = tempdir();
        let url = dir.path().join("pipeline.db").to_string_lossy().into_owned();
        let db = open(&url);
        TestDb {
            dir,
            url,
            schema: None,
            db,
        }
    }

    /// A new database of `backend` with every migration applied; `None` when the PostgreSQL suite is
    /// skipped (see the module's documentation).
    pub fn of(backend: Backend) -> Option<TestDb> {
        match backend {
            Backend::Sqlite => Some(TestDb::sqlite()),
            Backend::Postgres => TestDb::postgres(),
        }
    }

    /// A new schema of its own on the test PostgreSQL server, every migration applied; `None` when no
    /// server answers and `TEST_POSTGRES_REQUIRED` is not set.
    pub fn postgres() -> Option<TestDb> {
        TestDb::postgres_unmigrated().map(migrated)
    }

    /// A new, empty schema on the test PostgreSQL server (no migration applied).
    pub fn postgres_unmigrated() -> Option<TestDb> {
        let server = postgres_server()?;
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let schema = format!(
            "test_{}_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed),
            rand_suffix()
        );
        let mut admin = diesel::PgConnection::establish(&server)
            .unwrap_or_else(|e| panic!("connecting to {server}: {e}"));
        diesel::sql_query(format!("CREATE SCHEMA {schema}"))
            .execute(&mut admin)
            .unwrap_or_else(|e| panic!("creating schema {schema}: {e}"));
        let separator = if server.contains('?') { '&' } else { '?' };
        let url = format!("{server}{separator}options=-csearch_path%3D{schema}");
        let db = open(&url);
        Some(TestDb {
            dir: tempdir(),
            url,
            schema: Some((server, schema)),
            db,
        })
    }

    /// The handle (clones share one pool, like one process).
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Another pool on the same database, as a second process would open it.
    pub fn second_process(&self) -> Db {
        open(&self.url)
    }

    /// The database URL, for running the binary against it.
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// The backend it runs on.
    pub fn backend(&self) -> Backend {
        self.db.backend()
    }

    /// The temporary directory the database lives in (for files a test puts beside it).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Default for TestDb {
    fn default() -> Self {
        TestDb::new()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((server, schema)) = &self.schema
            && let Ok(mut admin) = diesel::PgConnection::establish(server)
        {
            let _ = diesel::sql_query(format!("DROP SCHEMA IF EXISTS {schema} CASCADE")).execute(&mut admin);
        }
    }
}

fn migrated(test: TestDb) -> TestDb {
    test.db
        .migrate()
        .unwrap_or_else(|e| panic!("migrating the test database: {e}"));
    test
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("creating a temporary directory: {e}"))
}

fn open(url: &str) -> Db {
    Db::open(url).unwrap_or_else(|e| panic!("opening the test database: {e}"))
}

/// A few characters that differ between runs, so that schemas left by a killed run never collide.
fn rand_suffix() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("{nanos:x}")
}

/// The test server's URL, once it answered; `None` (said once on stderr) when the suite is skipped.
fn postgres_server() -> Option<String> {
    static SERVER: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    SERVER
        .get_or_init(|| {
            let url = std::env::var("TEST_POSTGRES_URL")
                .ok()
                .filter(|u| !u.trim().is_empty())
                .unwrap_or_else(|| DEFAULT_POSTGRES_URL.to_owned());
            let required = std::env::var("TEST_POSTGRES_REQUIRED").is_ok_and(|v| v == "1");
            match diesel::PgConnection::establish(&url) {
                Ok(_) => Some(url),
                Err(e) if required => panic!(
                    "TEST_POSTGRES_REQUIRED=1 but no PostgreSQL server answers at {}: {e}",
                    crate::redact(&url)
                ),
                Err(e) => {
                    eprintln!(
                        "PostgreSQL suite SKIPPED: no server at {} ({}); set TEST_POSTGRES_URL",
                        crate::redact(&url),
                        e.to_string().trim()
                    );
                    None
                }
            }
        })
        .clone()
}

/// Records `version` as applied, as a newer binary would have: for tests of the "schema newer than this
/// binary" refusal.
pub fn pretend_migration_applied(db: &Db, version: &str) {
    db.read(|c| {
        let sql = match c.backend() {
            Backend::Sqlite => "INSERT INTO __diesel_schema_migrations (version) VALUES (?)",
            Backend::Postgres => "INSERT INTO __diesel_schema_migrations (version) VALUES ($1)",
        };
        crate::with_conn!(c, |c| diesel::sql_query(sql)
            .bind::<diesel::sql_types::Text, _>(version)
            .execute(c))
        .map_err(crate::DbError::from)
    })
    .unwrap_or_else(|e| panic!("recording migration {version}: {e}"));
}
