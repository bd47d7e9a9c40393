//! The one SQL type of the schema that the two backends spell differently: an instant in UTC. SQLite
//! stores it as text in diesel's timestamp-with-time-zone form (`2026-12-03 07:30:00+00:00`, which sorts
//! and compares as time does); PostgreSQL as `timestamptz`. Every column of the schema that holds a time
//! has this type, so a statement written once compares and binds times on both.

use chrono::{DateTime, Utc};
use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::pg::Pg;
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::{Timestamptz, TimestamptzSqlite};
use diesel::sqlite::Sqlite;

mod time_text;

/// An instant in UTC (`timestamptz` on PostgreSQL, text on SQLite), read and written as `DateTime<Utc>`.
#[derive(Debug, Clone, Copy, Default, diesel::sql_types::SqlType, diesel::query_builder::QueryId)]
#[diesel(sqlite_type(name = "Text"))]
#[diesel(postgres_type(oid = 1184, array_oid = 1185))]
pub struct UtcTime;

impl ToSql<UtcTime, Sqlite> for DateTime<Utc> {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        match time_text::format(self) {
            Some(text) => {
                out.set_value(text);
                Ok(serialize::IsNull::No)
            }
            None => <DateTime<Utc> as ToSql<TimestamptzSqlite, Sqlite>>::to_sql(self, out),
        }
    }
}

impl FromSql<UtcTime, Sqlite> for DateTime<Utc> {
    fn from_sql(mut value: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        if let Some(time) = time_text::parse(value.read_text()) {
            return Ok(time);
        }
        <DateTime<Utc> as FromSql<TimestamptzSqlite, Sqlite>>::from_sql(value)
    }
}

impl ToSql<UtcTime, Pg> for DateTime<Utc> {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        <DateTime<Utc> as ToSql<Timestamptz, Pg>>::to_sql(self, out)
    }
}

impl FromSql<UtcTime, Pg> for DateTime<Utc> {
    fn from_sql(value: <Pg as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        <DateTime<Utc> as FromSql<Timestamptz, Pg>>::from_sql(value)
    }
}

/// An instant bound into a statement: `column.eq(At(now))`. chrono's `DateTime<Utc>` cannot be taught
/// diesel's `AsExpression` for a type of ours (the two crates own the trait and the type), so times are
/// bound through this wrapper; `Option<DateTime<Utc>>` binds as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, diesel::expression::AsExpression)]
#[diesel(sql_type = UtcTime)]
pub struct At(pub DateTime<Utc>);

impl ToSql<UtcTime, Sqlite> for At {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        <DateTime<Utc> as ToSql<UtcTime, Sqlite>>::to_sql(&self.0, out)
    }
}

impl ToSql<UtcTime, Pg> for At {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        <DateTime<Utc> as ToSql<UtcTime, Pg>>::to_sql(&self.0, out)
    }
}

/// The columns a `Selectable` row reads, as the plain tuple of columns both backends load into it.
/// (`Selectable::as_select` names one backend in its type, so a statement built with it runs on one.)
pub fn columns<T: diesel::Selectable<Sqlite>>() -> T::SelectExpression {
    T::construct_selection()
}
