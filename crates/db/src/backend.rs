//! The two backends behind one connection type. Repositories build each statement once, with diesel's
//! query builder, and run it through [`with_conn!`](crate::with_conn), which type-checks and runs the same
//! statement against whichever backend the connection holds: SQLite (one file, one writer at a time) or
//! PostgreSQL (several workers on several machines). docs/ARCHITECTURE.md#two-database-backends.

use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::dsl::Limit;
use diesel::pg::PgConnection;
use diesel::query_dsl::methods::{ExecuteDsl, LimitDsl};
use diesel::query_dsl::{LoadQuery, RunQueryDsl};
use diesel::r2d2::{ConnectionManager, PooledConnection};
use diesel::result::QueryResult;
use diesel::sqlite::SqliteConnection;

use crate::DbError;

/// Which database a connection talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Backend {
    /// `sqlite` or `postgres`, as `doctor` and `status` print it.
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// A connection of the pool: what every repository function takes (the caller chooses the transaction).
pub enum Conn {
    /// A SQLite connection.
    Sqlite(PooledConnection<ConnectionManager<SqliteConnection>>),
    /// A PostgreSQL connection.
    Postgres(PooledConnection<ConnectionManager<PgConnection>>),
}

impl std::fmt::Debug for Conn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Conn").field(&self.backend()).finish()
    }
}

/// Runs one diesel statement on whichever backend `$conn` (a `&mut Conn`) holds: `$body` is compiled once
/// per backend with `$c` bound to that backend's connection.
#[macro_export]
#[doc(hidden)]
macro_rules! with_conn {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::Conn::Sqlite($c) => {
                let $c: &mut ::diesel::sqlite::SqliteConnection = &mut *$c;
                $body
            }
            $crate::Conn::Postgres($c) => {
                let $c: &mut ::diesel::pg::PgConnection = &mut *$c;
                $body
            }
        }
    };
}

impl Conn {
    /// The backend this connection talks to.
    pub fn backend(&self) -> Backend {
        match self {
            Conn::Sqlite(_) => Backend::Sqlite,
            Conn::Postgres(_) => Backend::Postgres,
        }
    }

    /// Runs `f` in one write transaction and commits when it returns `Ok`. SQLite takes it IMMEDIATE, so
    /// writers queue on the busy timeout instead of failing when upgrading a read lock; PostgreSQL runs it
    /// READ COMMITTED, every statement that must not race being one atomic statement or taking a row lock.
    pub fn write<T>(&mut self, f: impl FnOnce(&mut Conn) -> Result<T, DbError>) -> Result<T, DbError> {
        self.transaction(Some("BEGIN IMMEDIATE"), f)
    }

    /// Like [`Conn::write`], but SQLite takes the transaction EXCLUSIVE (migrations).
    pub(crate) fn exclusive<T>(
        &mut self,
        f: impl FnOnce(&mut Conn) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        self.transaction(Some("BEGIN EXCLUSIVE"), f)
    }

    fn transaction<T>(
        &mut self,
        sqlite_begin: Option<&str>,
        f: impl FnOnce(&mut Conn) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        match &mut *self {
            Conn::Sqlite(c) => {
                let outermost = AnsiTransactionManager::transaction_manager_status_mut(&mut **c)
                    .transaction_depth()?
                    .is_none();
                match sqlite_begin.filter(|_| outermost) {
                    Some(sql) => AnsiTransactionManager::begin_transaction_sql(&mut **c, sql)?,
                    None => AnsiTransactionManager::begin_transaction(&mut **c)?,
                }
            }
            Conn::Postgres(c) => AnsiTransactionManager::begin_transaction(&mut **c)?,
        }
        match f(self) {
            Ok(value) => {
                with_conn!(&mut *self, |c| AnsiTransactionManager::commit_transaction(c))?;
                Ok(value)
            }
            Err(error) => match with_conn!(&mut *self, |c| AnsiTransactionManager::rollback_transaction(c)) {
                Ok(()) | Err(diesel::result::Error::BrokenTransactionManager) => Err(error),
                Err(rollback) => Err(rollback.into()),
            },
        }
    }
}

/// diesel's `RunQueryDsl` for a [`Conn`]: each method requires the statement to be valid on both backends
/// (checked at compile time) and runs it on the one the connection holds. Repositories write
/// `query.execute_on(conn)` where a single-backend program writes `query.execute(conn)`.
pub trait RunOn: Sized {
    /// Executes a statement; the number of rows it affected.
    fn execute_on(self, conn: &mut Conn) -> QueryResult<usize>
    where
        Self: ExecuteDsl<SqliteConnection> + ExecuteDsl<PgConnection>,
    {
        match conn {
            Conn::Sqlite(c) => <Self as ExecuteDsl<SqliteConnection>>::execute(self, &mut **c),
            Conn::Postgres(c) => <Self as ExecuteDsl<PgConnection>>::execute(self, &mut **c),
        }
    }

    /// Every row of a query.
    fn load_on<'query, U>(self, conn: &mut Conn) -> QueryResult<Vec<U>>
    where
        Self: RunQueryDsl<SqliteConnection>
            + RunQueryDsl<PgConnection>
            + LoadQuery<'query, SqliteConnection, U>
            + LoadQuery<'query, PgConnection, U>,
    {
        match conn {
            Conn::Sqlite(c) => RunQueryDsl::<SqliteConnection>::load(self, &mut **c),
            Conn::Postgres(c) => RunQueryDsl::<PgConnection>::load(self, &mut **c),
        }
    }

    /// The one row of a query (`NotFound` without one).
    fn get_result_on<'query, U>(self, conn: &mut Conn) -> QueryResult<U>
    where
        Self: RunQueryDsl<SqliteConnection>
            + RunQueryDsl<PgConnection>
            + LoadQuery<'query, SqliteConnection, U>
            + LoadQuery<'query, PgConnection, U>,
    {
        match conn {
            Conn::Sqlite(c) => RunQueryDsl::<SqliteConnection>::get_result(self, &mut **c),
            Conn::Postgres(c) => RunQueryDsl::<PgConnection>::get_result(self, &mut **c),
        }
    }

    /// The first row of a query (`NotFound` without one).
    fn first_on<'query, U>(self, conn: &mut Conn) -> QueryResult<U>
    where
        Self: LimitDsl,
        Limit<Self>: RunQueryDsl<SqliteConnection>
            + RunQueryDsl<PgConnection>
            + LoadQuery<'query, SqliteConnection, U>
            + LoadQuery<'query, PgConnection, U>,
    {
        self.limit(1).get_result_on(conn)
    }
}

impl<T> RunOn for T {}
