//! Test databases (feature `testing`): each test gets its own freshly migrated database that disappears
//! with it, so no test crate copies the setup. PostgreSQL schemas will come through the same type.

use std::path::{Path, PathBuf};

use crate::Db;

/// A fresh database in its own temporary directory. Panics on failure: it is for tests only.
#[derive(Debug)]
pub struct TestDb {
    dir: tempfile::TempDir,
    path: PathBuf,
    db: Db,
}

impl TestDb {
    /// A new database with every migration applied.
    pub fn new() -> TestDb {
        let test = TestDb::unmigrated();
        test.db
            .migrate()
            .unwrap_or_else(|e| panic!("migrating the test database: {e}"));
        test
    }

    /// A new, empty database file (no migration applied).
    pub fn unmigrated() -> TestDb {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("creating a temporary directory: {e}"));
        let path = dir.path().join("pipeline.db");
        let db = open(&path);
        TestDb { dir, path, db }
    }

    /// The handle (clones share one pool, like one process).
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Another pool on the same database, as a second process would open it.
    pub fn second_process(&self) -> Db {
        open(&self.path)
    }

    /// The database URL, for running the binary against it.
    pub fn url(&self) -> String {
        self.path.to_string_lossy().into_owned()
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

fn open(path: &Path) -> Db {
    Db::open(&path.to_string_lossy()).unwrap_or_else(|e| panic!("opening the test database: {e}"))
}

/// Records `version` as applied, as a newer binary would have: for tests of the "schema newer than this
/// binary" refusal.
pub fn pretend_migration_applied(db: &Db, version: &str) {
    use diesel::RunQueryDsl;
    db.read(|c| {
        diesel::sql_query("INSERT INTO __diesel_schema_migrations (version) VALUES (?)")
            .bind::<diesel::sql_types::Text, _>(version)
            .execute(c)
            .map_err(crate::DbError::from)
    })
    .unwrap_or_else(|e| panic!("recording migration {version}: {e}"));
}
