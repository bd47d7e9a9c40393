//! Opening the database: one r2d2 pool for the whole process (migrate → lock → stages share it),
//! pragmas on every connection, serialized migrations, IMMEDIATE write transactions, backups.

use std::path::{Path, PathBuf};
use std::time::Duration;

use diesel::RunQueryDsl;
use diesel::connection::SimpleConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool, PooledConnection};
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::DbError;

/// The connection type repositories work on.
pub type Conn = SqliteConnection;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");

/// How long a writer waits for another writer before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// Which backend a URL selects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbKind {
    Sqlite(PathBuf),
    Postgres(String),
}

impl DbKind {
    /// `postgres://` / `postgresql://` select PostgreSQL; `sqlite://PATH` or a plain path select SQLite.
    pub fn parse(url: &str) -> DbKind {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return DbKind::Postgres(url.to_owned());
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url);
        DbKind::Sqlite(PathBuf::from(path))
    }
}

#[derive(Debug)]
struct Pragmas;

impl CustomizeConnection<SqliteConnection, diesel::r2d2::Error> for Pragmas {
    fn on_acquire(&self, conn: &mut SqliteConnection) -> Result<(), diesel::r2d2::Error> {
        let sql = format!(
            "PRAGMA busy_timeout = {}; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; \
             PRAGMA cache_size = -16384; PRAGMA temp_store = MEMORY;",
            BUSY_TIMEOUT.as_millis()
        );
        conn.batch_execute(&sql).map_err(diesel::r2d2::Error::QueryError)
    }
}

/// The process's database handle: cheap to clone, all clones share one pool.
#[derive(Clone)]
pub struct Db {
    pool: Pool<ConnectionManager<SqliteConnection>>,
    path: PathBuf,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db").field("path", &self.path).finish()
    }
}

impl Db {
    /// Opens (creating the file and its parent directory when missing) and switches the file to WAL.
    pub fn open(url: &str) -> Result<Db, DbError> {
        let path = match DbKind::parse(url) {
            DbKind::Sqlite(path) => path,
            DbKind::Postgres(_) => return Err(DbError::UnsupportedBackend(redact(url))),
        };
        let open_err = |reason: String| DbError::Open {
            url: path.display().to_string(),
            reason,
        };
        if path.as_os_str().is_empty() || path == Path::new(":memory:") {
            return Err(open_err(
                "a file path is required (the pool shares one database)".into(),
            ));
        }
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| open_err(e.to_string()))?;
        }
        let manager = ConnectionManager::<SqliteConnection>::new(path.to_string_lossy());
        let pool = Pool::builder()
            .max_size(8)
            .connection_timeout(Duration::from_secs(60))
            .connection_customizer(Box::new(Pragmas))
            .build(manager)
            .map_err(|e| open_err(e.to_string()))?;
        let db = Db { pool, path };
        db.conn()?.batch_execute("PRAGMA journal_mode = WAL;")?;
        Ok(db)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A pooled connection (blocking; call from a blocking context).
    pub fn conn(&self) -> Result<PooledConnection<ConnectionManager<SqliteConnection>>, DbError> {
        Ok(self.pool.get()?)
    }

    /// Runs `f` on a pooled connection outside any transaction (reads).
    pub fn read<T>(&self, f: impl FnOnce(&mut Conn) -> Result<T, DbError>) -> Result<T, DbError> {
        let mut conn = self.conn()?;
        f(&mut conn)
    }

    /// Runs `f` in one write transaction, taken IMMEDIATE so writers queue on the busy timeout instead of
    /// failing with "database is busy" when upgrading a read lock.
    pub fn write<T>(&self, f: impl FnOnce(&mut Conn) -> Result<T, DbError>) -> Result<T, DbError> {
        self.conn()?.immediate_transaction(f)
    }

    /// Runs blocking DB work off the async runtime's workers.
    pub async fn call<T, F>(&self, f: F) -> Result<T, DbError>
    where
        T: Send + 'static,
        F: FnOnce(&Db) -> Result<T, DbError> + Send + 'static,
    {
        let db = self.clone();
        tokio::task::spawn_blocking(move || f(&db))
            .await
            .map_err(|e| DbError::Worker(e.to_string()))?
    }

    /// Applies pending migrations inside one exclusive transaction, so two processes starting on a fresh
    /// database serialize instead of failing. Returns the versions applied.
    pub fn migrate(&self) -> Result<Vec<String>, DbError> {
        let mut conn = self.conn()?;
        conn.exclusive_transaction(|c| {
            let applied = c
                .run_pending_migrations(SQLITE_MIGRATIONS)
                .map_err(migration_err)?;
            Ok(applied.into_iter().map(|v| v.to_string()).collect())
        })
    }

    /// Versions embedded in this binary that the database has not applied yet.
    pub fn pending_migrations(&self) -> Result<Vec<String>, DbError> {
        let mut conn = self.conn()?;
        let pending = conn
            .pending_migrations(SQLITE_MIGRATIONS)
            .map_err(migration_err)?;
        Ok(pending.iter().map(|m| m.name().version().to_string()).collect())
    }

    /// `PRAGMA integrity_check`: `ok` on a healthy file.
    pub fn integrity_check(&self) -> Result<String, DbError> {
        #[derive(diesel::QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Text)]
            integrity_check: String,
        }
        let rows: Vec<Row> = diesel::sql_query("PRAGMA integrity_check").load(&mut self.conn()?)?;
        Ok(rows
            .into_iter()
            .map(|r| r.integrity_check)
            .collect::<Vec<_>>()
            .join("\n"))
    }

    /// A consistent copy of the live database (`VACUUM INTO`), safe while other processes write.
    pub fn backup_to(&self, target: &Path) -> Result<(), DbError> {
        if target.exists() {
            return Err(DbError::Open {
                url: target.display().to_string(),
                reason: "file exists".into(),
            });
        }
        diesel::sql_query("VACUUM INTO ?")
            .bind::<diesel::sql_types::Text, _>(target.to_string_lossy().into_owned())
            .execute(&mut self.conn()?)?;
        Ok(())
    }
}

fn migration_err(e: Box<dyn std::error::Error + Send + Sync>) -> DbError {
    DbError::Migration(e.to_string())
}

/// A database URL with any password replaced by `***` (CONTRACT §5).
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_owned(),
    }
}
