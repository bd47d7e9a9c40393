//! Statements kept prepared although diesel's builder would prepare them anew at every run. diesel caches
//! no `UPDATE`, upsert or raw `sql_query`, because the text of some depends on their values (a changeset
//! leaves out its `None` fields; a batch has as many rows as it is given), and parsing and planning such a
//! statement costs SQLite more than running it. The few written for every unit of a stage (the lease
//! claim, a board's fetch, a run's counters) are [`Fixed`]: one text, `?` for each value, cached by that
//! text on both backends (diesel writes each `?` as the backend's placeholder).

use diesel::backend::Backend;
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::HasSqlType;
use diesel::sqlite::Sqlite;
use diesel::{QueryResult, RunQueryDsl};

/// A value bound to one of a [`Fixed`] statement's `?`, on either backend.
trait Bind {
    fn sqlite<'b>(&'b self, out: &mut AstPass<'_, 'b, Sqlite>) -> QueryResult<()>;
    fn pg<'b>(&'b self, out: &mut AstPass<'_, 'b, Pg>) -> QueryResult<()>;
}

/// A value of Rust type `T` bound as SQL type `ST`.
struct Value<ST, T>(T, std::marker::PhantomData<fn() -> ST>);

impl<ST, T> Bind for Value<ST, T>
where
    T: ToSql<ST, Sqlite> + ToSql<ST, Pg>,
    Sqlite: HasSqlType<ST>,
    Pg: HasSqlType<ST>,
{
    fn sqlite<'b>(&'b self, out: &mut AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        out.push_bind_param::<ST, T>(&self.0)
    }

    fn pg<'b>(&'b self, out: &mut AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_bind_param::<ST, T>(&self.0)
    }
}

/// A statement of fixed text with its values; `ST` is the SQL type of the row it returns, if it returns
/// one. Its text must be the same at every run of its call site (no value spliced into it): the cache
/// keeps one prepared statement per text.
pub(crate) struct Fixed<'a, ST = ()> {
    sql: &'static str,
    binds: Vec<Box<dyn Bind + 'a>>,
    returns: std::marker::PhantomData<fn() -> ST>,
}

impl<'a> Fixed<'a> {
    /// The statement `sql`, whose `?` are bound in order by [`bind`](Self::bind).
    pub(crate) fn new(sql: &'static str) -> Fixed<'a> {
        Fixed {
            sql,
            binds: Vec::with_capacity(sql.matches('?').count()),
            returns: std::marker::PhantomData,
        }
    }
}

impl<'a, R> Fixed<'a, R> {
    /// Binds the next `?` to `value` as SQL type `ST`.
    pub(crate) fn bind<ST, T>(mut self, value: T) -> Self
    where
        T: ToSql<ST, Sqlite> + ToSql<ST, Pg> + 'a,
        Sqlite: HasSqlType<ST>,
        Pg: HasSqlType<ST>,
        ST: 'a,
    {
        self.binds.push(Box::new(Value(value, std::marker::PhantomData)));
        self
    }

    /// The statement returns a row of SQL type `ST` (`RETURNING`).
    pub(crate) fn returning<ST>(self) -> Fixed<'a, ST> {
        Fixed {
            sql: self.sql,
            binds: self.binds,
            returns: std::marker::PhantomData,
        }
    }

    /// Writes the text with each `?` as the backend's placeholder of the next value.
    fn walk<'b, DB: Backend>(
        &'b self,
        mut out: AstPass<'_, 'b, DB>,
        bind: impl Fn(&'b dyn Bind, &mut AstPass<'_, 'b, DB>) -> QueryResult<()>,
    ) -> QueryResult<()> {
        let mut parts = self.sql.split('?');
        if let Some(first) = parts.next() {
            out.push_sql(first);
        }
        let mut binds = self.binds.iter();
        for part in parts {
            let value = binds.next().ok_or_else(|| mismatch(self.sql))?;
            bind(value.as_ref(), &mut out)?;
            out.push_sql(part);
        }
        match binds.next() {
            Some(_) => Err(mismatch(self.sql)),
            None => Ok(()),
        }
    }
}

fn mismatch(sql: &str) -> diesel::result::Error {
    diesel::result::Error::QueryBuilderError(format!("values do not match the `?` of {sql}").into())
}

impl<R> QueryFragment<Sqlite> for Fixed<'_, R> {
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        self.walk(out, |value, out| value.sqlite(out))
    }
}

impl<R> QueryFragment<Pg> for Fixed<'_, R> {
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        self.walk(out, |value, out| value.pg(out))
    }
}

/// No identity by type: the cache keys the statement by its text.
impl<R> QueryId for Fixed<'_, R> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<ST> Query for Fixed<'_, ST> {
    type SqlType = ST;
}

impl<R, C> RunQueryDsl<C> for Fixed<'_, R> {}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use diesel::prelude::*;
    use diesel::sql_types::{BigInt, Nullable, Text};
    use diesel::sqlite::SqliteConnection;

    use super::*;

    /// The text of each statement a connection put in its cache.
    #[derive(Default, Clone)]
    struct CachedTexts(std::sync::Arc<std::sync::Mutex<Vec<String>>>);

    impl diesel::connection::Instrumentation for CachedTexts {
        fn on_connection_event(&mut self, event: diesel::connection::InstrumentationEvent<'_>) {
            if let diesel::connection::InstrumentationEvent::CacheQuery { sql, .. } = event {
                self.0.lock().unwrap().push(sql.to_owned());
            }
        }
    }

    const UPSERT: &str = "INSERT INTO counters (id, n, note) VALUES (?, ?, ?) \
         ON CONFLICT (id) DO UPDATE SET n = counters.n + excluded.n, note = excluded.note RETURNING n";

    #[test]
    fn a_fixed_upsert_is_prepared_once_and_runs_with_each_run_s_values() {
        let mut conn = SqliteConnection::establish(":memory:").unwrap();
        let texts = CachedTexts::default();
        conn.set_instrumentation(texts.clone());
        diesel::sql_query("CREATE TABLE counters (id BIGINT PRIMARY KEY, n BIGINT NOT NULL, note TEXT)")
            .execute(&mut conn)
            .unwrap();
        let mut last = 0;
        for n in 1..=5_i64 {
            let note = (n % 2 == 0).then(|| format!("run {n}"));
            last = Fixed::new(UPSERT)
                .bind::<BigInt, _>(1_i64)
                .bind::<BigInt, _>(n)
                .bind::<Nullable<Text>, _>(note)
                .returning::<BigInt>()
                .get_result::<i64>(&mut conn)
                .unwrap();
        }
        assert_eq!(last, 15);
        assert_eq!(texts.0.lock().unwrap().as_slice(), [UPSERT.to_owned()]);
        let too_few = Fixed::new(UPSERT).bind::<BigInt, _>(1_i64).execute(&mut conn);
        assert!(too_few.unwrap_err().to_string().contains("do not match"));
    }
}
