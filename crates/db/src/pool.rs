//! Opening the database: one r2d2 pool for the whole process (migrate → lock → stages share it), on a
//! SQLite file (pragmas on every connection, IMMEDIATE write transactions, backups) or a PostgreSQL server
//! (UTC sessions, read-only sessions for the commands that only read). A file that cannot be a database
//! (a directory, random bytes, an unwritable place) is refused at once with its path and cause, before
//! the pool exists: the pool would otherwise retry for its whole connection timeout.

use std::path::{Path, PathBuf};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool};
use diesel::sqlite::SqliteConnection;
use diesel::{Connection, RunQueryDsl};

use crate::DbError;
use crate::backend::{Backend, Conn};

/// How long a SQLite writer waits for another writer before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// Which backend a URL selects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbKind {
    /// A SQLite file at this path.
    Sqlite(PathBuf),
    /// A PostgreSQL URL.
    Postgres(String),
}

impl DbKind {
    /// `postgres://` / `postgresql://` select PostgreSQL; `sqlite://PATH` or a plain path select SQLite;
    /// any other `scheme://` is refused (it would otherwise become a directory named `scheme:`).
    pub fn parse(url: &str) -> Result<DbKind, DbError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DbKind::Postgres(url.to_owned()));
        }
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            return Ok(DbKind::Sqlite(PathBuf::from(path)));
        }
        match url.split_once("://") {
            Some((scheme, _))
                if !scheme.is_empty()
                    && scheme
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) =>
            {
                Err(DbError::UnknownScheme {
                    url: redact(url),
                    scheme: scheme.to_owned(),
                })
            }
            _ => Ok(DbKind::Sqlite(PathBuf::from(url))),
        }
    }
}

/// Whether the process may create and change the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Create the SQLite file (and its directory) when missing; switch it to WAL.
    ReadWrite,
    /// Open an existing file read-only, or read-only PostgreSQL sessions (`status`, `companies`,
    /// `doctor`): nothing is created or written.
    ReadOnly,
}

#[derive(Debug)]
struct Pragmas;

impl CustomizeConnection<SqliteConnection, diesel::r2d2::Error> for Pragmas {
    fn on_acquire(&self, conn: &mut SqliteConnection) -> Result<(), diesel::r2d2::Error> {
        conn.batch_execute(&pragmas())
            .map_err(diesel::r2d2::Error::QueryError)
    }
}

/// Every SQLite connection's settings. Each of the pool's connections keeps its own page cache, and the
/// operating system's keeps the file's pages anyway: 4 MiB a connection (SQLite's default is 2) holds a
/// writer's hot index pages, where 16 MiB made eight connections grow a first load's peak RSS by ~20 MB
/// for no speed.
fn pragmas() -> String {
    format!(
        "PRAGMA busy_timeout = {}; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; \
         PRAGMA cache_size = -4096; PRAGMA temp_store = MEMORY;",
        BUSY_TIMEOUT.as_millis()
    )
}

/// The pool of one backend.
#[derive(Clone)]
enum Pools {
    Sqlite(Pool<ConnectionManager<SqliteConnection>>),
    Postgres(Pool<ConnectionManager<PgConnection>>),
}

/// Where the database is, for messages (a PostgreSQL URL with its password redacted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A SQLite file.
    File(PathBuf),
    /// A PostgreSQL URL, its password replaced by `***`.
    Server(String),
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::File(path) => write!(f, "{}", path.display()),
            Location::Server(url) => f.write_str(url),
        }
    }
}

/// The process's database handle: cheap to clone, all clones share one pool.
#[derive(Clone)]
pub struct Db {
    pools: Pools,
    location: Location,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db").field("location", &self.location).finish()
    }
}

impl Db {
    /// Opens for reading and writing: a SQLite file is created with its parent directory when missing and
    /// switched to WAL; a PostgreSQL server must answer.
    pub fn open(url: &str) -> Result<Db, DbError> {
        match DbKind::parse(url)? {
            DbKind::Sqlite(path) => Db::open_file(path, Access::ReadWrite),
            DbKind::Postgres(url) => Db::open_server(&url, Access::ReadWrite),
        }
    }

    /// Opens an existing database read-only; `None` when there is no database file yet (a PostgreSQL
    /// server always exists: its sessions are read-only).
    pub fn open_existing(url: &str) -> Result<Option<Db>, DbError> {
        match DbKind::parse(url)? {
            DbKind::Sqlite(path) if !path.exists() => Ok(None),
            DbKind::Sqlite(path) => Db::open_file(path, Access::ReadOnly).map(Some),
            DbKind::Postgres(url) => Db::open_server(&url, Access::ReadOnly).map(Some),
        }
    }

    fn open_file(path: PathBuf, access: Access) -> Result<Db, DbError> {
        let open_err = |reason: String| DbError::Open {
            url: path.display().to_string(),
            reason,
        };
        if path.as_os_str().is_empty() || path == Path::new(":memory:") {
            return Err(open_err(
                "a file path is required (the pool shares one database)".into(),
            ));
        }
        if path.is_dir() {
            return Err(open_err("is a directory".into()));
        }
        if access == Access::ReadWrite
            && let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
        {
            std::fs::create_dir_all(parent).map_err(|e| open_err(e.to_string()))?;
        }
        let target = match access {
            Access::ReadWrite => path.to_string_lossy().into_owned(),
            Access::ReadOnly => read_only_uri(&path),
        };
        // One direct connection first: a bad file fails here, once, with SQLite's own reason.
        let mut probe = SqliteConnection::establish(&target).map_err(|e| open_err(e.to_string()))?;
        let setup = match access {
            Access::ReadWrite => format!("{} PRAGMA journal_mode = WAL;", pragmas()),
            Access::ReadOnly => format!("{} PRAGMA schema_version;", pragmas()),
        };
        probe.batch_execute(&setup).map_err(|e| open_err(e.to_string()))?;
        drop(probe);
        let pool = Pool::builder()
            .max_size(8)
            .min_idle(Some(1))
            .connection_timeout(Duration::from_secs(60))
            .connection_customizer(Box::new(Pragmas))
            .build(ConnectionManager::<SqliteConnection>::new(target))
            .map_err(|e| open_err(e.to_string()))?;
        Ok(Db {
            pools: Pools::Sqlite(pool),
            location: Location::File(path),
        })
    }

    fn open_server(url: &str, access: Access) -> Result<Db, DbError> {
        let shown = redact(url);
        let open_err = |reason: String| DbError::Open {
            url: shown.clone(),
            reason: reason.trim().to_owned(),
        };
        let session = Session(access);
        // One direct connection first: an unreachable server or a bad password fails here, once.
        let mut probe = PgConnection::establish(url).map_err(|e| open_err(e.to_string()))?;
        probe
            .batch_execute(session.setup())
            .map_err(|e| open_err(e.to_string()))?;
        drop(probe);
        // No connection is opened in the background (no idle minimum, no reaper): a libpq connection being
        // set up on the pool's thread while the process exits raced OpenSSL's exit-time cleanup.
        let pool = Pool::builder()
            .max_size(8)
            .min_idle(Some(0))
            .idle_timeout(None)
            .max_lifetime(None)
            .connection_timeout(Duration::from_secs(60))
            .connection_customizer(Box::new(session))
            .build(ConnectionManager::<PgConnection>::new(url))
            .map_err(|e| open_err(e.to_string()))?;
        Ok(Db {
            pools: Pools::Postgres(pool),
            location: Location::Server(shown),
        })
    }

    /// Where the database is (a file, or a server URL without its password).
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// The backend the database runs on.
    pub fn backend(&self) -> Backend {
        match self.pools {
            Pools::Sqlite(_) => Backend::Sqlite,
            Pools::Postgres(_) => Backend::Postgres,
        }
    }

    /// A pooled connection (blocking; call from a blocking context).
    pub fn conn(&self) -> Result<Conn, DbError> {
        Ok(match &self.pools {
            Pools::Sqlite(pool) => Conn::Sqlite(pool.get()?),
            Pools::Postgres(pool) => Conn::Postgres(pool.get()?),
        })
    }

    /// Runs `f` on a pooled connection outside any transaction (reads).
    pub fn read<T>(&self, f: impl FnOnce(&mut Conn) -> Result<T, DbError>) -> Result<T, DbError> {
        let mut conn = self.conn()?;
        f(&mut conn)
    }

    /// Runs `f` in one write transaction (see [`Conn::write`]).
    pub fn write<T>(&self, f: impl FnOnce(&mut Conn) -> Result<T, DbError>) -> Result<T, DbError> {
        self.conn()?.write(f)
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

    /// `ok` on a healthy database: SQLite's `PRAGMA integrity_check`; on PostgreSQL, a query answered.
    pub fn integrity_check(&self) -> Result<String, DbError> {
        #[derive(diesel::QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Text)]
            integrity_check: String,
        }
        let rows: Vec<Row> = match &mut self.conn()? {
            Conn::Sqlite(c) => diesel::sql_query("PRAGMA integrity_check").load(&mut **c)?,
            Conn::Postgres(c) => diesel::sql_query("SELECT 'ok' AS integrity_check").load(&mut **c)?,
        };
        Ok(rows
            .into_iter()
            .map(|r| r.integrity_check)
            .collect::<Vec<_>>()
            .join("\n"))
    }

    /// A consistent copy of the live SQLite database (`VACUUM INTO`), safe while other processes write.
    /// PostgreSQL has its own tool for this (`pg_dump`), which the error names.
    pub fn backup_to(&self, target: &Path) -> Result<(), DbError> {
        if target.exists() {
            return Err(DbError::Open {
                url: target.display().to_string(),
                reason: "file exists".into(),
            });
        }
        match &mut self.conn()? {
            Conn::Sqlite(c) => {
                diesel::sql_query("VACUUM INTO ?")
                    .bind::<diesel::sql_types::Text, _>(target.to_string_lossy().into_owned())
                    .execute(&mut **c)?;
                Ok(())
            }
            Conn::Postgres(_) => Err(DbError::NotOnBackend {
                what: "db backup",
                hint: "on PostgreSQL, use pg_dump (e.g. `pg_dump --format=custom --file=FILE DATABASE_URL`)",
            }),
        }
    }
}

/// The session settings of a PostgreSQL connection: UTC, and read-only for the commands that only read.
#[derive(Debug, Clone, Copy)]
struct Session(Access);

impl Session {
    fn setup(&self) -> &'static str {
        match self.0 {
            Access::ReadWrite => "SET TIME ZONE 'UTC';",
            Access::ReadOnly => "SET TIME ZONE 'UTC'; SET default_transaction_read_only = on;",
        }
    }
}

impl CustomizeConnection<PgConnection, diesel::r2d2::Error> for Session {
    fn on_acquire(&self, conn: &mut PgConnection) -> Result<(), diesel::r2d2::Error> {
        conn.batch_execute(self.setup())
            .map_err(diesel::r2d2::Error::QueryError)
    }
}

/// `file:PATH?mode=ro`, with the characters a URI filename gives meaning to escaped.
fn read_only_uri(path: &Path) -> String {
    let mut uri = String::from("file:");
    for c in path.to_string_lossy().chars() {
        match c {
            '%' | '?' | '#' => uri.push_str(&format!("%{:02X}", c as u32)),
            c => uri.push(c),
        }
    }
    uri.push_str("?mode=ro");
    uri
}

/// A database URL with any password replaced by `***` (docs/interfaces.md#5-files-and-environment).
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_owned(),
    }
}
