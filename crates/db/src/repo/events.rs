//! Events: notable transitions (lock takeovers, pauses set/cleared, sources failing, boards found/gone,
//! feedback applied/rejected), kept for `retention.runs`.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::RunOn;
use crate::schema::events;
use crate::sql::At;
use crate::{Conn, DbError};

/// An event to record.
#[derive(Debug, Clone, Copy, Default)]
pub struct NewEvent<'a> {
    /// What happened (`lock_taken_over`, `pause_set`, `board_found`, ...).
    pub kind: &'a str,
    /// The stage it happened in, if any.
    pub stage: Option<&'a str>,
    /// The company it concerns, if any.
    pub company_id: Option<i64>,
    /// What it happened to (a lock, a provider, a board reference).
    pub subject: Option<&'a str>,
    /// Free text for a person reading the log.
    pub detail: Option<&'a str>,
}

/// A stored event (see [`NewEvent`] for the fields).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = events)]
pub struct EventRow {
    /// Its id: events are ordered by it.
    pub id: i64,
    /// When it was recorded.
    pub at: DateTime<Utc>,
    /// What happened.
    pub kind: String,
    /// The stage it happened in, if any.
    pub stage: Option<String>,
    /// The company it concerns, if any.
    pub company_id: Option<i64>,
    /// What it happened to.
    pub subject: Option<String>,
    /// Free text.
    pub detail: Option<String>,
}

/// Appends an event at `now`.
pub fn record(conn: &mut Conn, now: DateTime<Utc>, event: NewEvent<'_>) -> Result<(), DbError> {
    diesel::insert_into(events::table)
        .values((
            events::at.eq(At(now)),
            events::kind.eq(event.kind),
            events::stage.eq(event.stage),
            events::company_id.eq(event.company_id),
            events::subject.eq(event.subject),
            events::detail.eq(event.detail),
        ))
        .execute_on(conn)?;
    Ok(())
}

/// The latest events of `kind` (all kinds when `None`), newest first.
pub fn recent(conn: &mut Conn, kind: Option<&str>, limit: i64) -> Result<Vec<EventRow>, DbError> {
    // A boxed query is typed by its backend: built once per backend.
    let rows: Vec<EventRow> = crate::with_conn!(conn, |c| {
        let mut query = events::table
            .select(crate::sql::columns::<EventRow>())
            .order(events::id.desc())
            .limit(limit)
            .into_boxed();
        if let Some(kind) = kind {
            query = query.filter(events::kind.eq(kind));
        }
        query.load(c)
    })?;
    Ok(rows)
}

/// Deletes events older than `cutoff`.
pub fn prune(conn: &mut Conn, cutoff: DateTime<Utc>) -> Result<usize, DbError> {
    Ok(diesel::delete(events::table.filter(events::at.lt(At(cutoff)))).execute_on(conn)?)
}
